/**
 * Each credential's `test` request, run as n8n's credentials tester runs it
 * (RoutingNode with the credential's authenticate block), against the simulators.
 */
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
