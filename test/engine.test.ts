/**
 * Which n8n engine this run uses: jest.config.js runs the suite on n8n 1.x's engine,
 * jest.engine2.config.js on 2.x's (test/engine-2x). The compiled package must get
 * the very n8n-workflow the engine uses, or n8n's `instanceof` checks on its errors fail.
 */
import { dirname, join } from 'node:path';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

declare const N8N_ENGINE_LINE: string | undefined;

const EXPECTED: Record<string, { core: string; workflow: string; minNode: number }> = {
	'1.x': { core: '1.122.48', workflow: '1.120.31', minNode: 20 },
	'2.x': { core: '2.40.3', workflow: '2.40.1', minNode: 24 },
};

const line = typeof N8N_ENGINE_LINE === 'string' ? N8N_ENGINE_LINE : '1.x';
const DIST = join(__dirname, '..', 'dist', 'nodes', 'shared');

describe(`n8n engine ${line}`, () => {
	it('runs the pinned n8n-core and n8n-workflow on a Node it supports', () => {
		const expected = EXPECTED[line];
		expect(require('n8n-core/package.json').version).toBe(expected.core);
		expect(require('n8n-workflow/package.json').version).toBe(expected.workflow);
		expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(expected.minNode);
	});

	it('gives the compiled package the same n8n-workflow instance as the engine', () => {
		const fromDist = require.resolve('n8n-workflow', { paths: [DIST] });
		const fromEngine = require.resolve('n8n-workflow', { paths: [dirname(require.resolve('n8n-core'))] });
		expect(fromDist).toBe(fromEngine);
		const distWorkflow = require(fromDist) as typeof import('n8n-workflow');
		expect(distWorkflow.NodeApiError).toBe(NodeApiError);
		expect(distWorkflow.NodeOperationError).toBe(NodeOperationError);
	});
});
