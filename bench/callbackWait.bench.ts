/**
 * Poll-wait vs callback-wait for Colossyan Generate: 20 jobs that each render
 * for 5 minutes (ending 3 s apart), through n8n's engine against the simulator. Simulated time:
 * the simulator's clock runs 10× faster than real time and the node's first
 * poll interval is 1 s instead of 10 s, so one run takes 30 real seconds and
 * polls in the same rounds as 10 s / 5 min would up to the 60 s interval cap.
 * Callback-wait runs in the harness's stand-in for n8n's waiting-webhook
 * endpoint (test/harness/waiting.ts): the execution is saved as JSON while it
 * waits and resumed from it.
 * Measured: API requests (by kind), and what n8n holds during the wait: the
 * JS heap growth of the process (after a full GC, median of samples taken
 * during the wait) and whether an execution stays in memory / on a worker.
 * Usage: node ... bench/callbackWait.bench.ts
 */
import { rmSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { benchUserFolder, machine, median, report, runBenchmark } from './common';

const userFolder = benchUserFolder();
const TOKEN = 'col_bench_token_0001';
const JOBS = 20;
const RENDER_MS = 5 * 60_000;
const SPEED = 10;
const KiB = 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapKiB(): number {
	gc();
	return process.memoryUsage().heapUsed / KiB;
}

/** Samples the heap every second until `done` settles; the median growth over `baseline`. */
async function heapDuring(baseline: number, done: Promise<unknown>): Promise<number> {
	const samples: number[] = [];
	let finished = false;
	void done.finally(() => (finished = true));
	while (!finished) {
		await new Promise((resolve) => setTimeout(resolve, 1000));
		if (!finished) samples.push(heapKiB() - baseline);
	}
	return samples.length > 0 ? median(samples) : 0;
}

interface Row {
	benchmark: string;
	requests: string;
	heldDuringWait: string;
	wallMs: number;
}

async function main(): Promise<void> {
	const { runNode } = await import('../test/harness/engine');
	const { startWaitingServer } = await import('../test/harness/waiting');
	const { ColossyanSimulator } = await import('../test/simulators/colossyan/ColossyanSimulator');
	const sim = new ColossyanSimulator({ renderMs: RENDER_MS, videoSizeBytes: 64 * KiB });
	await sim.start();
	sim.addWorkspace(TOKEN);
	// Submitted in a burst, the jobs end 3 s apart (as renders of different lengths would), each after 5 min or more.
	let submitted = 0;
	sim.outcomeOf = (job) => {
		job.endsAt += (submitted++ % JOBS) * 3000;
		return 'finished';
	};
	// Simulated time: the simulator's clock gains (SPEED - 1) ms per real ms.
	const ticker = setInterval(() => sim.clock.advance((SPEED - 1) * 50), 50);
	const credentials = { colossyanApi: { apiKey: TOKEN, baseUrl: sim.apiUrl } };
	const input = Array.from({ length: JOBS }, (_v, i) => ({ json: { name: `Person ${i}` }, pairedItem: { item: i } }));
	const generate = { resource: 'job', operation: 'generate', generateMode: 'avatar', avatar: 'karen', voice: 'voice-karen-en', script: '=Hello {{ $json.name }}', waitForCompletion: true, waitTimeoutMinutes: 60 };
	const counts = () => `${sim.count('POST', '/api/v1/video-generation-jobs')} POST + ${sim.count('GET', /^\/api\/v1\/video-generation-jobs\//)} status GETs`;
	const rows: Row[] = [];
	try {
		let baseline = heapKiB();
		let started = Date.now();
		const polling = runNode({ node: { type: 'colossyan', parameters: { ...generate, waitMethod: 'poll', pollIntervalSeconds: 1 } }, input, credentials });
		const pollHeap = await heapDuring(baseline, polling);
		const polled = await polling;
		if (polled.error || polled.items.some((item) => item.json.state !== 'done')) throw new Error('poll-wait did not finish every job');
		rows.push({
			benchmark: `Generate + poll-wait, ${JOBS} jobs × 5 min, ending 3 s apart (simulated time)`,
			requests: counts(),
			heldDuringWait: `the running execution for the whole wait (a worker slot in queue mode); JS heap +${pollHeap.toFixed(0)} KiB`,
			wallMs: Date.now() - started,
		});

		sim.resetLog();
		const n8n = await startWaitingServer();
		baseline = heapKiB();
		started = Date.now();
		const execution = await n8n.start({ type: 'colossyan', parameters: { ...generate, waitMethod: 'callback' } }, input, credentials);
		if (execution.status !== 'waiting') throw new Error(`callback-wait did not pause (${execution.status})`);
		const savedKiB = execution.data.length / KiB;
		const finished = (async () => {
			while (execution.status !== 'success' && execution.status !== 'error') await new Promise((resolve) => setTimeout(resolve, 200));
		})();
		const callbackHeap = await heapDuring(baseline, finished);
		await n8n.settled(execution.id);
		if (n8n.output(execution.id).some((item) => item.json.state !== 'done')) throw new Error('callback-wait did not finish every job');
		rows.push({
			benchmark: `Generate + callback-wait, ${JOBS} jobs × 5 min, ending 3 s apart (simulated time)`,
			requests: `${counts()} (${sim.callbacks.length} callbacks received)`,
			heldDuringWait: `no execution in memory or on a worker: saved (${savedKiB.toFixed(1)} KiB of run data) until the last callback; JS heap +${callbackHeap.toFixed(0)} KiB`,
			wallMs: Date.now() - started,
		});
		await n8n.stop();
	} finally {
		clearInterval(ticker);
		await sim.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
	report('callback-wait', { machine: machine(), rows }, rows);
}

runBenchmark(main);
