/**
 * Download Video inside a real n8n (the e2e suite's install, regular mode,
 * filesystem binary data), side by side in every run:
 * - this package's RotateProduct node (Download Video),
 * - n8n's own HTTP Request node with Response Format: File, the route users take
 *   without this package,
 * - the same HTTP Request workflow a second time (the control: how far two identical
 *   routes differ in this configuration, i.e. the noise a package/HTTP ratio carries),
 * - `curl -o` of the same URL.
 * Each n8n route is a webhook workflow that answers once the video is stored, so
 * wall time is the webhook call; peak RSS growth is the n8n process's own, from
 * the kernel. Each stored file is checked for its full size. The three n8n routes
 * take turns going first (run 1: package, HTTP, control; run 2: HTTP, control,
 * package; ...), because the route that follows another inherits its heap. Ratios are
 * paired: each run's package (or control) time over the same run's HTTP time.
 * n8n's CPU time (all its threads) per call is recorded too: the comparison that holds
 * when the machine is not quiet. Started with BENCH_N8N_NODE_FLAGS=--trace-gc, each route's full garbage collections
 * (V8's Mark-Compact lines in n8n's log) are counted too.
 * Usage: npm run bench:n8n -- [sizeMiB] [runs]   (BENCH_N8N_LINE=2.x for n8n 2.x;
 * BENCH_N8N_NODE=22.23.3 runs n8n 1.x on that Node.js instead of 24, installed once;
 * BENCH_N8N_NODE_OPTIONS='--max-semi-space-size=2' sets n8n's NODE_OPTIONS, as a Docker user would)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureN8n, installPackage, N8N_RELEASES, NODE_VERSION, packPackage } from '../scripts/n8n/install';
import { freePort, N8nProcess, nodeFlagsFrom } from '../scripts/n8n/n8nProcess';
import { BINARY_FOLDERS, clearBinaryData, cpuDuring, machine, median, MiB, n8nConfigurationLabel, n8nResultName, report, rssGrowthDuring, runBenchmark, spawnSimulator } from './common';

const sizeMiB = Number(process.argv[2] ?? 1024);
const runs = Number(process.argv[3] ?? 3);
const line = (process.env.BENCH_N8N_LINE ?? '1.x') as keyof typeof N8N_RELEASES;
const nodeVersion = process.env.BENCH_N8N_NODE ?? NODE_VERSION;
const CREDENTIAL = { id: 'rpBenchCred00001', name: 'RotateProduct bench' };

type Route = 'package' | 'httpRequest' | 'control';
const ROUTES: Route[] = ['package', 'httpRequest', 'control'];

/** Webhook -> download -> the stored binary's id, answered when the last node finishes. */
function workflow(route: Route, videoUrl: string, key: string, generationId: number): Record<string, unknown> {
	const download =
		route === 'package'
			? {
					type: 'n8n-nodes-rotateproduct-colossyan.rotateProduct',
					typeVersion: 1,
					parameters: { resource: 'generation', operation: 'downloadVideo', generationId: String(generationId) },
					credentials: { rotateProductApi: CREDENTIAL },
				}
			: {
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: {
						url: videoUrl,
						sendHeaders: true,
						headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${key}` }] },
						options: { response: { response: { responseFormat: 'file' } } },
					},
				};
	const nodes = [
		{
			id: `${route}-webhook`,
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: `bench-${route}`,
			parameters: { httpMethod: 'POST', path: `bench-${route}`, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
		},
		{ id: `${route}-download`, name: 'Download', position: [220, 0], ...download },
		{
			id: `${route}-id`,
			name: 'Binary id',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [440, 0],
			parameters: { assignments: { assignments: [{ id: 'binary-id', name: 'binaryId', type: 'string', value: '={{ $binary.data.id }}' }] }, options: {} },
		},
	];
	const connection = (to: string) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	return {
		id: { package: 'benchPackage0001', httpRequest: 'benchHttpRequest', control: 'benchHttpControl' }[route],
		name: `Bench: ${route}`,
		active: false,
		nodes,
		connections: { Webhook: connection('Download'), Download: connection('Binary id') },
		settings: { executionOrder: 'v1' },
	};
}

/** Run `run`'s order of the n8n routes: each goes first in turn. */
function turn(run: number): Route[] {
	const shift = run % ROUTES.length;
	return [...ROUTES.slice(shift), ...ROUTES.slice(0, shift)];
}

/** Each run's `time` over the same run's `reference` time: median, lowest and highest. */
function pairedRatios(time: number[], reference: number[]): { median: number; min: number; max: number } {
	const ratios = time.map((value, run) => value / reference[run]);
	const round = (value: number) => Number(value.toFixed(3));
	return { median: round(median(ratios)), min: round(Math.min(...ratios)), max: round(Math.max(...ratios)) };
}

/** Full garbage collections V8's --trace-gc logged in `log` (none without the flag). */
function markCompacts(log: string): number {
	return log.match(/: Mark-Compact /g)?.length ?? 0;
}

/** Where n8n's filesystem binary mode keeps a binary id's bytes (1.x: binaryData, 2.x: storage). */
function storedFile(userFolder: string, binaryId: string): string {
	const relative = binaryId.replace(/^filesystem(-v2)?:/, '');
	const candidates = BINARY_FOLDERS.map((folder) => join(userFolder, folder, relative));
	return candidates.find((file) => existsSync(file)) ?? candidates[0];
}

runBenchmark(async () => {
	const sim = await spawnSimulator<{ apiUrl: string; key: string; id: number }>('simServer.ts', [String(sizeMiB * MiB)]);
	const videoUrl = `${sim.apiUrl}/generations/${sim.id}`;
	const scratch = mkdtempSync(join(tmpdir(), 'n8n-bench-curl-'));
	const runtime = await ensureN8n(N8N_RELEASES[line], console.log, nodeVersion);
	// BENCH_N8N_NODE_OPTIONS: n8n's NODE_OPTIONS, e.g. '--max-semi-space-size=2', or
	// '--cpu-prof --cpu-prof-dir=/tmp/prof' to profile n8n itself.
	const nodeOptions = process.env.BENCH_N8N_NODE_OPTIONS ?? '';
	// BENCH_N8N_NODE_FLAGS: flags for the node that runs n8n, e.g. V8 flags NODE_OPTIONS refuses.
	const nodeFlags = nodeFlagsFrom(process.env.BENCH_N8N_NODE_FLAGS);
	const n8n = new N8nProcess({ runtime, fileAccess: [scratch], extraEnv: nodeOptions ? { NODE_OPTIONS: nodeOptions } : undefined, nodeFlags });
	try {
		n8n.port = await freePort();
		await installPackage(n8n.userFolder, await packPackage(join(n8n.userFolder, 'pack')), runtime);
		await n8n.importCredentials([{ ...CREDENTIAL, type: 'rotateProductApi', data: { apiKey: sim.key, baseUrl: sim.apiUrl } }]);
		const definitions = ROUTES.map((route) => workflow(route, videoUrl, sim.key, sim.id));
		await n8n.importWorkflows(definitions.map((definition) => ({ id: String(definition.id), workflow: definition })));
		for (const definition of definitions) await n8n.activate(String(definition.id));
		await n8n.start();
		const pid = n8n.children[0].pid;
		if (!pid) throw new Error('n8n did not start');

		const callRoute = async (route: Route): Promise<string> => {
			const response = await fetch(`${n8n.baseUrl}/webhook/bench-${route}`, { method: 'POST' });
			const body = (await response.json()) as { binaryId?: string };
			if (!response.ok || !body.binaryId) throw new Error(`${route}: HTTP ${response.status} ${JSON.stringify(body)}`);
			return body.binaryId;
		};
		// Warm-up: n8n loads both nodes once. n8n 2.x may register webhooks just after it says it is ready.
		for (let attempt = 1; ; attempt++) {
			try {
				await callRoute('package');
				break;
			} catch (error) {
				if (attempt === 20) throw error;
				await new Promise((resolve) => setTimeout(resolve, 1000));
			}
		}
		for (const route of ROUTES.slice(1)) await callRoute(route);
		clearBinaryData(n8n.userFolder);

		const times: Record<'curl' | Route, number[]> = { curl: [], package: [], httpRequest: [], control: [] };
		const rss: Record<Route, number[]> = { package: [], httpRequest: [], control: [] };
		const fullGcs: Record<Route, number[]> = { package: [], httpRequest: [], control: [] };
		const cpu: Record<Route, number[]> = { package: [], httpRequest: [], control: [] };
		for (let run = 0; run < runs; run++) {
			const file = join(scratch, 'curl.mp4');
			let started = Date.now();
			execFileSync('curl', ['-sf', '-o', file, '-H', `Authorization: Bearer ${sim.key}`, videoUrl]);
			times.curl.push(Date.now() - started);
			rmSync(file);
			for (const route of turn(run)) {
				const logBefore = n8n.logOf('start').length;
				started = Date.now();
				const { result: measured, cpuMs } = await cpuDuring(async () => await rssGrowthDuring(async () => await callRoute(route), pid), pid);
				const { result: binaryId, rssMiB } = measured;
				times[route].push(Date.now() - started);
				cpu[route].push(cpuMs);
				rss[route].push(rssMiB);
				fullGcs[route].push(markCompacts(n8n.logOf('start').slice(logBefore)));
				const stored = storedFile(n8n.userFolder, binaryId);
				if (statSync(stored).size !== sizeMiB * MiB) throw new Error(`${route} stored ${statSync(stored).size} bytes, expected ${sizeMiB * MiB}`);
				clearBinaryData(n8n.userFolder);
			}
		}
		const ratio = (route: Route) => Number((median(times[route]) / median(times.curl)).toFixed(2));
		const rssOf = (route: Route) => Number(median(rss[route]).toFixed(1));
		const tracingGc = nodeFlags.includes('--trace-gc');
		report(
			n8nResultName(sizeMiB, line, nodeVersion, nodeFlags, nodeOptions),
			{
				benchmark: `Download Video, ${sizeMiB} MiB, inside ${n8nConfigurationLabel(N8N_RELEASES[line].version, nodeVersion, nodeFlags, nodeOptions)}`,
				machine: `${machine()} (n8n on node v${nodeVersion})`,
				runs,
				curlMs: median(times.curl),
				packageMs: median(times.package),
				httpRequestNodeMs: median(times.httpRequest),
				controlMs: median(times.control),
				packageVsCurl: ratio('package'),
				httpRequestNodeVsCurl: ratio('httpRequest'),
				packageVsHttpRequestNode: pairedRatios(times.package, times.httpRequest),
				controlVsHttpRequestNode: pairedRatios(times.control, times.httpRequest),
				cpuMs: { package: median(cpu.package), httpRequest: median(cpu.httpRequest), control: median(cpu.control) },
				packageCpuVsHttpRequestNode: pairedRatios(cpu.package, cpu.httpRequest),
				controlCpuVsHttpRequestNode: pairedRatios(cpu.control, cpu.httpRequest),
				packageRssGrowthMiB: rssOf('package'),
				httpRequestNodeRssGrowthMiB: rssOf('httpRequest'),
				maxPackageRssGrowthMiB: Number(Math.max(...rss.package).toFixed(1)),
				...(tracingGc ? { fullGcs } : {}),
				runsMs: { curl: times.curl, package: times.package, httpRequest: times.httpRequest, control: times.control },
				runsCpuMs: cpu,
				targets: { wallRatio: 1.25, rssGrowthMiB: 64 },
			},
		);
	} finally {
		await n8n.stop();
		sim.stop();
		rmSync(scratch, { recursive: true, force: true });
	}
});
