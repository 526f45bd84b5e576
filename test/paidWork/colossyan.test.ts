/**
 * Colossyan Generate: jobs created before a later failure (status reads, the
 * wait's timeout, a download, a cancel) are never lost, with and without
 * Continue On Fail, and with n8n's error output.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import type { WaitingServer } from '../harness/waiting';
import { startWaitingServer } from '../harness/waiting';
import { avatarVideo, TOKEN, useColossyan } from '../colossyan/fixture';

const col = useColossyan();

const waiting = { ...avatarVideo, waitForCompletion: true, pollIntervalSeconds: 1, waitTimeoutMinutes: 1 };
const people = [{ name: 'Ada' }, { name: 'Bob' }, { name: 'Cy' }];
const JOB_READS = /^\/api\/v1\/video-generation-jobs\/[^/]+$/;

function expectedPairs(): Array<[number, string]> {
	return col.sim.allJobs().map((job, index) => [index, job.id]);
}

function namedInDescription(error: unknown): Array<[number, string]> {
	const description = (error as { description?: string }).description ?? '';
	return [...description.matchAll(/item (\d+): job ([\w-]+)/g)].map((m) => [Number(m[1]), m[2]]);
}

/** (item, job id); on n8n 1.x's error output the id is read from the message ("Job x was created ..."). */
function pairsOf(items: INodeExecutionData[]): Array<[number, string]> {
	return items.map((item) => {
		const fromMessage = /^Job ([\w-]+) was created/.exec(String(item.json.error ?? ''))?.[1];
		return [(item.pairedItem as { item: number }).item, (item.json.jobId as string | undefined) ?? String(fromMessage)];
	});
}

describe('status reads fail after the jobs were created', () => {
	beforeEach(() => col.sim.inject({ method: 'GET', path: JOB_READS, times: 1000, fault: { kind: 'status', status: 503 } }));

	test('without Continue On Fail the error names every created job with its item', async () => {
		const { error, items } = await col.run(waiting, people);
		expect(items).toHaveLength(0);
		expect(col.sim.allJobs()).toHaveLength(3);
		expect(error?.message).toMatch(/^Waiting for the jobs failed after 3 jobs were created: /);
		expect(namedInDescription(error)).toEqual(expectedPairs());
	});

	test('with Continue On Fail every created job is output with its id, state and the error', async () => {
		const { error, items } = await col.run(waiting, people, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(pairsOf(items)).toEqual(expectedPairs());
		for (const item of items) {
			expect(item.json).toMatchObject({ state: 'running', videoId: expect.any(String) });
			expect(item.json.error).toMatch(/503/);
		}
	});

	test('with the error output every created job arrives there, with its id', async () => {
		const { items, errorItems } = await col.run(waiting, people, { onError: 'continueErrorOutput' });
		expect(items).toHaveLength(0);
		expect(pairsOf(errorItems)).toEqual(expectedPairs());
	});
});

test('on a wait timeout every created job is in the output (running, with a message), not an error', async () => {
	col.sim.renderMs = 600_000;
	const { error, items } = await col.run({ ...waiting, waitTimeoutMinutes: 0.02 }, people);
	expect(error).toBeUndefined();
	expect(pairsOf(items)).toEqual(expectedPairs());
	expect(items.every((item) => item.json.state === 'running' && typeof item.json.message === 'string')).toBe(true);
});

describe('the downloads fail after the wait', () => {
	const downloading = { ...waiting, downloadVideo: true };
	beforeEach(() => {
		col.sim.renderMs = 500;
		col.sim.files.inject({ method: 'GET', times: 1000, fault: { kind: 'status', status: 500 } });
	});

	test('without Continue On Fail the error names every created job', async () => {
		const { error } = await col.run(downloading, people);
		expect(error?.message).toMatch(/^Downloading the video of item 0 failed after 3 jobs were created: /);
		expect(namedInDescription(error)).toEqual(expectedPairs());
	});

	test('with the error output the failed items go there with their ids', async () => {
		const { items, errorItems } = await col.run(downloading, people, { onError: 'continueErrorOutput' });
		expect(items).toHaveLength(0);
		expect(pairsOf(errorItems)).toEqual(expectedPairs());
	});

	test('with Continue (regular output) each failed item keeps its id, state and the error', async () => {
		const { items } = await col.run(downloading, people, { continueOnFail: true });
		expect(pairsOf(items)).toEqual(expectedPairs());
		expect(items.every((item) => item.json.state === 'done' && typeof item.json.error === 'string' && !item.binary)).toBe(true);
	});
});

test('cancelling during the wait: the execution is cancelled and its error names every created job', async () => {
	col.sim.renderMs = 600_000;
	const { run, error } = await col.run(waiting, people, { cancelAfterMs: 1500 });
	expect(run.status).toBe('canceled');
	expect(col.sim.allJobs()).toHaveLength(3);
	expect(namedInDescription(error)).toEqual(expectedPairs());
});

describe('"Until Colossyan Calls Back" under every On Error setting: the paused state survives n8n', () => {
	let n8n: WaitingServer;
	beforeEach(async () => {
		n8n = await startWaitingServer();
	});
	afterEach(async () => await n8n.stop());

	test.each(['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput'] as const)(
		'%s: the saved input keeps every job, the callbacks continue the execution, every job comes out done',
		async (onError) => {
			const parameters = { ...avatarVideo, waitForCompletion: true, waitMethod: 'callback', waitTimeoutMinutes: 30 };
			const input = people.map((json, item) => ({ json, pairedItem: { item } }));
			const credentials = { colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } };
			col.sim.renderMs = 600_000;
			const execution = await n8n.start({ type: 'colossyan', parameters, onError }, input, credentials);
			expect(execution.status).toBe('waiting');
			const jobIds = col.sim.allJobs().map((job) => job.id);
			// What n8n hands back to the callbacks: n8n's routing of the node's output did not empty it.
			expect(n8n.savedInput(execution.id).map((item) => item.json.jobId)).toEqual(jobIds);
			for (const jobId of jobIds) col.sim.end(jobId);
			await col.sim.settleCallbacks();
			expect(col.sim.callbacks.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
			expect((await n8n.settled(execution.id)).status).toBe('success');
			const [success, errors = []] = n8n.outputs(execution.id);
			expect(errors).toHaveLength(0);
			expect(success.map((item) => [item.json.jobId, item.json.state])).toEqual(jobIds.map((jobId) => [jobId, 'done']));
		},
	);
});
