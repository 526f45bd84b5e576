/** Colossyan Generate through n8n's engine: the three request bodies, callbacks, bad input, waiting. */
import { hasValidSignature, NONCE_PARAMETER, SIGNATURE_PARAMETER } from '../../nodes/Colossyan/helpers/callbackToken';
import { binaryBuffer, loadOptions } from '../harness/engine';
import { videoBuffer } from '../simulators/common/videoBytes';
import { videoSeed, VOICES } from '../simulators/colossyan/ColossyanSimulator';
import { sha256 } from '../helpers/zip';
import { avatarVideo, JOBS, TEMPLATE, TOKEN, useColossyan } from './fixture';

const col = useColossyan({ videoSizeBytes: 80_000 });

function posted(path = JOBS): unknown[] {
	return col.sim.matching('POST', path).map((request) => request.body);
}

describe('request bodies are what the contract says', () => {
	test('Avatar and Script: a one-scene videoCreative with the avatar, voice, script and size', async () => {
		const { items, error } = await col.run({ ...avatarVideo, size: 'portrait', backgroundImageUrl: 'https://cdn.example/office.jpg' }, [{ name: 'Ada' }]);
		expect(error).toBeUndefined();
		const frame = { position: { x: 0, y: 0 }, size: { width: 1080, height: 1920 } };
		expect(posted()).toEqual([
			{
				videoCreative: {
					settings: { name: 'Welcome Ada', videoSize: { width: 1080, height: 1920 }, alphaChannel: false },
					scenes: [
						{
							name: 'Scene 1',
							tracks: [
								{ type: 'image', imageUrl: 'https://cdn.example/office.jpg', ...frame },
								{ type: 'actor', actor: 'karen', text: 'Hello Ada!', speakerId: 'voice-karen-en', ...frame, removeBackground: true },
							],
						},
					],
				},
			},
		]);
		const job = col.sim.job(String(items[0].json.jobId));
		expect(items[0].json).toEqual({
			jobId: job?.id,
			videoId: job?.videoId,
			state: 'running',
			status: 'in_queue',
			progressPercent: 0,
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test("an empty voice takes the avatar's default voice from /assets/actors, read once", async () => {
		await col.run({ ...avatarVideo, avatar: 'nathan', voice: '' }, [{ name: 'A' }, { name: 'B' }]);
		const bodies = posted() as Array<{ videoCreative: { scenes: Array<{ tracks: Array<{ speakerId?: string }> }> } }>;
		expect(bodies.map((body) => body.videoCreative.scenes[0].tracks[0].speakerId)).toEqual(['voice-nathan-en', 'voice-nathan-en']);
		expect(col.sim.count('GET', '/api/v1/assets/actors')).toBe(1);
	});

	test('Template: templateJobId, dynamicVariables (required, even empty) and callbackUrl', async () => {
		const { items, error } = await col.run(
			{
				resource: 'job',
				operation: 'generate',
				generateMode: 'template',
				templateJobId: TEMPLATE,
				dynamicVariables: { variable: [{ name: 'firstName', value: '={{ $json.name }}' }, { name: 'team', value: 'Sales' }] },
				callbackUrl: 'https://n8n.example/webhook/abc/webhook',
				options: { callbackPayload: '{"entry": 7}', signCallback: false },
			},
			[{ name: 'Ada' }],
		);
		expect(error).toBeUndefined();
		expect(posted(`${JOBS}/template-jobs`)).toEqual([
			{
				templateJobId: TEMPLATE,
				dynamicVariables: { firstName: 'Ada', team: 'Sales' },
				callbackUrl: 'https://n8n.example/webhook/abc/webhook',
				callbackPayload: { entry: 7 },
			},
		]);
		expect(items[0].json.jobId).toEqual(expect.any(String));
		await col.run({ resource: 'job', operation: 'generate', generateMode: 'template', templateJobId: TEMPLATE });
		expect(posted(`${JOBS}/template-jobs`)[1]).toEqual({ templateJobId: TEMPLATE, dynamicVariables: {} });
	});

	test('Advanced: the creative JSON as given, variables from JSON, callback as "callback"', async () => {
		const creative = { settings: { name: 'Raw' }, scenes: [{ name: 'S', tracks: [{ type: 'text', text: 'Hi' }] }] };
		const { error } = await col.run({
			resource: 'job',
			operation: 'generate',
			generateMode: 'advanced',
			videoCreative: JSON.stringify(creative),
			variablesInput: 'json',
			dynamicVariablesJson: '{"name": "Ada", "age": 36}',
			callbackUrl: 'https://n8n.example/webhook/abc/webhook',
			options: { signCallback: false },
		});
		expect(error).toBeUndefined();
		expect(posted()).toEqual([
			{ videoCreative: creative, dynamicVariables: { name: 'Ada', age: '36' }, callback: 'https://n8n.example/webhook/abc/webhook' },
		]);
	});

	test('the callback URL gets a nonce and a signature the trigger can check with the same token', async () => {
		await col.run({ ...avatarVideo, callbackUrl: 'https://n8n.example/webhook/abc/webhook?keep=1' }, [{ name: 'A' }, { name: 'B' }]);
		const urls = (posted() as Array<{ callback: string }>).map((body) => new URL(body.callback));
		expect(urls.map((url) => url.origin + url.pathname)).toEqual(Array(2).fill('https://n8n.example/webhook/abc/webhook'));
		expect(urls[0].searchParams.get('keep')).toBe('1');
		const queries = urls.map((url) => Object.fromEntries(url.searchParams));
		expect(queries[0][NONCE_PARAMETER]).not.toBe(queries[1][NONCE_PARAMETER]);
		expect(queries.every((query) => hasValidSignature(query, TOKEN))).toBe(true);
		expect(hasValidSignature(queries[0], 'another token')).toBe(false);
		expect(hasValidSignature({ ...queries[0], [SIGNATURE_PARAMETER]: queries[1][SIGNATURE_PARAMETER] }, TOKEN)).toBe(false);
		expect(JSON.stringify(posted())).not.toContain(TOKEN);
	});
});

describe('bad input is an item error before any paid call', () => {
	test.each([
		['invalid JSON creative', { resource: 'job', operation: 'generate', generateMode: 'advanced', videoCreative: '{"scenes": [' }, /^Video Creative in item 0 is not valid JSON$/],
		['a creative without scenes', { resource: 'job', operation: 'generate', generateMode: 'advanced', videoCreative: '{"settings": {}}' }, /has no scenes with tracks/],
		['an empty script', { ...avatarVideo, script: '  ' }, /^Script is empty in item 0$/],
		['no avatar (mapped from an empty field)', { ...avatarVideo, avatar: '={{ $json.avatar }}' }, /^Avatar is empty in item 0$/],
		['a missing template id (mapped from an empty field)', { resource: 'job', operation: 'generate', generateMode: 'template', templateJobId: '={{ $json.template }}' }, /^No template job ID in item 0$/],
		['a bad callback URL', { ...avatarVideo, callbackUrl: 'n8n.example/webhook' }, /^Callback URL in item 0 is not an http\(s\) URL/],
		['variables that are not text', { ...avatarVideo, variablesInput: 'json', dynamicVariablesJson: '{"a": {"b": 1}}' }, /^Dynamic variable "a" in item 0 is not text$/],
		['a bad background URL', { ...avatarVideo, backgroundImageUrl: 'file:///etc/passwd' }, /^Background Image URL in item 0 is not an http\(s\) URL/],
	])('%s', async (_name, parameters, message) => {
		const { error } = await col.run(parameters, [{ name: 'Ada' }]);
		expect(error?.message).toMatch(message);
		expect(col.sim.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
	});

	test('with Continue On Fail the good items are created beside the error items', async () => {
		const { items } = await col.run({ ...avatarVideo, script: '={{ $json.script }}' }, [{ script: 'One' }, { script: '' }, { script: 'Three' }], {
			continueOnFail: true,
		});
		expect(items.map((item) => [item.json.error ?? item.json.status, item.pairedItem])).toEqual([
			['in_queue', { item: 0 }],
			['Script is empty in item 1', { item: 1 }],
			['in_queue', { item: 2 }],
		]);
		expect(col.sim.count('POST', JOBS)).toBe(2);
	});

	test('without it, a bad item among good ones stops the node before any paid call', async () => {
		const { error } = await col.run({ ...avatarVideo, script: '={{ $json.script }}' }, [{ script: 'One' }, { script: 'Two' }, { script: '' }, { script: 'Four' }]);
		expect(error?.message).toBe('Script is empty in item 2');
		expect(col.sim.count('POST', JOBS)).toBe(0);
	});

	test('an unknown template is a 404 naming it', async () => {
		const { error } = await col.run({ resource: 'job', operation: 'generate', generateMode: 'template', templateJobId: 'tmpl_nope' });
		expect(error?.message).toBe('Not found: no such template job in this workspace');
	});
});

describe('the Avatar and Voice dropdowns', () => {
	const credentials = () => ({ colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } });
	const node = { type: 'colossyan', parameters: avatarVideo };

	test("avatars: labelled by display_name, valued by name, gender and default voice described", async () => {
		const avatars = await loadOptions(node, 'getAvatars', credentials());
		expect(avatars.map((option) => option.value)).toEqual(['amara', 'karen', 'nathan']);
		expect(avatars[1]).toEqual({ name: 'Karen', value: 'karen', description: 'Female, voice: voice-karen-en' });
	});

	test('voices in the real shape: labelled by displayName, valued by name (the speakerId), languages and genders described', async () => {
		const voices = await loadOptions(node, 'getVoices', credentials());
		expect(voices[0]).toMatchObject({ value: '', name: "Avatar's Own Voice" });
		expect(voices.slice(1)).toEqual(
			[...VOICES]
				.sort((a, b) => a.displayName.localeCompare(b.displayName))
				.map((voice) => ({ name: voice.displayName, value: voice.name, description: [...voice.languages, ...voice.genders].join(', ') })),
		);
		expect(voices.find((option) => option.value === 'voice-amara-en')).toEqual({ name: 'Amara', value: 'voice-amara-en', description: 'en-US, fr-FR, Female' });
	});

	test('every reading of the lists: voices in the older flat shape, lists wrapped in { data }', async () => {
		const expected = VOICES.map((voice) => voice.name).sort();
		for (const [voiceShape, assetLists] of [['flat', 'bare'], ['connector', 'wrapped'], ['flat', 'wrapped']] as const) {
			Object.assign(col.sim, { voiceShape, assetLists });
			const voices = (await loadOptions(node, 'getVoices', credentials())).slice(1);
			expect(voices.map((option) => option.value).sort()).toEqual(expected);
			for (const option of voices) expect(option.name).not.toBe(option.value);
			if (voiceShape === 'flat') expect(voices.find((option) => option.value === 'voice-lena-de')).toEqual({ name: 'Lena (de-DE)', value: 'voice-lena-de', description: 'de-DE, female' });
			expect((await loadOptions(node, 'getAvatars', credentials())).map((option) => option.name)).toEqual(['Amara', 'Karen', 'Nathan']);
		}
	});

	test('a voice picked from the dropdown is what Generate sends as speakerId', async () => {
		const voices = await loadOptions(node, 'getVoices', credentials());
		const lena = voices.find((option) => option.name === 'Lena');
		const { error } = await col.run({ ...avatarVideo, voice: lena?.value as string }, [{ name: 'Ada' }]);
		expect(error).toBeUndefined();
		const sent = col.sim.allJobs()[0].request as { videoCreative: { scenes: Array<{ tracks: Array<{ speakerId?: string }> }> } };
		expect(sent.videoCreative.scenes[0].tracks.find((track) => track.speakerId)?.speakerId).toBe('voice-lena-de');
	});
});

describe('wait for completion', () => {
	const waiting = { ...avatarVideo, waitForCompletion: true, pollIntervalSeconds: 1, waitTimeoutMinutes: 1 };

	test('polls until finished: done, 100 %, and the video attached when asked', async () => {
		col.sim.renderMs = 1500;
		const { items, error } = await col.run({ ...waiting, downloadVideo: true, binaryPropertyName: 'video' }, [{ name: 'Ada' }, { name: 'Bob' }]);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.state, item.json.status, item.json.progressPercent])).toEqual([
			['done', 'finished', 100],
			['done', 'finished', 100],
		]);
		expect(items[0].binary?.video).toMatchObject({ fileName: 'Welcome_Ada.mp4', mimeType: 'video/mp4' });
		const job = col.sim.job(String(items[0].json.jobId));
		expect(sha256(await binaryBuffer(items[0].binary?.video))).toBe(sha256(videoBuffer(videoSeed(String(job?.videoId)), 80_000)));
		expect(col.sim.files.requests.every((request) => request.headers.authorization === undefined)).toBe(true);
	});

	test('Put Output File in Field is read per item: an expression names each item\'s own field', async () => {
		col.sim.renderMs = 1000;
		const { items, error } = await col.run({ ...waiting, downloadVideo: true, binaryPropertyName: '=video_{{ $json.name }}' }, [{ name: 'Ada' }, { name: 'Bob' }]);
		expect(error).toBeUndefined();
		expect(items.map((item) => Object.keys(item.binary ?? {}))).toEqual([['video_Ada'], ['video_Bob']]);
	});

	test('a failed job is output as failed, without a download', async () => {
		col.sim.renderMs = 1000;
		col.sim.outcomeOf = () => 'failed';
		const { items } = await col.run({ ...waiting, downloadVideo: true }, [{ name: 'Ada' }]);
		expect(items[0].json).toMatchObject({ state: 'failed', status: 'failed' });
		expect(items[0].binary).toBeUndefined();
		expect(col.sim.files.requests).toHaveLength(0);
	});

	test('on timeout the running job is output with its status and progress', async () => {
		col.sim.renderMs = 600_000;
		col.sim.clock.advance(0);
		const { items } = await col.run({ ...waiting, waitTimeoutMinutes: 0.03 }, [{ name: 'Ada' }]);
		expect(items[0].json).toMatchObject({
			state: 'running',
			status: 'in_queue',
			progressPercent: 0,
			message: 'Still running when the wait timed out; check it later with Get Status',
		});
	});

	test('cancelling the execution stops the wait promptly', async () => {
		col.sim.renderMs = 600_000;
		const started = Date.now();
		const { run } = await col.run(waiting, [{ name: 'Ada' }], { cancelAfterMs: 1500 });
		expect(Date.now() - started).toBeLessThan(5000);
		expect(run.status).toBe('canceled');
		const polls = col.sim.count('GET', /^\/api\/v1\/video-generation-jobs\//);
		await new Promise((resolve) => setTimeout(resolve, 2500));
		expect(col.sim.count('GET', /^\/api\/v1\/video-generation-jobs\//)).toBe(polls);
	});
});
