/**
 * Download Video of a large simulated video: this package through n8n's engine
 * (filesystem binary mode) vs `curl -o` of the same URL, side by side in one run,
 * with a bare Node.js `http.get` piped to a file as a second baseline (what any
 * Node code costs here, before n8n or this package add anything).
 * Prints wall time (median of runs), the ratio, and the benchmark process's peak
 * RSS growth while the node streams. Usage: npm run bench -- [sizeMiB] [runs]
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const MiB = 1024 * 1024;
const sizeMiB = Number(process.argv[2] ?? 1024);
const runs = Number(process.argv[3] ?? 3);

const userFolder = mkdtempSync(join(tmpdir(), 'n8n-bench-'));
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
process.env.N8N_ENCRYPTION_KEY = 'bench-encryption-key';
process.env.N8N_LOG_LEVEL = 'silent';

interface Simulator {
	apiUrl: string;
	key: string;
	id: number;
	stop: () => void;
}

async function startSimulator(bytes: number): Promise<Simulator> {
	const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', resolve(__dirname, 'simServer.ts'), String(bytes)], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const line = await new Promise<string>((done) => createInterface({ input: child.stdout }).once('line', done));
	return { ...(JSON.parse(line) as Omit<Simulator, 'stop'>), stop: () => child.kill('SIGTERM') };
}

async function storedMetadata(id: string | undefined): Promise<{ fileSize: number }> {
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	if (!id) throw new Error('no binary data was stored');
	return await Container.get(BinaryDataService).getMetadata(id);
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
	const { runNode } = await import('../test/harness/engine');
	const sim = await startSimulator(sizeMiB * MiB);
	try {
		await measure(runNode, sim);
	} finally {
		sim.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
}

async function measure(runNode: typeof import('../test/harness/engine').runNode, sim: Simulator): Promise<void> {
	const credentials = { rotateProductApi: { apiKey: sim.key, baseUrl: sim.apiUrl } };
	const node = { type: 'rotateProduct', parameters: { resource: 'generation', operation: 'downloadVideo', generationId: String(sim.id) } };
	const curlOut = join(userFolder, 'curl.mp4');

	// Warm-up: load the package and the engine once.
	await runNode({ node: { type: 'rotateProduct', parameters: { resource: 'account', operation: 'getCredits' } }, credentials });

	const curlTimes: number[] = [];
	const bareNodeTimes: number[] = [];
	const nodeTimes: number[] = [];
	const rssGrowth: number[] = [];
	for (let run = 0; run < runs; run++) {
		let started = Date.now();
		execFileSync('curl', ['-sf', '-o', curlOut, '-H', `Authorization: Bearer ${sim.key}`, `${sim.apiUrl}/generations/${sim.id}`]);
		curlTimes.push(Date.now() - started);
		rmSync(curlOut);

		started = Date.now();
		await new Promise<void>((done, fail) =>
			get(`${sim.apiUrl}/generations/${sim.id}`, { headers: { Authorization: `Bearer ${sim.key}` } }, (res) =>
				void pipeline(res, createWriteStream(curlOut)).then(done, fail),
			).on('error', fail),
		);
		bareNodeTimes.push(Date.now() - started);
		rmSync(curlOut);

		global.gc?.();
		const baseline = process.memoryUsage().rss;
		let peak = baseline;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
		started = Date.now();
		const { error, items } = await runNode({ node, credentials });
		nodeTimes.push(Date.now() - started);
		clearInterval(sampler);
		if (error) throw error;
		const stored = (await storedMetadata(items[0].binary?.data?.id)).fileSize;
		if (stored !== sizeMiB * MiB) throw new Error(`stored ${stored} bytes, expected ${sizeMiB * MiB}`);
		rssGrowth.push((peak - baseline) / MiB);
		rmSync(join(userFolder, 'binaryData'), { recursive: true, force: true });
	}
	const result = {
		benchmark: `Download Video, ${sizeMiB} MiB`,
		machine: `${execFileSync('nproc').toString().trim()} cores, node ${process.version}`,
		runs,
		curlMs: median(curlTimes),
		bareNodeHttpGetMs: median(bareNodeTimes),
		nodeMs: median(nodeTimes),
		wallRatio: Number((median(nodeTimes) / median(curlTimes)).toFixed(2)),
		bareNodeRatio: Number((median(bareNodeTimes) / median(curlTimes)).toFixed(2)),
		rssGrowthMiB: Number(median(rssGrowth).toFixed(1)),
		maxRssGrowthMiB: Number(Math.max(...rssGrowth).toFixed(1)),
		targets: { wallRatio: 1.25, rssGrowthMiB: 64 },
	};
	console.table([result]);
	const out = resolve(__dirname, 'results');
	mkdirSync(out, { recursive: true });
	writeFileSync(join(out, `download-video-${sizeMiB}MiB.json`), `${JSON.stringify(result, null, 2)}\n`);
}

void main().then(() => process.exit(0)).catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
