/**
 * The output schemas the package ships (`nodes/<Service>/__schema__/`, served by
 * n8n at /schemas/... so the editor can show a node's output fields before it
 * runs) must be the schemas of what each operation really outputs: every case
 * runs the operation against its simulator and infers the schema of its items.
 * UPDATE_SCHEMAS=1 writes the files instead of comparing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { useColossyan, avatarVideo, TOKEN as COL_TOKEN, TEMPLATE } from '../colossyan/fixture';
import { pollNode } from '../harness/engine';
import { serveWebhook } from '../harness/webhook';
import { inferSchema } from '../helpers/jsonSchema';
import { generateFromProducts, KEY as RP_KEY, products, useRotateProduct } from '../rotateproduct/fixture';

const ROOT = join(__dirname, '..', '..', 'nodes');
const rp = useRotateProduct({ videoSizeBytes: 20_000 });
const col = useColossyan({ videoSizeBytes: 20_000 });

/** `nodes/<Service>/__schema__/v1.0.0[/<resource>/<operation>].json`, the path n8n resolves beside the node file. */
function schemaFile(service: string, resource?: string, operation?: string): string {
	return join(ROOT, service, '__schema__', ['v1.0.0', resource, operation].filter(Boolean).join('/') + '.json');
}

function matchesShipped(file: string, items: INodeExecutionData[]): void {
	expect(items.length).toBeGreaterThan(0);
	const schema = `${JSON.stringify(inferSchema(items.map((item) => item.json)), null, '\t')}\n`;
	if (process.env.UPDATE_SCHEMAS) {
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, schema);
	}
	expect(existsSync(file) ? readFileSync(file, 'utf8') : `(no ${file}: run UPDATE_SCHEMAS=1 npx jest test/schemas)`).toBe(schema);
}

async function items(run: Promise<{ items: INodeExecutionData[]; error?: Error }>): Promise<INodeExecutionData[]> {
	const { items: output, error } = await run;
	if (error) throw error;
	return output;
}

describe('RotateProduct', () => {
	const finished = () => rp.sim.seed(RP_KEY, [{ imageUrl: 'https://shop.example/a.jpg', externalId: 'mug-red' }, { imageUrl: 'https://shop.example/b.jpg' }], { renderMs: 0 });
	const file = (resource: string, operation: string) => schemaFile('RotateProduct', resource, operation);

	test('generation: generate, with and without waiting for completion (one schema covers both)', async () => {
		const plain = await items(rp.run(generateFromProducts, products(2)));
		rp.sim.renderMs = 200;
		rp.sim.outcomeOf = (_input, index) => (index === 1 ? 'failed' : 'success');
		const waited = await items(rp.run({ ...generateFromProducts, waitForCompletion: true, pollIntervalSeconds: 1, waitTimeoutMinutes: 1 }, products(2)));
		matchesShipped(file('generation', 'generate'), [...plain, ...waited]);
	});

	test('generation: get status', async () => {
		const [generation] = finished();
		matchesShipped(file('generation', 'getStatus'), await items(rp.run({ resource: 'generation', operation: 'getStatus', generationId: String(generation.id) })));
	});

	test('generation: download video', async () => {
		const generations = finished();
		const input = generations.map((generation) => ({ id: generation.id }));
		matchesShipped(file('generation', 'downloadVideo'), await items(rp.run({ resource: 'generation', operation: 'downloadVideo', generationId: '={{ $json.id }}' }, input)));
	});

	test('generation: download zip', async () => {
		const input = finished().map((generation) => ({ id: generation.id }));
		matchesShipped(file('generation', 'downloadZip'), await items(rp.run({ resource: 'generation', operation: 'downloadZip', generationIds: '={{ $json.id }}' }, input)));
	});

	test('generation: get many', async () => {
		finished();
		matchesShipped(file('generation', 'list'), await items(rp.run({ resource: 'generation', operation: 'list', returnAll: true })));
	});

	test('account: get credits', async () => {
		matchesShipped(file('account', 'getCredits'), await items(rp.run({ resource: 'account', operation: 'getCredits' })));
	});

	test('trigger: the sample a manual run shows (the newest event)', async () => {
		rp.sim.seed(RP_KEY, [{ imageUrl: 'https://shop.example/b.jpg' }], { renderMs: 0, outcome: 'failed' });
		rp.sim.seed(RP_KEY, [{ imageUrl: 'https://shop.example/a.jpg', externalId: 'mug-red' }], { renderMs: 0 });
		const output = await pollNode({
			node: { type: 'rotateProductTrigger', parameters: { events: ['completed', 'failed'] } },
			credentials: { rotateProductApi: { apiKey: RP_KEY, baseUrl: rp.sim.apiUrl } },
			staticData: {},
			mode: 'manual',
		});
		matchesShipped(schemaFile('RotateProduct'), output?.[0] ?? []);
	});
});

describe('Colossyan', () => {
	const file = (resource: string, operation: string) => schemaFile('Colossyan', resource, operation);
	const byJob = (jobs: Array<{ id: string }>): IDataObject[] => jobs.map((job) => ({ jobId: job.id }));

	test('job: generate, with and without waiting for completion (one schema covers both)', async () => {
		const plain = await items(col.run(avatarVideo, [{ name: 'Ada' }]));
		col.sim.renderMs = 200;
		const waited = await items(col.run({ ...avatarVideo, waitForCompletion: true, pollIntervalSeconds: 1, waitTimeoutMinutes: 1 }, [{ name: 'Linus' }]));
		matchesShipped(file('job', 'generate'), [...plain, ...waited]);
	});

	test('job: get status', async () => {
		const jobs = await col.finishedJobs(['Ada']);
		matchesShipped(file('job', 'getStatus'), await items(col.run({ resource: 'job', operation: 'getStatus', jobId: '={{ $json.jobId }}' }, byJob(jobs))));
	});

	test('job: cancel', async () => {
		const created = await items(col.run({ resource: 'job', operation: 'generate', generateMode: 'template', templateJobId: TEMPLATE }));
		matchesShipped(file('job', 'cancel'), await items(col.run({ resource: 'job', operation: 'cancel', jobId: '={{ $json.jobId }}' }, created.map((item) => item.json))));
	});

	test('video: get', async () => {
		const jobs = await col.finishedJobs(['Ada']);
		matchesShipped(file('video', 'get'), await items(col.run({ resource: 'video', operation: 'get', idType: 'job', id: jobs[0].id })));
	});

	test('video: download', async () => {
		const jobs = await col.finishedJobs(['Ada']);
		matchesShipped(file('video', 'download'), await items(col.run({ resource: 'video', operation: 'download', idType: 'job', id: jobs[0].id })));
	});

	test('video: download zip', async () => {
		const jobs = await col.finishedJobs(['Ada', 'Linus']);
		matchesShipped(file('video', 'downloadZip'), await items(col.run({ resource: 'video', operation: 'downloadZip', idType: 'job', ids: '={{ $json.jobId }}' }, byJob(jobs))));
	});

	test('video: delete (by job and by video ID: one schema covers both)', async () => {
		const jobs = await col.finishedJobs(['Ada', 'Linus']);
		const byJobId = await items(col.run({ resource: 'video', operation: 'delete', idType: 'job', id: jobs[0].id }));
		const byVideoId = await items(col.run({ resource: 'video', operation: 'delete', idType: 'video', id: jobs[1].videoId }));
		matchesShipped(file('video', 'delete'), [...byJobId, ...byVideoId]);
	});

	test('asset: create instant avatar', async () => {
		const parameters = { resource: 'asset', operation: 'createInstantAvatar', displayName: 'Ada', sourceFileUrl: 'https://cdn.example/ada.mp4', gender: 'Female' };
		matchesShipped(file('asset', 'createInstantAvatar'), await items(col.run(parameters)));
	});

	test('asset: list avatars and list voices', async () => {
		matchesShipped(file('asset', 'listAvatars'), await items(col.run({ resource: 'asset', operation: 'listAvatars' })));
		matchesShipped(file('asset', 'listVoices'), await items(col.run({ resource: 'asset', operation: 'listVoices' })));
	});

	test('trigger: the callback of a finished job', async () => {
		const hook = await serveWebhook({ type: 'colossyanTrigger', parameters: { events: ['finished', 'failed'] } }, { colossyanApi: { apiKey: COL_TOKEN, baseUrl: col.sim.apiUrl } }, 'production');
		try {
			const created = await items(col.run({ ...avatarVideo, callbackUrl: hook.url }, [{ name: 'Ada' }]));
			col.sim.end(String(created[0].json.jobId));
			await col.sim.settleCallbacks();
			matchesShipped(schemaFile('Colossyan'), hook.started().flatMap((workflow) => workflow[0]));
		} finally {
			await hook.stop();
		}
	});
});
