/**
 * What a NODE_OPTIONS value costs n8n's ordinary work: a real n8n (the e2e suite's
 * install, regular mode) runs a webhook workflow that makes 50,000 JSON items (Set +
 * Split Out), adds two fields to each with a Set node's expressions and sums them up
 * (Summarize); n8n saves the execution as it does by default.
 * Wall time is the webhook call; peak RSS growth is the kernel's, summed over n8n's
 * process and its children (2.x may run Code in a task runner process).
 * Usage: npm run bench:workload -- [items] [runs]   (BENCH_N8N_LINE=1.x for n8n 1.x;
 * BENCH_N8N_NODE_OPTIONS='--max-semi-space-size=2' sets n8n's NODE_OPTIONS)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';

import { ensureN8n, N8N_RELEASES, NODE_VERSION } from '../scripts/n8n/install';
import { freePort, N8nProcess } from '../scripts/n8n/n8nProcess';
import { machine, median, MiB, n8nConfigurationLabel, processTree, report, runBenchmark, workloadResultName } from './common';

const items = Number(process.argv[2] ?? 50_000);
const runs = Number(process.argv[3] ?? 3);
const line = (process.env.BENCH_N8N_LINE ?? '2.x') as keyof typeof N8N_RELEASES;
const nodeOptions = process.env.BENCH_N8N_NODE_OPTIONS ?? '';

function set(name: string, x: number, assignments: Array<{ name: string; type: string; value: string }>, includeOtherFields: boolean): Record<string, unknown> {
	return {
		id: name,
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [x, 0],
		parameters: {
			assignments: { assignments: assignments.map((assignment, index) => ({ id: `${name}-${index}`, ...assignment })) },
			includeOtherFields,
			options: {},
		},
	};
}

/**
 * Webhook -> Set makes the list -> Split Out makes 50,000 items -> Set adds two fields per
 * item by expressions -> Summarize counts and sums them. No Code node: n8n 2.x runs Code in
 * a task runner process, which this busy machine let time out ("Offer expired"), and its
 * memory would not be n8n's.
 */
function workflow(): Record<string, unknown> {
	const nodes = [
		{
			id: 'webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'bench-workload',
			parameters: { httpMethod: 'POST', path: 'bench-workload', responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
		},
		set(
			'Make list',
			220,
			[{ name: 'products', type: 'array', value: `={{ Array.from({ length: ${items} }, (_, i) => ({ id: i, sku: 'SKU-' + i, name: 'Product ' + i, price: (i % 997) * 1.25, tags: ['a', 'b', String(i % 7)] })) }}` }],
			false,
		),
		{ id: 'split', name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [440, 0], parameters: { fieldToSplitOut: 'products', options: {} } },
		set(
			'Price with tax',
			660,
			[
				{ name: 'priceWithTax', type: 'number', value: '={{ $json.price * 1.2 }}' },
				{ name: 'label', type: 'string', value: '={{ $json.name.toUpperCase() }}' },
			],
			true,
		),
		{
			id: 'summarize',
			name: 'Summarize',
			type: 'n8n-nodes-base.summarize',
			typeVersion: 1.1,
			position: [880, 0],
			parameters: { fieldsToSummarize: { values: [{ aggregation: 'count', field: 'id' }, { aggregation: 'sum', field: 'priceWithTax' }] }, options: {} },
		},
	];
	const connection = (to: string) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	return {
		id: 'benchWorkload001',
		name: 'Bench: workload',
		active: false,
		nodes,
		connections: { Webhook: connection('Make list'), 'Make list': connection('Split Out'), 'Split Out': connection('Price with tax'), 'Price with tax': connection('Summarize') },
		settings: { executionOrder: 'v1' },
	};
}

/** A POST that waits as long as n8n takes (fetch gives up after 300 s without headers; a loaded machine needs more). */
async function postWithoutTimeout(url: string): Promise<{ status: number; body: string }> {
	return await new Promise((resolve, reject) => {
		const request = httpRequest(url, { method: 'POST' }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			response.on('error', reject);
		});
		request.on('error', reject);
		request.end();
	});
}

function kernelKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	try {
		return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
	} catch {
		return 0; // the process ended
	}
}

/** Peak RSS growth (MiB) of n8n's process tree while `work` runs: each process's peak mark reset first, then summed. */
async function treeRssGrowthDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; rssMiB: number }> {
	const before = processTree(pid);
	for (const each of before) writeFileSync(`/proc/${each}/clear_refs`, '5');
	const baseline = before.reduce((sum, each) => sum + kernelKiB(each, 'VmRSS'), 0);
	const result = await work();
	const peak = processTree(pid).reduce((sum, each) => sum + kernelKiB(each, 'VmHWM'), 0);
	return { result, rssMiB: ((peak - baseline) * 1024) / MiB };
}

runBenchmark(async () => {
	const runtime = await ensureN8n(N8N_RELEASES[line], console.log, NODE_VERSION);
	const n8n = new N8nProcess({ runtime, fileAccess: [], extraEnv: nodeOptions ? { NODE_OPTIONS: nodeOptions } : undefined });
	try {
		n8n.port = await freePort();
		const definition = workflow();
		await n8n.importWorkflows([{ id: String(definition.id), workflow: definition }]);
		await n8n.activate(String(definition.id));
		await n8n.start();
		const pid = n8n.children[0].pid;
		if (!pid) throw new Error('n8n did not start');

		const call = async (): Promise<void> => {
			const { status, body } = await postWithoutTimeout(`${n8n.baseUrl}/webhook/bench-workload`);
			const count = (JSON.parse(body) as { count_id?: number }).count_id;
			if (status !== 200 || count !== items) throw new Error(`workload: HTTP ${status} ${body.slice(0, 500)}`);
		};
		// n8n 2.x may register webhooks just after it says it is ready: wait until a GET is
		// refused for its method (the POST webhook exists) rather than as unknown.
		for (let attempt = 1; ; attempt++) {
			const probe = await fetch(`${n8n.baseUrl}/webhook/bench-workload`);
			if (!/not registered\b(?!.*POST)/i.test(await probe.text()) || attempt === 30) break;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		const times: number[] = [];
		const rss: number[] = [];
		for (let run = 0; run < runs; run++) {
			const started = Date.now();
			const { rssMiB } = await treeRssGrowthDuring(pid, call);
			times.push(Date.now() - started);
			rss.push(rssMiB);
		}
		const label = n8nConfigurationLabel(N8N_RELEASES[line].version, NODE_VERSION, [], nodeOptions);
		report(workloadResultName(line, items, nodeOptions), {
			benchmark: `Ordinary workload: ${items.toLocaleString('en-US')} JSON items through Set → Split Out → Set → Summarize, inside ${label}`,
			machine: `${machine()} (n8n on node v${NODE_VERSION})`,
			runs,
			wallMs: median(times),
			rssGrowthMiB: Number(median(rss).toFixed(1)),
			maxRssGrowthMiB: Number(Math.max(...rss).toFixed(1)),
			processes: processTree(pid).length,
		});
	} finally {
		await n8n.stop();
	}
});
