/**
 * Attacks that FAIL today: each documents a hole in a promise of issues #24/#29.
 * Every test asserts the promise as stated; it goes green once the hole is fixed.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { WaitingServer } from '../harness/waiting';
import { startWaitingServer } from '../harness/waiting';

import { avatarVideo, JOBS, TOKEN, useColossyan } from '../colossyan/fixture';

describe('Colossyan: "every id/field is checked before any request" (Delete Video, Create Instant Avatar)', () => {
	const col = useColossyan();

	test('Delete Video, item 0 a real video, item 1 a path-traversal id, no Continue On Fail: nothing is deleted', async () => {
		const [ada] = await col.finishedJobs(['Ada']);
		const remove = { resource: 'video', operation: 'delete', idType: 'video', id: '={{ $json.id }}' };
		const { error } = await col.run(remove, [{ id: ada.videoId }, { id: '../assets/actors' }]);
		expect(error?.message).toContain('is not a video ID');
		// The run failed, so n8n shows no output: a deletion that cannot be undone must not have happened.
		expect(col.sim.count('DELETE', /generated-videos/)).toBe(0);
		expect(col.sim.job(ada.id)?.videoDeleted).toBeUndefined();
	});

	test('Delete Video whose first DELETE is processed but its answer lost (reset): not reported as "not found, generate it again"', async () => {
		const [ada] = await col.finishedJobs(['Ada']);
		col.sim.inject({ method: 'DELETE', path: /generated-videos/, times: 1, fault: { kind: 'resetAfterProcessing' } });
		const { items } = await col.run({ resource: 'video', operation: 'delete', idType: 'video', id: ada.videoId }, [{}], { continueOnFail: true });
		expect(col.sim.job(ada.id)?.videoDeleted).toBe(true);
		// Today: the retry meets 404 and the item says the video "was not found … generate it again".
		expect(JSON.stringify(items[0].json)).toMatch(/"deleted":true|may have/i);
	});

	test('Create Instant Avatar, item 0 valid, item 1 a non-http URL, no Continue On Fail: no paid avatar is created and lost', async () => {
		const create = {
			resource: 'asset',
			operation: 'createInstantAvatar',
			displayName: '={{ $json.displayName }}',
			sourceFileUrl: '={{ $json.url }}',
			gender: 'Female',
		};
		const { error } = await col.run(create, [
			{ displayName: 'Ada', url: 'https://cdn.example/ada.mp4' },
			{ displayName: 'Bob', url: 'file:///etc/passwd' },
		]);
		expect(error?.message).toContain('Source Video URL in item 1');
		// Either nothing was sent, or the error names the avatar that was made (else it is paid and lost).
		const made = col.sim.instantAvatars.map((avatar) => avatar.name);
		const description = String((error as { description?: unknown } | undefined)?.description ?? '');
		for (const name of made) expect(`${error?.message ?? ''} ${description}`).toContain(name);
	});
});

describe('Colossyan callback wait', () => {
	const col = useColossyan({ renderMs: 10 * 60_000 });
	let n8n: WaitingServer;
	beforeEach(async () => {
		n8n = await startWaitingServer();
	});
	afterEach(async () => await n8n.stop());

	const callbackWait: INodeParameters = { ...avatarVideo, waitForCompletion: true, waitMethod: 'callback', waitTimeoutMinutes: 30 };
	const people = (...names: string[]): INodeExecutionData[] => names.map((name, item) => ({ json: { name }, pairedItem: { item } }));
	type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	async function start(parameters: INodeParameters, input: INodeExecutionData[], onError: OnError | boolean = false) {
		const credentials = { colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } };
		const how = typeof onError === 'string' ? { onError } : { continueOnFail: onError };
		return await n8n.start({ type: 'colossyan', parameters, ...how }, input, credentials);
	}
	async function endJob(jobId: string, outcome: 'finished' | 'failed' = 'finished') {
		col.sim.end(jobId, outcome);
		await col.sim.settleCallbacks();
	}

	test.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		"%s: item 0's POST is processed but its answer lost; its job calls back to item 0's signed URL with its id: that id is in the output",
		async (onError) => {
			col.sim.inject({ method: 'POST', path: JOBS, times: 1, fault: { kind: 'resetAfterProcessing' } });
			const execution = await start(callbackWait, people('Ada', 'Grace'), onError);
			expect(execution.status).toBe('waiting');
			const jobs = col.sim.allJobs();
			expect(jobs).toHaveLength(2);
			for (const job of jobs) await endJob(job.id);
			await n8n.settled(execution.id);
			const text = JSON.stringify(n8n.outputs(execution.id).flat());
			// Today: the callback of job 1 (signed for item 0, carrying the job id) is answered 401 and the paid job is dropped.
			for (const job of jobs) expect(text).toContain(job.id);
		},
	);

	/** The lifecycle diagram's spelling (API-CONTRACT.md: "also spells `Running` and `Cancelled`"). */
	function statusSpelledAs(spell: (status: string, job: { deleted?: boolean }) => string): void {
		const sim = col.sim as unknown as { jobView(job: { deleted?: boolean }): { status: string } };
		const view = sim.jobView.bind(col.sim);
		sim.jobView = (job) => {
			const shown = view(job);
			return { ...shown, status: spell(shown.status, job) };
		};
	}

	test.each(['Cancelled', 'cancelled', 'canceled'])(
		'a job cancelled while the execution waits (status "%s"): the next callback continues the execution with it as ended',
		async (spelling) => {
			statusSpelledAs((status, job) => (job.deleted ? spelling : status));
			const execution = await start(callbackWait, people('Ada', 'Grace'));
			const [cancelled, finished] = n8n.output(execution.id).map((item) => String(item.json.jobId));
			const cancel = await col.run({ resource: 'job', operation: 'cancel', jobId: cancelled }, [{}]);
			expect(cancel.error).toBeUndefined();
			await endJob(finished);
			expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		},
	);

	test.each(['Finished', 'FINISHED'])('a job whose status is spelled "%s" (the diagram capitalises): the callback continues the execution', async (spelling) => {
		statusSpelledAs((status) => (status === 'finished' ? spelling : status));
		const execution = await start(callbackWait, people('Ada'));
		const [jobId] = n8n.output(execution.id).map((item) => String(item.json.jobId));
		await endJob(jobId);
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		expect(n8n.output(execution.id)[0].json.state).toBe('done');
	});
});
