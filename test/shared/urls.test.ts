/** The one check for URL fields, directly: both nodes' messages, data:image only where asked. */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkUrlField } from '../../nodes/shared/urls';

const node: INode = { id: 'n1', name: 'Generate', type: 'n8n-nodes-rotateproduct-colossyan.test', typeVersion: 1, position: [0, 0], parameters: {} };
const image = { dataImages: true, whenEmpty: 'Set it.', whenInvalid: 'Use http(s).' };
const optional = { whenInvalid: 'Use http(s) or leave it empty.' };

function errorOf(run: () => unknown): NodeOperationError {
	try {
		run();
	} catch (error) {
		if (error instanceof NodeOperationError) return error;
		throw error;
	}
	throw new Error('no error');
}

describe('checkUrlField', () => {
	test('http(s) URLs pass trimmed', () => {
		expect(checkUrlField(node, '  https://a.example/x.jpg ', 'Image URL', 0, image)).toBe('https://a.example/x.jpg');
		expect(checkUrlField(node, 'http://a.example/cb', 'Callback URL', 0, optional)).toBe('http://a.example/cb');
	});

	test('a data:image URL passes only where the rule takes them', () => {
		const data = 'data:image/png;base64,iVBORw0KGgo=';
		expect(checkUrlField(node, data, 'Image URL', 0, image)).toBe(data);
		expect(errorOf(() => checkUrlField(node, data, 'Callback URL', 2, optional)).message).toBe(`Callback URL in item 2 is not an http(s) URL: "${data}"`);
	});

	test('empty: an error naming field and item where required, undefined where optional', () => {
		const error = errorOf(() => checkUrlField(node, ' ', 'Image URL', 3, image));
		expect(error.message).toBe('Image URL is empty in item 3');
		expect(error.description).toBe('Set it.');
		expect(error.context.itemIndex).toBe(3);
		expect(checkUrlField(node, '', 'Callback URL', 0, optional)).toBeUndefined();
		expect(checkUrlField(node, undefined, 'Callback URL', 0, optional)).toBeUndefined();
	});

	test('not a URL, or another scheme: the message quotes at most 80 characters', () => {
		expect(errorOf(() => checkUrlField(node, 'ftp://a.example/x.jpg', 'Image URL', 1, image)).message).toBe('Image URL in item 1 is not an http(s) or data URL: "ftp://a.example/x.jpg"');
		const long = errorOf(() => checkUrlField(node, 'x'.repeat(200), 'Callback URL', 0, optional));
		expect(long.message).toBe(`Callback URL in item 0 is not an http(s) URL: "${'x'.repeat(80)}"`);
		expect(long.description).toBe('Use http(s) or leave it empty.');
	});
});
