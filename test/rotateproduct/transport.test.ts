/**
 * The shared transport, exercised through the RotateProduct node in n8n's engine:
 * retries (429 with Retry-After, 5xx, refused connections), no retry of a paid
 * POST after an ambiguous failure, and errors that say what to do.
 * The harness also fails any run whose errors or output contain an API key.
 */
import { allText } from '../harness/secrets';
import { generateFromProducts, GENERATIONS, KEY, products, useRotateProduct } from './fixture';

const rp = useRotateProduct();
const credits = { resource: 'account', operation: 'getCredits' };

test('a 429 with Retry-After is waited out, then the call succeeds', async () => {
	rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'status', status: 429, retryAfter: '1' } });
	const started = Date.now();
	const { items, error } = await rp.run(credits);
	expect(error).toBeUndefined();
	expect(items[0].json.credits).toBe(100_000);
	expect(rp.sim.count('GET', '/api/v1/credits')).toBe(2);
	expect(Date.now() - started).toBeGreaterThanOrEqual(950);
});

test('repeated 503s give up after the bound with a clear error', async () => {
	rp.sim.inject({ path: '/api/v1/credits', times: 10, fault: { kind: 'status', status: 503 } });
	const { error } = await rp.run(credits);
	expect(rp.sim.count('GET', '/api/v1/credits')).toBe(4);
	expect(error?.message).toBe('RotateProduct had a server error (503) (gave up after 4 attempts)');
	expect((error as { description?: string }).description).toMatch(/Try again in a few minutes/);
});

test('a 502 and a reset on a GET are retried', async () => {
	rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'status', status: 502 } });
	rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'reset' } });
	const { items, error } = await rp.run(credits);
	expect(error).toBeUndefined();
	expect(items[0].json.credits).toBe(100_000);
	expect(rp.sim.count('GET', '/api/v1/credits')).toBe(3);
});

test('a paid POST whose connection breaks after processing is not retried: one POST, one charge', async () => {
	rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'resetAfterProcessing' } });
	// Without External IDs the node cannot look the generation up, so it reports the ambiguity.
	const { error } = await rp.run({ ...generateFromProducts, externalId: '' }, products(1));
	expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
	expect(rp.sim.account(KEY)?.credits).toBe(100_000 - 5);
	expect(error?.message).toMatch(/Could not reach RotateProduct \(ECONNRESET\)/);
	expect((error as { description?: string }).description).toMatch(/may have processed this request and charged for it/);
	expect((error as { description?: string }).description).not.toMatch(/try again/i);
});

test('a paid POST answered 502 after processing is not retried either', async () => {
	rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'statusAfterProcessing', status: 502 } });
	const { error } = await rp.run({ ...generateFromProducts, externalId: '' }, products(2));
	expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
	expect(error?.message).toMatch(/server error \(502\)/);
});

test('a paid POST refused with 429 is retried (the service did not process it)', async () => {
	rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'status', status: 429, retryAfter: '0' } });
	const { items, error } = await rp.run(generateFromProducts, products(2));
	expect(error).toBeUndefined();
	expect(rp.sim.count('POST', GENERATIONS)).toBe(2);
	expect(items.map((item) => item.json.externalId)).toEqual(['sku-0', 'sku-1']);
	expect(rp.sim.account(KEY)?.credits).toBe(100_000 - 10);
});

test('a paid POST whose connection is refused is retried once the service is back', async () => {
	await rp.sim.refuseConnectionsFor(400);
	const { items, error } = await rp.run(generateFromProducts, products(1));
	expect(error).toBeUndefined();
	expect(items[0].json.id).toEqual(expect.any(Number));
	expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
});

test('401 names the credential and the fix; the key appears nowhere in the error', async () => {
	const { error } = await rp.run(credits, undefined, { key: 'rp_wrong_key_leak_check' });
	expect(error?.message).toBe('RotateProduct rejected the API key: Invalid or missing API key');
	expect((error as { description?: string }).description).toMatch(/Open the RotateProduct credential/);
	expect(allText(error)).not.toContain('rp_wrong_key_leak_check');
	expect(rp.sim.requests[0].headers.authorization).toBe('Bearer rp_wrong_key_leak_check');
});

test('404 says which id was not found', async () => {
	const { error } = await rp.run({ resource: 'generation', operation: 'getStatus', generationId: '999999' });
	expect(error?.message).toBe('Not found: no generation 999999 in this account');
});

test('a Base URL that is not http(s) is refused before any request', async () => {
	const { error } = await rp.run(credits, undefined, { baseUrl: 'ftp://example.com' });
	expect(error?.message).toBe('The Base URL in the RotateProduct credential is not a valid http(s) URL');
	expect(rp.sim.requests).toHaveLength(0);
});

test('a missing credential is a clear error, before any request', async () => {
	const { error } = await rp.run(credits, undefined, { noCredential: true });
	expect(error?.message).toMatch(/credentials/i);
	expect(rp.sim.requests).toHaveLength(0);
});

test('malformed JSON is a clear error', async () => {
	rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'malformedJson' } });
	const { error } = await rp.run(credits);
	expect(error?.message).toBe('RotateProduct answered GET /credits with something that is not JSON');
});
