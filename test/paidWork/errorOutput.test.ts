/**
 * n8n's "On Error" setting on every operation family of both nodes: with
 * "Continue (using error output)" each failed item arrives on the error output
 * and only the successful ones on the success output, each paired with its input
 * item; with "Continue (regular output)" everything stays on the one output as before.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { RunResult } from '../harness/engine';
import { avatarVideo, JOBS, useColossyan } from '../colossyan/fixture';
import { generateFromProducts, GENERATIONS, KEY, products, useRotateProduct } from '../rotateproduct/fixture';

const paired = (items: INodeExecutionData[]) => items.map((item) => (item.pairedItem as { item: number }).item);

function expectRouted(result: RunResult, successItems: number[], errorItems: number[]): void {
	expect(result.error).toBeUndefined();
	expect(paired(result.items)).toEqual(successItems);
	expect(paired(result.errorItems)).toEqual(errorItems);
	for (const item of result.items) expect(item.json.error).toBeUndefined();
	for (const item of result.errorItems) expect(item.json.error).toEqual(expect.any(String));
}

function expectRegular(result: RunResult, errorItems: number[], count: number): void {
	expect(result.error).toBeUndefined();
	expect(result.errorItems).toHaveLength(0);
	expect(paired(result.items)).toEqual(Array.from({ length: count }, (_v, index) => index));
	const failed = result.items.filter((item) => item.json.error !== undefined);
	expect(paired(failed)).toEqual(errorItems);
	for (const item of failed) expect(item.json.errorDescription).toEqual(expect.any(String));
}

describe('RotateProduct', () => {
	const rp = useRotateProduct();
	const run = async (parameters: INodeParameters, input: IDataObject[], onError: 'continueErrorOutput' | 'continueRegularOutput') =>
		await rp.run(parameters, input, { onError });

	test.each(['continueErrorOutput', 'continueRegularOutput'] as const)('Generate with 2 rejected image URLs of 5 (%s)', async (onError) => {
		rp.sim.rejectItem = (_input, index) => (index === 1 || index === 3 ? 'Image could not be downloaded' : undefined);
		const result = await run(generateFromProducts, products(5), onError);
		if (onError === 'continueErrorOutput') {
			expectRouted(result, [0, 2, 4], [1, 3]);
			expect(result.items.every((item) => typeof item.json.id === 'number')).toBe(true);
		} else {
			expect(paired(result.items)).toEqual([0, 1, 2, 3, 4]);
			expect(paired(result.items.filter((item) => item.json.error !== undefined))).toEqual([1, 3]);
		}
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
	});

	test('Generate with a bad image URL among good ones (error output): no paid call for it', async () => {
		const result = await run(generateFromProducts, [...products(2), { image: 'not a url', sku: 'x' }], 'continueErrorOutput');
		expectRouted(result, [0, 1], [2]);
		expect(rp.sim.matching('POST', GENERATIONS).map((r) => (r.body as { generations: unknown[] }).generations.length)).toEqual([2]);
	});

	test.each(['continueErrorOutput', 'continueRegularOutput'] as const)('Get Status, Download Video, Download Zip (%s)', async (onError) => {
		const [done] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/a.jpg', externalId: 'a' }], { renderMs: 0 });
		const input = [{ id: done.id }, { id: 'abc' }, { id: 99_999_999 }];
		for (const operation of ['getStatus', 'downloadVideo']) {
			const result = await run({ resource: 'generation', operation, generationId: '={{ $json.id }}' }, input, onError);
			if (onError === 'continueErrorOutput') expectRouted(result, [0], [1, 2]);
			else expectRegular(result, [1, 2], 3);
		}
		const zip = await run({ resource: 'generation', operation: 'downloadZip', generationIds: '={{ $json.id }}' }, input.slice(0, 2), onError);
		if (onError === 'continueErrorOutput') {
			expect(paired(zip.errorItems)).toEqual([1]);
			expect(zip.items).toHaveLength(1);
			expect(zip.items[0].binary?.data).toBeDefined();
		} else {
			expect(zip.items.map((item) => item.json.error === undefined)).toEqual([false, true]);
		}
	});
});

describe('Colossyan', () => {
	const col = useColossyan();

	test.each(['continueErrorOutput', 'continueRegularOutput'] as const)('Generate with an empty script among good ones (%s)', async (onError) => {
		const input = [{ script: 'One' }, { script: '' }, { script: 'Three' }];
		const result = await col.run({ ...avatarVideo, script: '={{ $json.script }}' }, input, { onError });
		if (onError === 'continueErrorOutput') expectRouted(result, [0, 2], [1]);
		else expectRegular(result, [1], 3);
		expect(col.sim.count('POST', JOBS)).toBe(2);
	});

	test.each(['continueErrorOutput', 'continueRegularOutput'] as const)('Get Status, Download Video, Download Zip (%s)', async (onError) => {
		const [job] = await col.finishedJobs(['Ada']);
		const input = [{ jobId: job.id }, { jobId: 'bad id/with slash' }, { jobId: 'job_unknown' }];
		const getStatus = await col.run({ resource: 'job', operation: 'getStatus', jobId: '={{ $json.jobId }}' }, input, { onError });
		const download = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: '={{ $json.jobId }}' }, input, { onError });
		for (const result of [getStatus, download]) {
			if (onError === 'continueErrorOutput') expectRouted(result, [0], [1, 2]);
			else expectRegular(result, [1, 2], 3);
		}
		const zip = await col.run({ resource: 'video', operation: 'downloadZip', idType: 'job', ids: '={{ $json.jobId }}' }, input.slice(0, 2), { onError });
		if (onError === 'continueErrorOutput') {
			expect(paired(zip.errorItems)).toEqual([1]);
			expect(zip.items).toHaveLength(1);
			expect(zip.items[0].binary?.data).toBeDefined();
		} else {
			expect(zip.items.map((item) => item.json.error === undefined)).toEqual([false, true]);
		}
	});
});
