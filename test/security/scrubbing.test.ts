/**
 * An upstream that echoes the request's headers in its error body (as JSON, as
 * nested details, as plain text) puts the key nowhere: not in the error's
 * message, description, errorResponse or any other field, not in its stack, not
 * in a Continue On Fail item. The error still says what happened.
 */
import type { EchoShape } from '../simulators/common/faults';
import { allText } from '../harness/secrets';
import { TOKEN, useColossyan } from '../colossyan/fixture';
import { generateFromProducts, GENERATIONS, KEY, products, useRotateProduct } from '../rotateproduct/fixture';

const SHAPES: EchoShape[] = ['json', 'nested', 'text'];

/** Every place an error can carry text, read explicitly (allText also walks the rest). */
function errorTexts(error: unknown): string[] {
	const fields = error as Record<string, unknown> & Error;
	return [
		fields.message,
		String(fields.description ?? ''),
		JSON.stringify(fields.errorResponse ?? null),
		JSON.stringify(fields.messages ?? null),
		JSON.stringify(fields.context ?? null),
		fields.stack ?? '',
		JSON.stringify(error),
		allText(error),
	];
}

function expectNoCredential(texts: string[], secret: string): void {
	for (const text of texts) {
		expect(text).not.toContain(secret);
		expect(text).not.toMatch(/Bearer\s+(?!\[redacted\])\S/);
	}
}

describe('RotateProduct', () => {
	const rp = useRotateProduct();

	test.each(SHAPES)('an error body echoing the headers (%s) leaves no key in the error', async (as) => {
		rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'echoHeaders', status: 400, as } });
		const { error } = await rp.run({ resource: 'account', operation: 'getCredits' });
		expect(error?.message).toMatch(/^RotateProduct refused the request/);
		// The echo did reach the error (scrubbed), so the test is not vacuous.
		expect(errorTexts(error).join('\n')).toContain('[redacted]');
		expectNoCredential(errorTexts(error), KEY);
	});

	test.each(SHAPES)('with Continue On Fail, a paid POST answered with an echo (%s) leaves no key in the output item', async (as) => {
		rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'echoHeaders', status: 422, as } });
		const { items, error } = await rp.run(generateFromProducts, products(1), { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items[0].json.error).toEqual(expect.any(String));
		expectNoCredential([JSON.stringify(items), allText(items)], KEY);
	});

	test('a 5xx echo is retried and then reported without the key', async () => {
		rp.sim.inject({ path: '/api/v1/credits', times: 10, fault: { kind: 'echoHeaders', status: 503, as: 'nested' } });
		const { error } = await rp.run({ resource: 'account', operation: 'getCredits' });
		expect(error?.message).toMatch(/server error \(503\)[\s\S]*gave up after 4 attempts/);
		expectNoCredential(errorTexts(error), KEY);
	});
});

describe('Colossyan', () => {
	const col = useColossyan();

	test.each(SHAPES)('an error body echoing the headers (%s) leaves no token in the error or the Continue On Fail item', async (as) => {
		col.sim.inject({ path: '/api/v1/assets/actors', fault: { kind: 'echoHeaders', status: 401, as } });
		const { error } = await col.run({ resource: 'asset', operation: 'listAvatars' });
		expect(error?.message).toMatch(/^Colossyan rejected the API token/);
		expectNoCredential(errorTexts(error), TOKEN);

		col.sim.inject({ path: '/api/v1/video-generation-jobs/job_x', fault: { kind: 'echoHeaders', status: 400, as } });
		const { items } = await col.run({ resource: 'job', operation: 'getStatus', jobId: 'job_x' }, undefined, { continueOnFail: true });
		expect(items[0].json.error).toEqual(expect.any(String));
		expectNoCredential([JSON.stringify(items), allText(items)], TOKEN);
	});
});

describe('successful answers', () => {
	const col = useColossyan();

	test('an answer that echoes the key loses it; ordinary words that look like credentials are kept', async () => {
		const [echo, plain] = await col.finishedJobs([`echo ${TOKEN}`, 'Bearer of good news']);
		const { items, error } = await col.run({ resource: 'video', operation: 'get', idType: 'video', id: '={{ $json.id }}' }, [
			{ id: echo.videoId },
			{ id: plain.videoId },
		]);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.name)).toEqual(['echo [redacted]', 'Bearer of good news']);
	});
});
