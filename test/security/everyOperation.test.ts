/**
 * The key reaches no output of any operation, whatever the upstream echoes: every
 * operation of both nodes (with and without Continue On Fail), the dropdowns, the
 * credential tests, the RotateProduct Trigger's poll errors and the Colossyan
 * Trigger's item, against an upstream that echoes the request's Authorization in
 * its error body (JSON, nested, text, an HTML page, base64 at another offset,
 * URL-encoded) and in its own response headers (WWW-Authenticate, ...). "Reaches"
 * includes re-encoded: base64 at any offset, hex and URL encodings count.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { signCallbackUrl } from '../../nodes/Colossyan/helpers/callbackToken';
import { allText } from '../harness/secrets';
import { loadOptions, pollNode, testCredential } from '../harness/engine';
import type { ServedWebhook } from '../harness/webhook';
import { serveWebhook } from '../harness/webhook';
import { client } from '../helpers/http';
import { revealsSecret, revealsSecretInName } from '../helpers/secretForms';
import type { EchoShape } from '../simulators/common/faults';
import { avatarVideo, TOKEN, useColossyan } from '../colossyan/fixture';
import { generateFromProducts, GENERATIONS, KEY, products, useRotateProduct } from '../rotateproduct/fixture';

const SHAPES: EchoShape[] = ['json', 'nested', 'text', 'html', 'base64', 'urlencoded'];
const EVERY_PATH = /.*/;

function expectNothingOf(secret: string, value: unknown): void {
	const texts = [allText(value), JSON.stringify(value) ?? ''];
	if (value instanceof Error) texts.push(value.message, value.stack ?? '', String((value as { description?: unknown }).description ?? ''));
	for (const text of texts) {
		expect(revealsSecret(text, secret)).toBe(false);
		expect(text).not.toMatch(/Bearer\s+(?!\[redacted\])[A-Za-z0-9]/);
	}
}

describe('RotateProduct: every operation', () => {
	const rp = useRotateProduct({ videoSizeBytes: 2_000 });
	const operations: Array<[string, INodeParameters, IDataObject[] | undefined]> = [
		['Get Credits', { resource: 'account', operation: 'getCredits' }, undefined],
		['Generate', generateFromProducts, products(1)],
		['Get Status', { resource: 'generation', operation: 'getStatus', generationId: '12' }, undefined],
		['List', { resource: 'generation', operation: 'list', returnAll: true }, undefined],
		['Download Video', { resource: 'generation', operation: 'downloadVideo', generationId: '12' }, undefined],
		['Download Zip (server)', { resource: 'generation', operation: 'downloadZip', generationIds: '12,13' }, undefined],
		['Download Zip (in n8n)', { resource: 'generation', operation: 'downloadZip', generationIds: '12,13', archiveMode: 'single' }, undefined],
	];

	test.each(operations)('%s: no key in the error or the Continue On Fail item, whatever the echo', async (_name, parameters, input) => {
		for (const as of SHAPES) {
			for (const status of [400, 401, 404]) {
				rp.sim.faults.clear();
				rp.sim.inject({ path: EVERY_PATH, times: 100, fault: { kind: 'echoHeaders', status, as } });
				const failed = await rp.run(parameters, input);
				expect(failed.error).toBeDefined();
				expectNothingOf(KEY, failed.error);
				const continued = await rp.run(parameters, input, { continueOnFail: true });
				expect(continued.items.length).toBeGreaterThan(0);
				expect(continued.items[0].json.error).toEqual(expect.any(String));
				expectNothingOf(KEY, continued.items);
			}
		}
	});

	test('the credential test against an echoing upstream', async () => {
		for (const as of SHAPES) {
			rp.sim.faults.clear();
			rp.sim.inject({ path: EVERY_PATH, times: 10, fault: { kind: 'echoHeaders', status: 400, as } });
			const result = await testCredential('rotateProductApi', { apiKey: KEY, baseUrl: rp.sim.apiUrl });
			expect(result.status).toBe('Error');
			expectNothingOf(KEY, result);
		}
	});

	test("the trigger's poll errors", async () => {
		for (const as of SHAPES) {
			rp.sim.faults.clear();
			rp.sim.inject({ path: EVERY_PATH, times: 10, fault: { kind: 'echoHeaders', status: 400, as } });
			const error = await pollNode({
				node: { type: 'rotateProductTrigger', parameters: { events: ['completed'], options: {} } },
				credentials: { rotateProductApi: { apiKey: KEY, baseUrl: rp.sim.apiUrl } },
				staticData: {},
			}).then(
				() => undefined,
				(thrown: unknown) => thrown,
			);
			expect(error).toBeInstanceOf(Error);
			expectNothingOf(KEY, error);
		}
	});

	test("the trigger's downloadError on an event whose video answer echoes", async () => {
		const staticData: IDataObject = {};
		const poll = async () =>
			await pollNode({
				node: { type: 'rotateProductTrigger', parameters: { events: ['completed'], options: { downloadVideo: true } } },
				credentials: { rotateProductApi: { apiKey: KEY, baseUrl: rp.sim.apiUrl } },
				staticData,
			});
		await poll();
		const seeded = rp.sim.seed(KEY, SHAPES.map((_as, i) => ({ imageUrl: `https://a.example/${i}.jpg` })), { renderMs: 0 });
		for (const [index, as] of SHAPES.entries()) {
			rp.sim.inject({ path: `${GENERATIONS}/${seeded[index].id}`, times: 10, fault: { kind: 'echoHeaders', status: 400, as } });
		}
		const result = await poll();
		const items = result?.[0] ?? [];
		expect(items).toHaveLength(SHAPES.length);
		for (const item of items) expect(item.json.downloadError).toEqual(expect.any(String));
		expectNothingOf(KEY, items);
	});
});

describe('Colossyan: every operation', () => {
	const col = useColossyan({ videoSizeBytes: 2_000 });
	const operations: Array<[string, INodeParameters, IDataObject[] | undefined]> = [
		['List Avatars', { resource: 'asset', operation: 'listAvatars' }, undefined],
		['List Voices', { resource: 'asset', operation: 'listVoices' }, undefined],
		['Generate', avatarVideo, [{ name: 'Ada' }]],
		['Get Status', { resource: 'job', operation: 'getStatus', jobId: 'job_1' }, undefined],
		['Cancel', { resource: 'job', operation: 'cancel', jobId: 'job_1' }, undefined],
		['Get Video', { resource: 'video', operation: 'get', idType: 'video', id: 'vid_1' }, undefined],
		['Download Video', { resource: 'video', operation: 'download', idType: 'job', id: 'job_1' }, undefined],
		['Download Zip', { resource: 'video', operation: 'downloadZip', idType: 'job', ids: 'job_1,job_2' }, undefined],
		['Delete Video', { resource: 'video', operation: 'delete', idType: 'video', id: 'vid_1' }, undefined],
		['Delete Video (by job)', { resource: 'video', operation: 'delete', idType: 'job', id: 'job_1' }, undefined],
		['Create Instant Avatar', { resource: 'asset', operation: 'createInstantAvatar', displayName: 'Ada', sourceFileUrl: 'https://cdn.example/ada.mp4', gender: 'Female' }, undefined],
	];

	test.each(operations)('%s: no token in the error or the Continue On Fail item, whatever the echo', async (_name, parameters, input) => {
		for (const as of SHAPES) {
			for (const status of [400, 401, 404]) {
				col.sim.faults.clear();
				col.sim.inject({ path: EVERY_PATH, times: 100, fault: { kind: 'echoHeaders', status, as } });
				const failed = await col.run(parameters, input);
				expect(failed.error).toBeDefined();
				expectNothingOf(TOKEN, failed.error);
				const continued = await col.run(parameters, input, { continueOnFail: true });
				expect(continued.items.length).toBeGreaterThan(0);
				expect(continued.items[0].json.error).toEqual(expect.any(String));
				expectNothingOf(TOKEN, continued.items);
			}
		}
	});

	test.each(['getAvatars', 'getVoices'])('the %s dropdown', async (method) => {
		for (const as of SHAPES) {
			col.sim.faults.clear();
			col.sim.inject({ path: EVERY_PATH, times: 10, fault: { kind: 'echoHeaders', status: 400, as } });
			const error = await loadOptions({ type: 'colossyan', parameters: {} }, method, { colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } }).then(
				() => undefined,
				(thrown: unknown) => thrown,
			);
			expect(error).toBeInstanceOf(Error);
			expectNothingOf(TOKEN, error);
		}
	});

	test('the credential test against an echoing upstream', async () => {
		for (const as of SHAPES) {
			col.sim.faults.clear();
			col.sim.inject({ path: EVERY_PATH, times: 10, fault: { kind: 'echoHeaders', status: 400, as } });
			const result = await testCredential('colossyanApi', { apiKey: TOKEN, baseUrl: col.sim.apiUrl });
			expect(result.status).toBe('Error');
			expectNothingOf(TOKEN, result);
		}
	});

	describe('the trigger', () => {
		let hook: ServedWebhook | undefined;
		afterEach(async () => await hook?.stop());

		test("an echoing API confirmation leaves no token in the item's downloadError", async () => {
			hook = await serveWebhook(
				{ type: 'colossyanTrigger', parameters: { events: ['finished'], downloadVideo: true } },
				{ colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } },
				'production',
			);
			for (const [index, as] of SHAPES.entries()) {
				col.sim.faults.clear();
				col.sim.inject({ path: EVERY_PATH, times: 10, fault: { kind: 'echoHeaders', status: 400, as } });
				const answer = await client.post(signCallbackUrl(hook.url, TOKEN), { status: 'finished', videoId: `vid_${index}` });
				expect(answer.status).toBe(200);
				await hook.settled();
			}
			const items = hook.started().map((workflow) => workflow[0][0]);
			expect(items).toHaveLength(SHAPES.length);
			for (const item of items) expect(item.json.downloadError).toEqual(expect.any(String));
			expectNothingOf(TOKEN, items);
		});
	});
});

/** The package names every archive itself: whatever a Content-Disposition echoes never becomes a file name. */
const ARCHIVE_NAME = /^rotateproduct-\d{4}-\d{2}-\d{2}T\d{6}-1-video\.zip$/;

describe('successful answers', () => {
	const rp = useRotateProduct({ videoSizeBytes: 2_000 });

	test("a response header that echoes the key (a zip's Content-Disposition) does not put it in the file name", async () => {
		const ready = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 });
		for (const disposition of [`attachment; filename="${KEY}.zip"`, `attachment; filename*=UTF-8''${encodeURIComponent(`Bearer ${KEY}`)}.zip`]) {
			rp.sim.zipDisposition = () => disposition;
			const { items, error } = await rp.run({ resource: 'generation', operation: 'downloadZip', generationIds: String(ready[0].id) });
			expect(error).toBeUndefined();
			expect(items[0].binary?.data.fileName).toMatch(ARCHIVE_NAME);
			expectNothingOf(KEY, items);
		}
	});

	test('a key with URL-special characters, echoed in filename* with lower-case escapes or form encoding, is in neither the binary nor json.fileName', async () => {
		const key = 'rp_live+Ab/cd=ef%12&gh';
		rp.sim.addAccount(key);
		const ready = rp.sim.seed(key, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 });
		const lower = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
		for (const spelled of [lower(encodeURIComponent(key)), new URLSearchParams({ k: key }).toString().slice(2), lower(encodeURIComponent(encodeURIComponent(key)))]) {
			rp.sim.zipDisposition = () => `attachment; filename*=UTF-8''${spelled}.zip`;
			const { items, error } = await rp.run({ resource: 'generation', operation: 'downloadZip', generationIds: String(ready[0].id) }, undefined, { key });
			expect(error).toBeUndefined();
			expect(items[0].json.fileName).toBe(items[0].binary?.data.fileName);
			expect(items[0].binary?.data.fileName).toMatch(ARCHIVE_NAME);
			expect(revealsSecretInName(String(items[0].json.fileName), key)).toBe(false);
			expectNothingOf(key, items);
		}
	});
});
