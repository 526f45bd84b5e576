/**
 * What a failed request says, checked without a server: the status mapping both
 * services share (401/403, 404) in each service's own words, their own special
 * cases, the numeric status callers test, and how a caught error is rethrown.
 */
import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { explainColossyanError } from '../../nodes/Colossyan/transport/errors';
import { explainRotateProductError } from '../../nodes/RotateProduct/transport/errors';
import type { ApiRequest, HttpFailure } from '../../nodes/shared/http';
import { asNodeError, httpStatusOf } from '../../nodes/shared/http';

const get: ApiRequest = { method: 'GET', path: '/things/42' };

function failure(statusCode: number, body: unknown, request: ApiRequest = get): HttpFailure {
	return { statusCode, body, request };
}

const rpSaid = (text: string) => ({ success: false, error: { code: 4000, message: 'raw', meta: { friendlyMessage: text } } });

describe('RotateProduct status wording', () => {
	test('401 and 403: the API key, and where to get a valid one', () => {
		for (const status of [401, 403]) {
			expect(explainRotateProductError(failure(status, rpSaid('Invalid key')))).toEqual({
				message: 'RotateProduct rejected the API key: Invalid key',
				description:
					'Open the RotateProduct credential and paste a valid API key (created in your RotateProduct account under API settings).',
			});
		}
	});

	test('404: what the request names, else what the service said', () => {
		const description =
			"Check the id. Ids belong to the account whose API key the credential holds; another account's ids are not found.";
		expect(explainRotateProductError(failure(404, rpSaid('No such'), { ...get, notFound: 'generation 42' }))).toEqual({
			message: 'Not found: generation 42',
			description,
		});
		expect(explainRotateProductError(failure(404, rpSaid('No such')))).toEqual({
			message: 'RotateProduct found nothing there: No such',
			description,
		});
		expect(explainRotateProductError(failure(404, '')).message).toBe('RotateProduct found nothing there');
	});

	test('its own statuses: 410 expired, 402 credits, a 4001 body reads as a 400', () => {
		expect(explainRotateProductError(failure(410, {})).message).toBe('Expired: RotateProduct keeps videos for 1 hour after creation');
		expect(explainRotateProductError(failure(402, rpSaid('Out'))).message).toBe('RotateProduct: not enough credits: Out');
		const validation = { error: { code: 4001, message: 'name is required' } };
		expect(explainRotateProductError(failure(409, validation)).message).toBe('RotateProduct refused the request: name is required');
		// The credential's status wins over the body's code.
		expect(explainRotateProductError(failure(401, validation)).message).toBe('RotateProduct rejected the API key: name is required');
	});

	test('anything else falls to the generic wording', () => {
		expect(explainRotateProductError(failure(503, {})).message).toBe('RotateProduct had a server error (503)');
	});
});

describe('Colossyan status wording', () => {
	test('401 and 403: the API token, and its workspace', () => {
		for (const status of [401, 403]) {
			expect(explainColossyanError(failure(status, { message: 'Unauthorized' }))).toEqual({
				message: 'Colossyan rejected the API token: Unauthorized',
				description:
					'Open the Colossyan credential and paste a valid token. A token belongs to one workspace: jobs of other workspaces are not visible to it.',
			});
		}
	});

	test('404: what the request names, else what the service said', () => {
		const description = "Check the id, and that the credential's token belongs to the workspace the job was created in.";
		expect(explainColossyanError(failure(404, { detail: 'gone' }, { ...get, notFound: 'job abc' }))).toEqual({
			message: 'Not found: job abc',
			description,
		});
		expect(explainColossyanError(failure(404, { detail: 'gone' }))).toEqual({
			message: 'Colossyan found nothing there: gone',
			description,
		});
	});

	test('anything else falls to the generic wording', () => {
		expect(explainColossyanError(failure(429, { error: { message: 'slow down' } })).message).toBe(
			'Colossyan is limiting the request rate: slow down',
		);
		expect(explainColossyanError(failure(410, {})).message).toBe('Colossyan answered with status 410');
	});
});

const node: INode = {
	id: 'a1',
	name: 'Test',
	type: 'n8n-nodes-rotateproduct-colossyan.rotateProduct',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const context = { getNode: () => node };

describe('httpStatusOf', () => {
	test('the status of a transport error, as a number', () => {
		const error = new NodeApiError(node, {}, { message: 'x', httpCode: '404' });
		expect(httpStatusOf(error)).toBe(404);
		expect(httpStatusOf(new NodeApiError(node, {}, { message: 'x', httpCode: '410' }))).toBe(410);
	});

	test('undefined when the error has no status', () => {
		expect(httpStatusOf(new NodeOperationError(node, 'no status'))).toBeUndefined();
		expect(httpStatusOf(new Error('plain'))).toBeUndefined();
		expect(httpStatusOf(undefined)).toBeUndefined();
		expect(httpStatusOf({ httpCode: 'abc' })).toBeUndefined();
	});
});

describe('asNodeError', () => {
	test("n8n's own errors pass unchanged, status and item index kept", () => {
		const api = new NodeApiError(node, {}, { message: 'Not found: generation 1', httpCode: '404', itemIndex: 3 });
		const operation = new NodeOperationError(node, 'The execution was cancelled', { itemIndex: 2 });
		expect(asNodeError(context, api)).toBe(api);
		expect(asNodeError(context, operation)).toBe(operation);
		expect(asNodeError(context, operation, 5)).toBe(operation);
	});

	test('anything else is an operation error, not an API error, without credentials in its text', () => {
		const wrapped = asNodeError(context, new TypeError('cannot read x; sent Authorization: Bearer sk_live_abcdefghijkl'), 4);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped).not.toBeInstanceOf(NodeApiError);
		expect(wrapped.message).toContain('cannot read x');
		expect(wrapped.message).not.toContain('sk_live_abcdefghijkl');
		expect(wrapped.context.itemIndex).toBe(4);
		expect(asNodeError(context, 'a thrown string').message).toBe('a thrown string');
	});
});
