/**
 * What the RotateProduct operations cost in requests, through n8n's engine
 * against the simulator (in this process; the figures are request counts, and
 * wall times for orientation): Generate of 1,200 items, Wait for Completion of
 * 1,200, and an idle trigger poll over 10,000 old generations in both list orders,
 * and Generate of 600 items with "Reuse Recent Generations" over an account with
 * 10,000 older generations (first run and re-run).
 * Usage: node ... bench/requestCounts.bench.ts
 */
import { rmSync } from 'node:fs';

import { benchUserFolder, machine, report, runBenchmark } from './common';

const userFolder = benchUserFolder();

const KEY = 'rp_bench_key_000001';
const GENERATIONS = '/api/v1/generations';

interface Row {
	benchmark: string;
	requests: string;
	wallMs: number;
}

/** Splits request times into polling rounds (a pause of 500 ms or more starts a new round). */
function rounds(times: number[]): number[] {
	const sizes: number[] = [];
	let last = Number.NEGATIVE_INFINITY;
	for (const time of times) {
		if (time - last >= 500) sizes.push(0);
		sizes[sizes.length - 1]++;
		last = time;
	}
	return sizes;
}

async function main(): Promise<void> {
	const { runNode, pollNode } = await import('../test/harness/engine');
	const { RotateProductSimulator } = await import('../test/simulators/rotateproduct/RotateProductSimulator');
	const rows: Row[] = [];
	const products = Array.from({ length: 1200 }, (_v, i) => ({ image: `https://shop.example/${i}.jpg`, sku: `sku-${i}` }));
	const generate = { resource: 'generation', operation: 'generate', imageUrl: '={{ $json.image }}', externalId: '={{ $json.sku }}' };

	const sim = new RotateProductSimulator({ renderMs: 4000 });
	await sim.start();
	sim.addAccount(KEY, 1_000_000);
	const credentials = { rotateProductApi: { apiKey: KEY, baseUrl: sim.apiUrl } };
	const times: number[] = [];
	sim.beforeListPage = () => times.push(Date.now());
	try {
		let started = Date.now();
		await runNode({ node: { type: 'rotateProduct', parameters: generate }, input: products, credentials });
		rows.push({ benchmark: 'Generate, 1,200 items', requests: `${sim.count('POST', GENERATIONS)} POST`, wallMs: Date.now() - started });

		sim.resetLog();
		times.length = 0;
		started = Date.now();
		const waiting = { ...generate, waitForCompletion: true, pollIntervalSeconds: 1, waitTimeoutMinutes: 2 };
		await runNode({ node: { type: 'rotateProduct', parameters: waiting }, input: products, credentials });
		const perRound = rounds(times);
		rows.push({
			benchmark: 'Generate + Wait for Completion, 1,200 items',
			requests: `${sim.count('POST', GENERATIONS)} POST + ${sim.count('GET', GENERATIONS)} list pages in ${perRound.length} rounds (max ${Math.max(...perRound)} a round), ${sim.count('GET', /\/status$/)} status calls`,
			wallMs: Date.now() - started,
		});

		for (const order of ['newest-first', 'oldest-first'] as const) {
			const history = new RotateProductSimulator({ listOrder: order });
			await history.start();
			history.addAccount(KEY);
			history.seed(KEY, Array.from({ length: 10_000 }, (_v, i) => ({ imageUrl: `https://a.example/${i}.jpg` })), {
				createdAt: Date.now() - 3 * 3600_000,
				renderMs: 0,
			});
			const staticData = {};
			const trigger = { type: 'rotateProductTrigger', parameters: { events: ['completed'] } };
			const historyCredentials = { rotateProductApi: { apiKey: KEY, baseUrl: history.apiUrl } };
			await pollNode({ node: trigger, credentials: historyCredentials, staticData });
			history.resetLog();
			started = Date.now();
			await pollNode({ node: trigger, credentials: historyCredentials, staticData });
			rows.push({ benchmark: `Trigger idle poll, 10,000 old generations, list ${order}`, requests: `${history.requests.length}`, wallMs: Date.now() - started });
			await history.stop();
		}

		const reuseSim = new RotateProductSimulator({ renderMs: 60_000 });
		await reuseSim.start();
		reuseSim.addAccount(KEY, 1_000_000);
		reuseSim.seed(KEY, Array.from({ length: 10_000 }, (_v, i) => ({ imageUrl: `https://a.example/${i}.jpg`, externalId: `old-${i}` })), {
			createdAt: Date.now() - 3 * 3600_000,
			renderMs: 0,
		});
		const reuseCredentials = { rotateProductApi: { apiKey: KEY, baseUrl: reuseSim.apiUrl } };
		const reusing = { ...generate, options: { reuseRecent: true } };
		for (const run of ['first run', 're-run']) {
			reuseSim.resetLog();
			started = Date.now();
			const { items } = await runNode({ node: { type: 'rotateProduct', parameters: reusing }, input: products.slice(0, 600), credentials: reuseCredentials });
			rows.push({
				benchmark: `Generate with Reuse Recent Generations, 600 items, 10,000 older generations, ${run}`,
				requests: `${reuseSim.count('POST', GENERATIONS)} POST + ${reuseSim.count('GET', GENERATIONS)} list pages, ${items.filter((item) => item.json.reused === true).length} reused`,
				wallMs: Date.now() - started,
			});
		}
		await reuseSim.stop();
	} finally {
		await sim.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
	report('request-counts', { machine: machine(), rows }, rows);
}

runBenchmark(main);
