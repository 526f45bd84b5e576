/**
 * n8n's node setting "On Error → Continue (using error output)" on RotateProduct
 * Generate inside a real n8n: of 5 products, the 2 the service rejects (in
 * `failedGenerations`) arrive on the error output and the 3 it created on the
 * success output, each paired with its input item, as n8n saved the execution
 * and as the next nodes on each branch received them.
 */
import { RotateProductSimulator } from '../../simulators/rotateproduct/RotateProductSimulator';
import { RP_KEY, VIDEO_BYTES } from '../../../scripts/n8n/services';
import type { Stack } from '../../../scripts/n8n/stack';

const WORKFLOW = 'rpcErrorOutput01';
const CREDENTIAL = 'rpErrorOutput001';
const CREDENTIAL_NAME = 'RotateProduct (error output test)';
const PRODUCTS = 'Products';
const NODE = 'Generate videos';
const REJECTION = 'Image could not be downloaded';

/** Items 1 and 3 point at images the (simulated) service cannot download. */
const products = ['mug-blue', 'lamp-broken', 'chair-01', 'vase-broken', 'desk-oak'].map((sku) => ({ sku, image: `https://images.example.com/${sku}.jpg` }));

/** Manual Trigger -> 5 products -> Generate (error output) -> "Created" / "Rejected". */
const workflow = {
	id: WORKFLOW,
	name: 'e2e: Generate routes rejected items to the error output',
	nodes: [
		{ parameters: {}, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], id: 'start' },
		{
			parameters: { jsCode: `return ${JSON.stringify(products)}.map((product) => ({ json: product }));` },
			name: PRODUCTS,
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			id: 'products',
		},
		{
			parameters: { resource: 'generation', operation: 'generate', imageUrl: '={{ $json.image }}', externalId: '={{ $json.sku }}' },
			name: NODE,
			type: 'n8n-nodes-rotateproduct-colossyan.rotateProduct',
			typeVersion: 1,
			position: [440, 0],
			id: 'generate-videos',
			onError: 'continueErrorOutput',
			credentials: { rotateProductApi: { id: CREDENTIAL, name: CREDENTIAL_NAME } },
		},
		{ parameters: {}, name: 'Created', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [660, -100], id: 'created' },
		{ parameters: {}, name: 'Rejected', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [660, 100], id: 'rejected' },
	],
	connections: {
		Start: { main: [[{ node: PRODUCTS, type: 'main', index: 0 }]] },
		[PRODUCTS]: { main: [[{ node: NODE, type: 'main', index: 0 }]] },
		[NODE]: { main: [[{ node: 'Created', type: 'main', index: 0 }], [{ node: 'Rejected', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveManualExecutions: true },
	active: false,
};

interface SavedItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}

/**
 * The case, with a RotateProduct simulator of its own behind a credential of its
 * own: the examples' polling trigger must not report these generations, and the
 * request log this test reads must hold only its own requests.
 */
export class ErrorOutputCase {
	readonly rotateProduct = new RotateProductSimulator({ renderMs: 3000, videoSizeBytes: VIDEO_BYTES });

	/** Manual Trigger: run with `n8n execute`, so not active. */
	readonly workflows = [{ id: WORKFLOW, workflow, active: false }];

	/** Starts the simulator (items 1 and 3 rejected); returns the credential n8n must import. */
	async start(): Promise<unknown[]> {
		await this.rotateProduct.start();
		this.rotateProduct.addAccount(RP_KEY);
		this.rotateProduct.rejectItem = (input) => (String(input.imageUrl).includes('-broken') ? REJECTION : undefined);
		return [{ id: CREDENTIAL, name: CREDENTIAL_NAME, type: 'rotateProductApi', data: { apiKey: RP_KEY, baseUrl: this.rotateProduct.apiUrl } }];
	}

	async stop(): Promise<void> {
		await this.rotateProduct.stop();
	}

	tests(stack: () => Stack): void {
		test('2 rejected of 5: 3 created generations on the success output, the 2 rejected items on the error output, each paired with its input item', async () => {
			await stack().n8n.execute(WORKFLOW);
			const executions = await stack().n8n.executions(WORKFLOW);
			expect(executions.map((execution) => execution.status)).toEqual(['success']);
			const { resultData } = await stack().n8n.executionData(executions[0].id);
			const outputOf = (node: string) => (resultData.runData[node]?.at(-1)?.data?.main ?? []) as SavedItem[][];
			const input = outputOf(PRODUCTS)[0].map((item) => item.json);
			expect(input).toEqual(products);

			// One paid request for all 5 products; the service rejected 2 of them.
			const posts = this.rotateProduct.matching('POST', '/api/v1/generations');
			expect(posts.map((request) => (request.body as { generations: unknown[] }).generations.length)).toEqual([5]);

			const [success, failed] = outputOf(NODE);
			expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }, { item: 4 }]);
			for (const item of success) {
				const { item: index } = item.pairedItem as { item: number };
				expect(item.json.error).toBeUndefined();
				expect(item.json.id).toEqual(expect.any(Number));
				// The generation the service created for this item is the one output for it.
				expect(this.rotateProduct.generation(item.json.id as number)?.externalId).toBe(products[index].sku);
			}
			expect(new Set(success.map((item) => item.json.id)).size).toBe(3);

			expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
			for (const item of failed) {
				const { item: index } = item.pairedItem as { item: number };
				expect(products[index].image).toContain('-broken');
				expect(item.json.error).toBe(`RotateProduct rejected item ${index}: ${REJECTION}`);
				// The input row's fields with the error, as n8n's HTTP Request node's error items
				// (an `item.error` would make n8n keep only `{ error }`: nodes/shared/items.ts).
				expect(item.json).toEqual({ ...products[index], error: item.json.error });
			}

			// The next node on each branch received exactly those items.
			expect(outputOf('Created')[0].map((item) => item.json.id)).toEqual(success.map((item) => item.json.id));
			expect(outputOf('Rejected')[0].map((item) => item.json.error)).toEqual(failed.map((item) => item.json.error));
		});
	}
}
