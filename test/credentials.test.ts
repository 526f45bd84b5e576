/**
 * Each credential's `test` request, run as n8n's credentials tester runs it
 * (RoutingNode with the credential's authenticate block), against the simulators;
 * and what the credential dialog tells a user whose Base URL is wrong.
 */
import { join } from 'node:path';

import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { testCredential } from './harness/engine';
import { ColossyanSimulator } from './simulators/colossyan/ColossyanSimulator';
import { RotateProductSimulator } from './simulators/rotateproduct/RotateProductSimulator';

const rotateProduct = new RotateProductSimulator();
const colossyan = new ColossyanSimulator();

beforeAll(async () => {
	await Promise.all([rotateProduct.start(), colossyan.start()]);
	rotateProduct.addAccount('rp_right_key_0001');
	colossyan.addWorkspace('col_right_token_0001');
});
afterAll(async () => await Promise.all([rotateProduct.stop(), colossyan.stop()]));

describe('RotateProduct API credential', () => {
	test('the right key passes, and the test really asked GET /credits with it', async () => {
		rotateProduct.resetLog();
		const result = await testCredential('rotateProductApi', { apiKey: 'rp_right_key_0001', baseUrl: rotateProduct.apiUrl });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(rotateProduct.requests).toHaveLength(1);
		expect(rotateProduct.requests[0]).toMatchObject({ method: 'GET', path: '/api/v1/credits' });
		expect(rotateProduct.requests[0].headers.authorization).toBe('Bearer rp_right_key_0001');
	});

	test('a wrong key fails with a message that says what to do', async () => {
		const result = await testCredential('rotateProductApi', { apiKey: 'rp_wrong_key_0001', baseUrl: `${rotateProduct.apiUrl}/` });
		expect(result.status).toBe('Error');
		// n8n 1.123's tester reports its own 401 text (its error wrapping drops the
		// response the credential's rule would match); later n8n shows the rule's text.
		expect(result.message).toMatch(/rejected the API key|Authorization failed - please check your credentials/);
		expect(result.message).not.toContain('rp_wrong_key_0001');
	});
});

describe('Colossyan API credential', () => {
	test('the right token passes via GET /assets/actors', async () => {
		colossyan.resetLog();
		const result = await testCredential('colossyanApi', { apiKey: 'col_right_token_0001', baseUrl: colossyan.apiUrl });
		expect(result.status).toBe('OK');
		expect(colossyan.requests[0]).toMatchObject({ method: 'GET', path: '/api/v1/assets/actors' });
	});

	test('a wrong token fails with a clear message', async () => {
		const result = await testCredential('colossyanApi', { apiKey: 'col_wrong_token_01', baseUrl: colossyan.apiUrl });
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(/rejected the API token|Authorization failed - please check your credentials/),
		});
	});
});

/** What a user sees when the Base URL is wrong, for both credentials, in the dialog and from its test. */
describe.each([
	{ type: 'rotateProductApi', file: 'RotateProductApi', key: 'rp_right_key_0001', apiUrl: () => rotateProduct.apiUrl },
	{ type: 'colossyanApi', file: 'ColossyanApi', key: 'col_right_token_0001', apiUrl: () => colossyan.apiUrl },
])('$type: a wrong Base URL is named in the user\'s words', ({ type, file, key, apiUrl }) => {
	const properties = (): INodeProperties[] => {
		const exports = require(join(__dirname, '..', 'dist', 'credentials', `${file}.credentials.js`)) as Record<string, new () => ICredentialType>;
		return new exports[file]().properties;
	};
	const shownFor = (baseUrl: string): string[] =>
		properties()
			.filter((property) => NodeHelpers.displayParameter({ apiKey: key, baseUrl }, property, null, null))
			.map((property) => property.name);

	test('a user name or password in the Base URL: the dialog says to remove it, and so does the failed test', async () => {
		const withLogin = apiUrl().replace('://', '://user:pw@');
		for (const url of [withLogin, 'https://me@example.com/api/v1', 'http://a:b@127.0.0.1:1/x']) expect(shownFor(url)).toContain('baseUrlLoginNotice');
		for (const url of [apiUrl(), 'https://example.com/api/v1?next=a@b', 'https://example.com/a@b']) expect(shownFor(url)).not.toContain('baseUrlLoginNotice');
		const result = await testCredential(type, { apiKey: key, baseUrl: withLogin });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/user:password@|Authorization failed/);
		expect(result.message).not.toContain(key);
	});

	test('a host that does not resolve: the test names the error code, and the Base URL\'s help explains it', async () => {
		const result = await testCredential(type, { apiKey: key, baseUrl: 'https://no-such-host.invalid/api/v1' });
		expect(result.status).toBe('Error');
		// n8n 2.x's tester shows the bare code (cause.code); this engine words it itself.
		expect(result.message).toMatch(/ENOTFOUND|EAI_AGAIN|incorrect host/);
		const help = properties().find((property) => property.name === 'baseUrl')?.description ?? '';
		expect(help).toMatch(/ENOTFOUND.*host name/);
	});

	test('no developer tool is named in the dialog', () => {
		for (const property of properties()) expect(`${property.displayName} ${property.description ?? ''} ${property.hint ?? ''}`).not.toMatch(/npm|simulator|localhost|127\.0\.0\.1/i);
	});
});
