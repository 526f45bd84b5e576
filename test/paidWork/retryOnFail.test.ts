/**
 * n8n's "Retry On Fail" runs the whole node again with the same input when it
 * throws, or when its first output item has `json.error`. Nothing paid may be
 * sent twice because of it: over every paid operation × a failure after the
 * paid request (or an invalid first item) × every On Error setting × 2–5 tries,
 * the service receives exactly one create per valid item (one POST per batch),
 * and every created id ends up in the final output (or, when the node fails,
 * in its error) paired with its own item. A re-run is another execution: new
 * paid work, as before.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { NodeUnderTest, RunOptions, RunResult } from '../harness/engine';
import { runNode } from '../harness/engine';
import type { WaitingServer } from '../harness/waiting';
import { startWaitingServer } from '../harness/waiting';
import { BoundedMap, LEDGER_MAX_AGE_MS, LEDGER_MAX_ENTRIES } from '../../nodes/shared/paidLedger';
import { TOKEN, useColossyan } from '../colossyan/fixture';
import { GENERATIONS, KEY, useRotateProduct } from '../rotateproduct/fixture';
import { seededRandom } from '../helpers/seeded';

const rp = useRotateProduct({ renderMs: 200 });
const col = useColossyan({ renderMs: 200 });

type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
type Failure = 'statusRead' | 'download' | 'truncated' | 'invalidFirst' | 'answerLost';
/** `firstTry`: the fault hits once, so a later try succeeds; `everyTry`: it outlasts every try. */
type Span = 'firstTry' | 'everyTry';

interface Operation {
	name: string;
	service: 'rotateProduct' | 'colossyan';
	parameters: INodeParameters;
	failures: Array<[Failure, Span]>;
	input(count: number, invalidFirst: boolean): IDataObject[];
	inject(failure: Failure, span: Span): void;
	/** POSTs that create paid work. */
	creates(): number;
	/** Ids of the created work, in the order it was created. */
	createdIds(): string[];
	/** Whether one POST creates the whole batch (RotateProduct) instead of one per item. */
	bulk: boolean;
	/** Whether work whose POST answer was lost is found again (RotateProduct, by External ID). */
	recoversLostAnswer: boolean;
}

const STATUS_READS = /^\/api\/v1\/generations(\/\d+\/status)?$/;
const VIDEO_READS = /^\/api\/v1\/generations\/\d+$/;
const JOB_READS = /^\/api\/v1\/video-generation-jobs\/[^/]+$/;
const JOBS = '/api/v1/video-generation-jobs';
const ACTORS = '/api/v1/assets/actors';
const waitFields = { pollIntervalSeconds: 1, waitTimeoutMinutes: 1 };
const times = (span: Span) => (span === 'firstTry' ? 1 : 1000);

function rotateProduct(wait: boolean, download: boolean): Operation {
	// The bulk POST's answer lost after RotateProduct created the generations: found again by External ID.
	const failures: Array<[Failure, Span]> = [['invalidFirst', 'firstTry'], ['answerLost', 'firstTry']];
	if (wait) failures.push(['statusRead', 'firstTry'], ['statusRead', 'everyTry']);
	if (download) failures.push(['download', 'firstTry'], ['download', 'everyTry'], ['truncated', 'everyTry']);
	return {
		name: `RotateProduct Generate (wait ${wait ? 'on' : 'off'}, download ${download ? 'on' : 'off'})`,
		service: 'rotateProduct',
		bulk: true,
		recoversLostAnswer: true,
		parameters: {
			resource: 'generation',
			operation: 'generate',
			imageUrl: '={{ $json.image }}',
			externalId: '={{ $json.sku }}',
			waitForCompletion: wait,
			downloadVideos: download,
			...waitFields,
		},
		failures,
		input: (count, invalidFirst) =>
			Array.from({ length: count }, (_v, i) => ({
				image: invalidFirst && i === 0 ? 'not a url' : `https://shop.example/img/${i}.jpg`,
				sku: `sku-${i}`,
			})),
		inject: (failure, span) => {
			if (failure === 'answerLost') rp.sim.inject({ method: 'POST', path: GENERATIONS, times: 1, fault: { kind: 'statusAfterProcessing', status: 502 } });
			if (failure === 'statusRead') rp.sim.inject({ method: 'GET', path: STATUS_READS, times: times(span), fault: { kind: 'status', status: 500 } });
			if (failure === 'download') rp.sim.inject({ method: 'GET', path: VIDEO_READS, times: times(span), fault: { kind: 'status', status: 500 } });
			if (failure === 'truncated') rp.sim.inject({ method: 'GET', path: VIDEO_READS, times: times(span), fault: { kind: 'truncate', afterBytes: 100 } });
		},
		creates: () => rp.sim.count('POST', GENERATIONS),
		createdIds: () => rp.sim.generationsOf(KEY).map((g) => String(g.id)),
	};
}

function colossyanGenerate(download: boolean): Operation {
	const failures: Array<[Failure, Span]> = [
		['invalidFirst', 'firstTry'],
		['answerLost', 'firstTry'],
		['statusRead', 'firstTry'],
		['statusRead', 'everyTry'],
	];
	if (download) failures.push(['download', 'firstTry'], ['download', 'everyTry'], ['truncated', 'everyTry']);
	return {
		name: `Colossyan Generate (polling, download ${download ? 'on' : 'off'})`,
		service: 'colossyan',
		bulk: false,
		recoversLostAnswer: false,
		parameters: {
			resource: 'job',
			operation: 'generate',
			generateMode: 'avatar',
			avatar: 'karen',
			voice: 'voice-karen-en',
			script: '={{ $json.script }}',
			videoName: '=Welcome {{ $json.name }}',
			waitForCompletion: true,
			downloadVideo: download,
			...waitFields,
		},
		failures,
		input: (count, invalidFirst) =>
			Array.from({ length: count }, (_v, i) => ({ name: `P${i}`, script: invalidFirst && i === 0 ? '' : `Hello P${i}!` })),
		inject: (failure, span) => {
			if (failure === 'answerLost') col.sim.inject({ method: 'POST', path: JOBS, times: 1, fault: { kind: 'statusAfterProcessing', status: 502 } });
			if (failure === 'statusRead') col.sim.inject({ method: 'GET', path: JOB_READS, times: times(span), fault: { kind: 'status', status: 500 } });
			if (failure === 'download') col.sim.files.inject({ method: 'GET', times: times(span), fault: { kind: 'status', status: 500 } });
			if (failure === 'truncated') col.sim.files.inject({ method: 'GET', times: times(span), fault: { kind: 'truncate', afterBytes: 100 } });
		},
		creates: () => col.sim.count('POST', JOBS),
		createdIds: () => col.sim.allJobs().map((job) => job.id),
	};
}

const createInstantAvatar: Operation = {
	name: 'Colossyan Create Instant Avatar',
	service: 'colossyan',
	bulk: false,
	recoversLostAnswer: false,
	parameters: { resource: 'asset', operation: 'createInstantAvatar', displayName: '={{ $json.name }}', sourceFileUrl: '={{ $json.url }}', gender: 'Female' },
	// The answer of item 0's POST is lost after Colossyan made the avatar: the only failure after creation.
	failures: [['invalidFirst', 'firstTry'], ['answerLost', 'firstTry']],
	input: (count, invalidFirst) =>
		Array.from({ length: count }, (_v, i) => ({ name: `Ada ${i}`, url: invalidFirst && i === 0 ? 'not a url' : `https://cdn.example/ada-${i}.mp4` })),
	inject: (failure) => {
		if (failure === 'answerLost') col.sim.inject({ method: 'POST', path: ACTORS, times: 1, fault: { kind: 'statusAfterProcessing', status: 502 } });
	},
	creates: () => col.sim.count('POST', ACTORS),
	createdIds: () => col.sim.instantAvatars.map((avatar) => avatar.name),
};

const OPERATIONS: Operation[] = [
	rotateProduct(false, false),
	rotateProduct(true, false),
	rotateProduct(true, true),
	colossyanGenerate(false),
	colossyanGenerate(true),
	createInstantAvatar,
];
const ON_ERROR: OnError[] = ['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput'];

interface Case {
	operation: Operation;
	failure: Failure;
	span: Span;
	onError: OnError;
	maxTries: number;
	count: number;
}

const random = seededRandom(20261204);
const CASES: Case[] = OPERATIONS.flatMap((operation) =>
	operation.failures.flatMap(([failure, span]) =>
		ON_ERROR.map((onError) => ({ operation, failure, span, onError, maxTries: 2 + Math.floor(random() * 4), count: 2 + Math.floor(random() * 3) })),
	),
);

async function runWithRetries(
	operation: Operation,
	onError: OnError,
	maxTries: number,
	input: IDataObject[],
	runs = 1,
): Promise<RunResult> {
	const node: NodeUnderTest = {
		type: operation.service,
		parameters: operation.parameters,
		onError,
		retryOnFail: true,
		maxTries,
		// n8n reads 0 as "not set" (1000 ms); 1 ms keeps the sweep fast.
		waitBetweenTries: 1,
	};
	const credentials: RunOptions['credentials'] =
		operation.service === 'rotateProduct'
			? { rotateProductApi: { apiKey: KEY, baseUrl: rp.sim.apiUrl } }
			: { colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } };
	return await runNode({ node, input, credentials, runs });
}

const CREATED_MESSAGE = /^(?:Generation|Job) ([\w-]+) was created/;

/** (item, id) of every output item that carries an id (on n8n 1.x's error output only the message keeps it). */
function outputPairs(items: INodeExecutionData[]): Array<[number, string]> {
	return items.flatMap((item): Array<[number, string]> => {
		// An error item keeps its input row's fields (as n8n's own nodes do): its created id is only the one its message names.
		const id = item.json.error !== undefined ? CREATED_MESSAGE.exec(String(item.json.error))?.[1] : (item.json.id ?? item.json.jobId ?? item.json.name);
		return id === undefined ? [] : [[(item.pairedItem as { item: number }).item, String(id)]];
	});
}

/** (item, id) the node's error names ("item 0: generation 12, item 1: ..."). */
function errorPairs(error: unknown): Array<[number, string]> {
	const description = (error as { description?: string } | undefined)?.description ?? '';
	return [...description.matchAll(/item (\d+): (?:generation|job) ([\w-]+)/g)].map((m) => [Number(m[1]), m[2]]);
}

const byItem = (pairs: Array<[number, string]>) => [...pairs].sort((a, b) => a[0] - b[0]);

describe('Retry On Fail never sends paid work twice', () => {
	test.each(CASES.map((c) => [`${c.operation.name}: ${c.failure} (${c.span}), ${c.onError}, ${c.maxTries} tries, ${c.count} items`, c] as const))(
		'%s',
		async (_name, { operation, failure, span, onError, maxTries, count }) => {
			const invalidFirst = failure === 'invalidFirst';
			operation.inject(failure, span);
			const result = await runWithRetries(operation, onError, maxTries, operation.input(count, invalidFirst));

			// An invalid item stops the node before any paid request, unless the node continues on fail.
			const stoppedBeforePaying = invalidFirst && onError === 'stopWorkflow';
			const creators = Array.from({ length: count }, (_v, i) => i).filter((i) => !(invalidFirst && i === 0));
			// Item 0's answer lost: without Continue On Fail the node stops there (unless the work is found again).
			const lostAnswer = failure === 'answerLost' && !operation.recoversLostAnswer;
			const sentFor = stoppedBeforePaying ? [] : lostAnswer && onError === 'stopWorkflow' ? [0] : creators;
			expect(operation.creates()).toBe(operation.bulk ? Math.min(1, sentFor.length) : sentFor.length);
			const ids = operation.createdIds();
			expect(ids).toHaveLength(sentFor.length);

			// Every created id, paired with its own item: in the output, or named in the error when the node failed.
			const lost = lostAnswer ? [0] : [];
			const expected = sentFor.map((item, k): [number, string] => [item, ids[k]]).filter(([item]) => !lost.includes(item));
			const seen = [...outputPairs(result.items), ...outputPairs(result.errorItems), ...(result.error ? errorPairs(result.error) : [])];
			expect(byItem(seen)).toEqual(byItem(expected));

			// Items follow input order on each output.
			for (const output of [result.items, result.errorItems]) {
				const paired = output.map((item) => (item.pairedItem as { item: number }).item);
				expect(paired).toEqual([...paired].sort((a, b) => a - b));
			}
			if (onError !== 'stopWorkflow') {
				expect(result.error).toBeUndefined();
				const all = [...result.items, ...result.errorItems];
				expect(all.map((item) => (item.pairedItem as { item: number }).item).sort((a, b) => a - b)).toEqual(
					Array.from({ length: count }, (_v, i) => i),
				);
			}
			// An invalid item stays an item error (or stops the node), never paid work.
			if (invalidFirst && onError !== 'stopWorkflow') {
				const first = [...result.items, ...result.errorItems].find((item) => (item.pairedItem as { item: number }).item === 0);
				expect(first?.json.error).toEqual(expect.any(String));
			}
			if (invalidFirst && onError === 'stopWorkflow') expect(result.error?.message).toMatch(/item 0/i);
			// A fault on the first try only: a later try finished the work, so the output is complete.
			if (span === 'firstTry' && !invalidFirst && !lostAnswer) {
				expect(result.error).toBeUndefined();
				const failed = [...result.items, ...result.errorItems].filter((item) => item.json.error !== undefined);
				expect(failed).toHaveLength(0);
			}
		},
	);
});

describe('the ledger belongs to one execution', () => {
	test.each([
		['RotateProduct Generate', OPERATIONS[0]],
		['Colossyan Generate', OPERATIONS[4]],
		['Create Instant Avatar', createInstantAvatar],
	] as const)('%s: a re-run of the same workflow and input is new paid work', async (_name, operation) => {
		const input = operation.input(2, false);
		const first = await runWithRetries(operation, 'stopWorkflow', 3, input);
		const second = await runWithRetries(operation, 'stopWorkflow', 3, input);
		expect(first.executionId).not.toBe(second.executionId);
		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(operation.creates()).toBe(operation.bulk ? 2 : 4);
		const ids = operation.createdIds();
		expect(new Set(ids).size).toBe(4);
		expect(outputPairs(first.items)).toEqual([[0, ids[0]], [1, ids[1]]]);
		expect(outputPairs(second.items)).toEqual([[0, ids[2]], [1, ids[3]]]);
	});
});

describe('the ledger belongs to one item', () => {
	const rotateProductOneByOne: Operation = {
		...OPERATIONS[0],
		name: 'RotateProduct Generate (batches of 1)',
		parameters: { ...OPERATIONS[0].parameters, options: { batchSize: 1 } },
	};
	test.each([
		['RotateProduct Generate, batches of 1', rotateProductOneByOne],
		['Colossyan Generate', OPERATIONS[3]],
		['Create Instant Avatar', createInstantAvatar],
	] as const)('%s: two items sending the same request in one run are two paid works', async (_name, operation) => {
		const [same] = operation.input(1, false);
		const { items, error } = await runWithRetries(operation, 'stopWorkflow', 3, [same, same]);
		expect(error).toBeUndefined();
		expect(operation.creates()).toBe(2);
		const ids = operation.createdIds();
		expect(new Set(ids).size).toBe(2);
		expect(outputPairs(items)).toEqual([[0, ids[0]], [1, ids[1]]]);
	});
});

describe('the ledger belongs to one run of the node', () => {
	test.each([
		['RotateProduct Generate', OPERATIONS[0]],
		['Colossyan Generate', OPERATIONS[3]],
		['Create Instant Avatar', createInstantAvatar],
	] as const)('%s: running twice in one execution (a loop) is new paid work each time', async (_name, operation) => {
		const { run, executionId } = await runWithRetries(operation, 'stopWorkflow', 3, operation.input(2, false), 2);
		const runs = run.data.resultData.runData['Node Under Test'];
		expect(runs).toHaveLength(2);
		expect(operation.creates()).toBe(operation.bulk ? 2 : 4);
		const ids = operation.createdIds();
		expect(new Set(ids).size).toBe(4);
		expect(outputPairs(runs[0].data?.main[0] ?? [])).toEqual([[0, ids[0]], [1, ids[1]]]);
		expect(outputPairs(runs[1].data?.main[0] ?? [])).toEqual([[0, ids[2]], [1, ids[3]]]);
		expect(executionId).toEqual(expect.any(String));
	});
});

describe('Colossyan Generate "Until Colossyan Calls Back": an invalid first item makes n8n retry the node before it pauses', () => {
	let n8n: WaitingServer;
	beforeEach(async () => {
		n8n = await startWaitingServer();
	});
	afterEach(async () => await n8n.stop());

	test.each(
		(['continueRegularOutput', 'continueErrorOutput'] as const).flatMap((onError) =>
			[2, 3, 5].map((maxTries) => [onError, maxTries] as const),
		),
	)('%s, %i tries: one job per valid item, and the callbacks complete each with its item', async (onError, maxTries) => {
		const operation = OPERATIONS[3];
		// Only item 0 is invalid, and the requests do not depend on the rest of the item: a retry
		// fed anything else than the input (e.g. the items shown while waiting) would send more.
		const parameters = {
			...operation.parameters,
			script: "={{ $json.invalid ? '' : 'Hello!' }}",
			videoName: 'Welcome',
			waitMethod: 'callback',
			waitTimeoutMinutes: 30,
		};
		const input = [{ invalid: true }, {}, {}].map((json, item) => ({ json, pairedItem: { item } }));
		col.sim.renderMs = 600_000;
		const execution = await n8n.start(
			{ type: 'colossyan', parameters, onError, retryOnFail: true, maxTries, waitBetweenTries: 1 },
			input,
			{ colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } },
		);
		expect(execution.status).toBe('waiting');
		expect(col.sim.count('POST', JOBS)).toBe(2);
		const jobIds = col.sim.allJobs().map((job) => job.id);
		for (const jobId of jobIds) col.sim.end(jobId);
		await col.sim.settleCallbacks();
		expect((await n8n.settled(execution.id)).status).toBe('success');
		const [success, errors = []] = n8n.outputs(execution.id);
		const all = [...success, ...errors];
		expect(byItem(outputPairs(all))).toEqual([[1, jobIds[0]], [2, jobIds[1]]]);
		expect(all.find((item) => (item.pairedItem as { item: number }).item === 0)?.json.error).toEqual(expect.any(String));
		expect(success.filter((item) => item.json.jobId !== undefined).every((item) => item.json.state === 'done')).toBe(true);
	});
});

describe('the ledger is bounded without timers (pruned on access)', () => {
	test('its limits: a week since last use, 5000 entries', () => {
		expect(LEDGER_MAX_AGE_MS).toBe(7 * 24 * 60 * 60 * 1000);
		expect(LEDGER_MAX_ENTRIES).toBe(5000);
	});

	test.each([1, 2, 3, 4, 5])('seed %i: never above its size, never an entry unused for longer than its age, a recent one kept', (seed) => {
		const random = seededRandom(seed);
		let clock = 0;
		const limits = { maxEntries: 20, maxAgeMs: 1000 };
		const map = new BoundedMap<number>(limits, () => clock);
		const lastUse = new Map<string, number>();
		for (let step = 0; step < 2000; step++) {
			clock += Math.floor(random() * 10);
			const key = `k${Math.floor(random() * 200)}`;
			if (random() < 0.5) {
				map.set(key, step);
				lastUse.set(key, clock);
			} else if (map.get(key) !== undefined) {
				expect(clock - (lastUse.get(key) as number)).toBeLessThanOrEqual(limits.maxAgeMs);
				lastUse.set(key, clock);
			}
			expect(map.size).toBeLessThanOrEqual(limits.maxEntries);
		}
		// The most recent entry is there; after the age bound, nothing is.
		map.set('recent', 1);
		expect(map.get('recent')).toBe(1);
		clock += limits.maxAgeMs + 1;
		expect(map.get('recent')).toBeUndefined();
		expect(map.size).toBe(0);
	});
});
