/**
 * Attacks on the Colossyan node's promises that once failed (test/attack/holes.test.ts),
 * kept here once fixed, with the class around each.
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

	test('Delete Video by job ID, item 2 a bad job id, no Continue On Fail: no job is even read, nothing is deleted', async () => {
		const [ada, bob] = await col.finishedJobs(['Ada', 'Bob']);
		const remove = { resource: 'video', operation: 'delete', idType: 'job', id: '={{ $json.id }}' };
		const { error } = await col.run(remove, [{ id: ada.id }, { id: bob.id }, { id: 'a/../b' }]);
		expect(error?.message).toMatch(/item 2|is not a job ID/);
		expect(col.sim.count('DELETE', /generated-videos/)).toBe(0);
		expect(col.sim.count('GET', /video-generation-jobs\//)).toBe(0);
	});

	test('Delete Video with Continue On Fail: the bad item is an error item, the good ones are deleted, each on its own item', async () => {
		const [ada, bob] = await col.finishedJobs(['Ada', 'Bob']);
		const remove = { resource: 'video', operation: 'delete', idType: 'video', id: '={{ $json.id }}' };
		const { items, error } = await col.run(remove, [{ id: ada.videoId }, { id: '../x' }, { id: bob.videoId }], { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.pairedItem, item.json.deleted ?? item.json.error !== undefined])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, true],
			[{ item: 2 }, true],
		]);
		expect(String(items[1].json.error)).toContain('is not a video ID');
		expect([col.sim.job(ada.id)?.videoDeleted, col.sim.job(bob.id)?.videoDeleted]).toEqual([true, true]);
	});

	test('Delete Video whose first DELETE is processed but its answer lost (reset): not reported as "not found, generate it again"', async () => {
		const [ada] = await col.finishedJobs(['Ada']);
		col.sim.inject({ method: 'DELETE', path: /generated-videos/, times: 1, fault: { kind: 'resetAfterProcessing' } });
		const { items } = await col.run({ resource: 'video', operation: 'delete', idType: 'video', id: ada.videoId }, [{}], { continueOnFail: true });
		expect(col.sim.job(ada.id)?.videoDeleted).toBe(true);
		expect(JSON.stringify(items[0].json)).toMatch(/"deleted":true|may have/i);
	});

	test.each([502, 503, 504])('Delete Video whose first DELETE is processed, then answered %i (retried, then 404): deleted, with a note', async (status) => {
		const [ada] = await col.finishedJobs(['Ada']);
		col.sim.deleteAnswer = 'message'; // the simulator injects a status into JSON answers only
		col.sim.inject({ method: 'DELETE', path: /generated-videos/, times: 1, fault: { kind: 'statusAfterProcessing', status } });
		const { items, error } = await col.run({ resource: 'video', operation: 'delete', idType: 'video', id: ada.videoId }, [{}]);
		expect(error).toBeUndefined();
		expect(col.sim.count('DELETE', /generated-videos/)).toBe(2);
		expect(items[0].json).toMatchObject({ videoId: ada.videoId, deleted: true });
		expect(String(items[0].json.note)).toMatch(/answer to the first DELETE was lost/);
	});

	test('Delete Video of a video already gone, first attempt answered 404: still "not found" (no earlier attempt to credit)', async () => {
		const [ada] = await col.finishedJobs(['Ada']);
		col.sim.job(ada.id)!.videoDeleted = true;
		const { error } = await col.run({ resource: 'video', operation: 'delete', idType: 'video', id: ada.videoId }, [{}]);
		expect(error?.message).toContain(`Video ${ada.videoId} was not found`);
	});

	test('Delete Video after a 429 (certainly not processed), then 404: still "not found"', async () => {
		const [ada] = await col.finishedJobs(['Ada']);
		col.sim.job(ada.id)!.videoDeleted = true;
		col.sim.inject({ method: 'DELETE', path: /generated-videos/, times: 1, fault: { kind: 'status', status: 429, retryAfter: '0' } });
		const { error } = await col.run({ resource: 'video', operation: 'delete', idType: 'video', id: ada.videoId }, [{}]);
		expect(col.sim.count('DELETE', /generated-videos/)).toBe(2);
		expect(error?.message).toContain(`Video ${ada.videoId} was not found`);
	});

	const createAvatar = {
		resource: 'asset',
		operation: 'createInstantAvatar',
		displayName: '={{ $json.displayName }}',
		sourceFileUrl: '={{ $json.url }}',
		gender: 'Female',
	};

	test('Create Instant Avatar, item 0 valid, item 1 a non-http URL, no Continue On Fail: no paid avatar is created and lost', async () => {
		const { error } = await col.run(createAvatar, [
			{ displayName: 'Ada', url: 'https://cdn.example/ada.mp4' },
			{ displayName: 'Bob', url: 'file:///etc/passwd' },
		]);
		expect(error?.message).toContain('Source Video URL in item 1');
		// Either nothing was sent, or the error names the avatar that was made (else it is paid and lost).
		const made = col.sim.instantAvatars.map((avatar) => avatar.name);
		const description = String((error as { description?: unknown } | undefined)?.description ?? '');
		for (const name of made) expect(`${error?.message ?? ''} ${description}`).toContain(name);
		expect(col.sim.count('POST', /assets\/actors/)).toBe(0);
	});

	test('Create Instant Avatar with Continue On Fail: the bad item is an error item, the good ones are created on their own items', async () => {
		const { items, error } = await col.run(
			createAvatar,
			[
				{ displayName: 'Ada', url: 'https://cdn.example/ada.mp4' },
				{ displayName: '', url: 'https://cdn.example/none.mp4' },
				{ displayName: 'Grace', url: 'https://cdn.example/grace.mp4' },
			],
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(String(items[1].json.error)).toContain('Display Name is empty in item 1');
		expect(col.sim.instantAvatars.map((avatar) => avatar.displayName)).toEqual(['Ada', 'Grace']);
	});

	test('Cancel (deletes a job), item 1 a bad job id, no Continue On Fail: no job is cancelled', async () => {
		const [ada] = await col.finishedJobs(['Ada']);
		const { error } = await col.run({ resource: 'job', operation: 'cancel', jobId: '={{ $json.id }}' }, [{ id: ada.id }, { id: '../x' }]);
		expect(error?.message).toContain('is not a job ID');
		expect(col.sim.count('DELETE', /video-generation-jobs/)).toBe(0);
	});

	test('every operation that is paid or destructive runs only checked first: it declares so and has no execute() of its own', () => {
		const resources = ['job/Job', 'video/Video', 'asset/Asset'].map(
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			(name) => require(`../../dist/nodes/Colossyan/actions/${name}.resource.js`) as Record<string, { effect?: string; execute?: unknown; checksFirst?: unknown }>,
		);
		const declared: string[] = [];
		for (const resource of resources) {
			for (const [name, operation] of Object.entries(resource)) {
				if (name === 'description') continue;
				expect([name, operation.effect]).toEqual([name, expect.stringMatching(/^(read|paid|destructive)$/)]);
				if (operation.effect === 'read') continue;
				declared.push(name);
				expect([name, typeof operation.execute, typeof (operation.checksFirst as { run?: unknown })?.run]).toEqual([name, 'undefined', 'function']);
			}
		}
		expect(declared.sort()).toEqual(['cancel', 'createInstantAvatar', 'delete', 'generate']);
	});
});

describe('Colossyan callback wait: status spellings', () => {
	const col = useColossyan({ renderMs: 10 * 60_000 });
	let n8n: WaitingServer;
	beforeEach(async () => {
		n8n = await startWaitingServer();
	});
	afterEach(async () => await n8n.stop());

	const callbackWait: INodeParameters = { ...avatarVideo, waitForCompletion: true, waitMethod: 'callback', waitTimeoutMinutes: 30 };
	const people = (...names: string[]): INodeExecutionData[] => names.map((name, item) => ({ json: { name }, pairedItem: { item } }));
	async function start(parameters: INodeParameters, input: INodeExecutionData[]) {
		const credentials = { colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } };
		return await n8n.start({ type: 'colossyan', parameters, continueOnFail: false }, input, credentials);
	}
	async function endJob(jobId: string, outcome: 'finished' | 'failed' = 'finished') {
		col.sim.end(jobId, outcome);
		await col.sim.settleCallbacks();
	}

	/** The lifecycle diagram's spelling (API-CONTRACT.md: "also spells `Running` and `Cancelled`"). */
	function statusSpelledAs(spell: (status: string, job: { deleted?: boolean }) => string): void {
		const sim = col.sim as unknown as { jobView(job: { deleted?: boolean }): { status: string } };
		const view = sim.jobView.bind(col.sim);
		sim.jobView = (job) => {
			const shown = view(job);
			return { ...shown, status: spell(shown.status, job) };
		};
	}

	test.each(['Cancelled', 'cancelled', 'canceled', 'CANCELED', 'Deleted'])(
		'a job cancelled while the execution waits (status "%s"): the next callback continues the execution with it as ended',
		async (spelling) => {
			statusSpelledAs((status, job) => (job.deleted ? spelling : status));
			const execution = await start(callbackWait, people('Ada', 'Grace'));
			const [cancelled, finished] = n8n.output(execution.id).map((item) => String(item.json.jobId));
			const cancel = await col.run({ resource: 'job', operation: 'cancel', jobId: cancelled }, [{}]);
			expect(cancel.error).toBeUndefined();
			await endJob(finished);
			expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
			expect(n8n.output(execution.id).map((item) => item.json.state)).toEqual(['failed', 'done']);
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

describe('Colossyan callback wait: a job whose creation answer was lost', () => {
	const col = useColossyan({ renderMs: 10 * 60_000 });
	let n8n: WaitingServer;
	beforeEach(async () => {
		n8n = await startWaitingServer();
	});
	afterEach(async () => await n8n.stop());

	const callbackWait: INodeParameters = { ...avatarVideo, waitForCompletion: true, waitMethod: 'callback', waitTimeoutMinutes: 30 };
	const people = (...names: string[]): INodeExecutionData[] => names.map((name, item) => ({ json: { name }, pairedItem: { item } }));
	type OnError = 'continueRegularOutput' | 'continueErrorOutput';
	async function start(input: INodeExecutionData[], onError: OnError) {
		const credentials = { colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } };
		return await n8n.start({ type: 'colossyan', parameters: callbackWait, onError }, input, credentials);
	}
	async function endJob(jobId: string) {
		col.sim.end(jobId, 'finished');
		await col.sim.settleCallbacks();
	}

	test.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		"%s: item 0's POST is processed but its answer lost; its job calls back to item 0's signed URL with its id: that id is in the output",
		async (onError) => {
			col.sim.inject({ method: 'POST', path: JOBS, times: 1, fault: { kind: 'resetAfterProcessing' } });
			const execution = await start(people('Ada', 'Grace'), onError);
			expect(execution.status).toBe('waiting');
			const jobs = col.sim.allJobs();
			expect(jobs).toHaveLength(2);
			for (const job of jobs) await endJob(job.id);
			await n8n.settled(execution.id);
			const text = JSON.stringify(n8n.outputs(execution.id).flat());
			for (const job of jobs) expect(text).toContain(job.id);
			const final = n8n.output(execution.id);
			expect(final.map((item) => [item.pairedItem, item.json.jobId, item.json.state])).toEqual([
				[{ item: 0 }, jobs[0].id, 'done'],
				[{ item: 1 }, jobs[1].id, 'done'],
			]);
			expect(String(final[0].json.note)).toContain('answer to this job\'s creation was lost');
		},
	);

	test("a callback to item 0's signed URL whose body points at another job's video (item 1's) is refused; the real one is then accepted", async () => {
		col.sim.inject({ method: 'POST', path: JOBS, times: 1, fault: { kind: 'resetAfterProcessing' } });
		const execution = await start(people('Ada', 'Grace'), 'continueRegularOutput');
		const [lost, grace] = col.sim.allJobs();
		const misleading = await fetch(String(lost.callbackUrl), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ status: 'finished', videoUrl: `https://app.colossyan.example/share/${grace.videoId}` }),
		});
		expect(misleading.status).toBe(401);
		for (const job of [lost, grace]) await endJob(job.id);
		await n8n.settled(execution.id);
		expect(n8n.output(execution.id).map((item) => item.json.jobId)).toEqual([lost.id, grace.id]);
	});

	test("when Colossyan's job record does not name its callback URL, the job cannot be confirmed: item 0 stays the error item, the wait still ends", async () => {
		const sim = col.sim as unknown as { jobView(job: unknown): Record<string, unknown> };
		const view = sim.jobView.bind(col.sim);
		sim.jobView = (job) => {
			const { callback: _callback, ...shown } = view(job);
			return shown;
		};
		col.sim.inject({ method: 'POST', path: JOBS, times: 1, fault: { kind: 'resetAfterProcessing' } });
		const execution = await start(people('Ada', 'Grace'), 'continueRegularOutput');
		const [lost, grace] = col.sim.allJobs();
		for (const job of [lost, grace]) await endJob(job.id);
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		const final = n8n.output(execution.id);
		expect(final[0].json.jobId).toBeUndefined();
		expect(String(final[0].json.errorDescription)).toMatch(/may have processed this request/);
		expect(final[1].json.jobId).toBe(grace.id);
	});
});
