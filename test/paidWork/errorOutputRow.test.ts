/**
 * "Continue (using error output)" chains like n8n's own nodes: every item on the
 * error output is its input row's fields plus `error` (n8n merges the row under
 * an item that is exactly `{ error }`), for every failure class of both nodes:
 * a rejected or invalid item before any paid request, a lookup that fails, a
 * zip entry that fails, and paid work (a generation or job) created before a
 * later step failed, whose id the error names.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { RunResult } from '../harness/engine';
import { avatarVideo, JOBS, useColossyan } from '../colossyan/fixture';
import { generateFromProducts, GENERATIONS, KEY, products, useRotateProduct } from '../rotateproduct/fixture';

/** Fields a user's sheet carries beside the ones the node reads. */
const withRowFields = (rows: IDataObject[]) => rows.map((row, index) => ({ ...row, row: index + 2, owner: `team-${index}` }));

function expectRowsKept(result: RunResult, input: IDataObject[], errorIndexes: number[]): INodeExecutionData[] {
	expect(result.error).toBeUndefined();
	expect(result.errorItems.map((item) => (item.pairedItem as { item: number }).item)).toEqual(errorIndexes);
	for (const item of result.errorItems) {
		const { item: index } = item.pairedItem as { item: number };
		expect(item.json).toEqual({ ...input[index], error: expect.any(String) });
	}
	return result.errorItems;
}

describe('RotateProduct', () => {
	const rp = useRotateProduct();

	test('Generate: rejected by the service, and invalid before any request', async () => {
		rp.sim.rejectItem = (_input, index) => (index === 1 ? 'Image could not be downloaded' : undefined);
		const input = withRowFields([...products(3), { image: 'not a url', sku: 'x' }]);
		expectRowsKept(await rp.run(generateFromProducts, input, { onError: 'continueErrorOutput' }), input, [1, 3]);
	});

	test.each(['getStatus', 'downloadVideo', 'downloadZip'])('%s: unknown and invalid ids', async (operation) => {
		const [done] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/a.jpg', externalId: 'a' }], { renderMs: 0 });
		const input = withRowFields([{ id: done.id }, { id: 'abc' }, { id: 99_999_999 }]);
		const parameters: INodeParameters =
			operation === 'downloadZip'
				? { resource: 'generation', operation, generationIds: '={{ $json.id }}' }
				: { resource: 'generation', operation, generationId: '={{ $json.id }}' };
		const rows = operation === 'downloadZip' ? input.slice(0, 2) : input;
		expectRowsKept(await rp.run(parameters, rows, { onError: 'continueErrorOutput' }), rows, operation === 'downloadZip' ? [1] : [1, 2]);
	});

	test('Generate (wait, download): a generation created before its download failed keeps the row and is named', async () => {
		rp.sim.renderMs = 500;
		rp.sim.inject({ method: 'GET', path: `${GENERATIONS}/4980`, times: 10, fault: { kind: 'status', status: 500 } });
		const input = withRowFields(products(3));
		const parameters = { ...generateFromProducts, waitForCompletion: true, pollIntervalSeconds: 1, waitTimeoutMinutes: 1, downloadVideos: true };
		const [failed] = expectRowsKept(await rp.run(parameters, input, { onError: 'continueErrorOutput' }), input, [0]);
		expect(String(failed.json.error)).toMatch(/^Generation 4980 was created \(paid, not lost\)/);
	});
});

describe('Colossyan', () => {
	const col = useColossyan();

	test('Generate: an empty script among good ones', async () => {
		const input = withRowFields([{ script: 'One' }, { script: '' }, { script: 'Three' }]);
		expectRowsKept(await col.run({ ...avatarVideo, script: '={{ $json.script }}' }, input, { onError: 'continueErrorOutput' }), input, [1]);
		expect(col.sim.count('POST', JOBS)).toBe(2);
	});

	test.each(['getStatus', 'download', 'downloadZip'])('%s: unknown and invalid ids', async (operation) => {
		const [job] = await col.finishedJobs(['Ada']);
		const input = withRowFields([{ jobId: job.id }, { jobId: 'bad id/with slash' }, { jobId: 'job_unknown' }]);
		const parameters: INodeParameters =
			operation === 'getStatus'
				? { resource: 'job', operation, jobId: '={{ $json.jobId }}' }
				: operation === 'download'
					? { resource: 'video', operation, idType: 'job', id: '={{ $json.jobId }}' }
					: { resource: 'video', operation, idType: 'job', ids: '={{ $json.jobId }}' };
		const rows = operation === 'downloadZip' ? input.slice(0, 2) : input;
		expectRowsKept(await col.run(parameters, rows, { onError: 'continueErrorOutput' }), rows, operation === 'downloadZip' ? [1] : [1, 2]);
	});

	test('Generate (wait, download): jobs created before their downloads failed keep their rows and are named', async () => {
		col.sim.renderMs = 500;
		col.sim.files.inject({ method: 'GET', times: 1000, fault: { kind: 'status', status: 500 } });
		const input = withRowFields([{ name: 'Ada' }, { name: 'Bob' }]);
		const parameters = { ...avatarVideo, waitForCompletion: true, pollIntervalSeconds: 1, waitTimeoutMinutes: 1, downloadVideo: true };
		const failed = expectRowsKept(await col.run(parameters, input, { onError: 'continueErrorOutput' }), input, [0, 1]);
		const jobIds = col.sim.allJobs().map((job) => job.id);
		expect(failed.map((item) => /^Job ([\w-]+) was created \(paid, not lost\)/.exec(String(item.json.error))?.[1])).toEqual(jobIds);
	});
});
