/**
 * Generate: one generation per input item, sent in bulk requests of up to 600
 * (1,200 items cost exactly 2 POSTs). Items RotateProduct rejects become errors
 * on their own item; generations that were created are never lost because
 * another item failed.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { checkEveryItem, errorItem, inItemOrder, withItemIndex } from '../../../shared/items';
import { createdList } from '../../../shared/paidWork';
import { finishCreated, generationOutput } from '../../helpers/finishCreated';
import type { Created, PendingItem } from '../../helpers/submit';
import { reuseRecent } from '../../helpers/reuse';
import { submitBatch } from '../../helpers/submit';
import type { GenerationRequestItem } from '../../helpers/types';
import { CREDITS_PER_GENERATION, MAX_GENERATIONS_PER_REQUEST } from '../../helpers/types';
import { checkExternalId, checkImageUrl } from '../../helpers/validation';
import { binaryPropertyOption, optionsCollection, waitFields } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://shop.example.com/images/mug.jpg',
		description: 'The product image the video starts from: an http(s) URL or a data:image URL',
		hint: `One generation per input item, ${CREDITS_PER_GENERATION} credits each. Items are sent in bulk requests of up to ${MAX_GENERATIONS_PER_REQUEST}.`,
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.sku }}',
		description:
			'Your own ID for the product (e.g. the SKU). It is echoed back and names the video file (mug-2.mp4), so make it unique.',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		description: 'What the product is. Recommended: it helps the model render the back of the product.',
	},
	{
		displayName: 'End Image URL',
		name: 'endImageUrl',
		type: 'string',
		default: '',
		description: 'Optional image for the last frame, e.g. the back of the product',
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the videos are finished (about 3 minutes) before passing the items on. Status checks are batched: 100 generations per request.',
	},
	...waitFields({ waitForCompletion: [true] }),
	{
		displayName: 'Download Videos',
		name: 'downloadVideos',
		type: 'boolean',
		default: false,
		description: 'Whether to attach each finished video as binary data (videos expire 1 hour after creation)',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{ ...binaryPropertyOption, displayOptions: { show: { waitForCompletion: [true], downloadVideos: [true] } } },
	optionsCollection([
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_GENERATIONS_PER_REQUEST },
			default: MAX_GENERATIONS_PER_REQUEST,
			description: 'How many items go into one bulk request (RotateProduct accepts at most 600)',
		},
		{
			displayName: 'Reuse Recent Generations',
			name: 'reuseRecent',
			type: 'boolean',
			default: false,
			description:
				'Whether an item whose External ID already has a running or finished generation from the last hour gets that generation back (marked "reused") instead of a new, paid one. Turn on so that re-running a workflow does not pay twice. Items without an External ID, and items sharing an External ID while asking for different videos, are always created.',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['generation'], operation: ['generate'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	// Every item is checked before the first paid request.
	const { checked: pending, errorItems: unreadable } = await checkEveryItem(this, (itemIndex) => readItem(this, itemIndex));
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const { reused, toCreate } =
		options.reuseRecent === true ? await reuseRecent(this, pending) : { reused: [], toCreate: pending };
	const submitted = await submitInBatches(this, toCreate, new Set(reused.map((entry) => entry.generation.id)));
	const created = [...reused, ...submitted.created];
	const finished = (this.getNodeParameter('waitForCompletion', 0, false) as boolean)
		? await finishCreated(this, created)
		: created.map((entry) => generationOutput(entry));
	return inItemOrder([...unreadable, ...submitted.errorItems, ...finished]);
}

function readItem(context: IExecuteFunctions, itemIndex: number): GenerationRequestItem {
	const text = (name: string) => String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const request: GenerationRequestItem = {
		imageUrl: checkImageUrl(context, context.getNodeParameter('imageUrl', itemIndex, ''), 'Image URL', itemIndex),
	};
	if (text('endImageUrl') !== '') {
		request.endImageUrl = checkImageUrl(context, text('endImageUrl'), 'End Image URL', itemIndex);
	}
	if (text('description') !== '') request.description = text('description');
	const externalId = checkExternalId(context, context.getNodeParameter('externalId', itemIndex, ''), itemIndex);
	if (externalId !== undefined) request.externalId = externalId;
	return request;
}

async function submitInBatches(
	context: IExecuteFunctions,
	pending: PendingItem[],
	known: Set<number>,
): Promise<{ created: Created[]; errorItems: INodeExecutionData[] }> {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const batchSize = Math.min(MAX_GENERATIONS_PER_REQUEST, Math.max(1, Number(options.batchSize) || MAX_GENERATIONS_PER_REQUEST));
	const created: Created[] = [];
	const errorItems: INodeExecutionData[] = [];
	for (let start = 0; start < pending.length; start += batchSize) {
		const batch = pending.slice(start, start + batchSize);
		const outcome = await submitBatch(context, batch, known);
		created.push(...outcome.created);
		for (const entry of outcome.created) known.add(entry.generation.id);
		const notSubmitted = pending.length - start - batch.length;
		if (outcome.failed) {
			if (!context.continueOnFail()) throw batchFailed(context, outcome.failed, created, notSubmitted);
			for (const { itemIndex } of outcome.failed.items) errorItems.push(errorItem(context.getNode(), outcome.failed.error, itemIndex));
		}
		if (outcome.rejected.length === 0) continue;
		if (!context.continueOnFail()) throw itemsRejected(context, outcome.rejected, created, notSubmitted);
		for (const { itemIndex, message } of outcome.rejected) {
			errorItems.push(errorItem(context.getNode(), new NodeOperationError(context.getNode(), message, { itemIndex }), itemIndex));
		}
	}
	return { created, errorItems };
}

function createdIds(created: Created[]): string {
	const paired = created.filter((c) => !c.unpaired);
	const unpaired = created.filter((c) => c.unpaired);
	const list = createdList(paired.map((c) => ({ itemIndex: c.itemIndex, id: c.generation.id })), 'generation');
	if (unpaired.length === 0) return list;
	const others = unpaired.map((c) => `generation ${c.generation.id} (one of items ${itemList(c.unpaired ?? [])})`).join(', ');
	return paired.length === 0 ? others : `${list}, and unpaired ${others}`;
}

function itemList(items: number[]): string {
	return items.length > 10 ? `${items.slice(0, 10).join(', ')} and ${items.length - 10} more` : items.join(', ');
}

function batchFailed(
	context: IExecuteFunctions,
	failed: { error: unknown; items: PendingItem[] },
	created: Created[],
	notSubmitted: number,
): Error {
	if (created.length === 0 && notSubmitted === 0) return withItemIndex(context, failed.error, failed.items[0].itemIndex);
	const indexes = failed.items.map((item) => item.itemIndex);
	const cause = (failed.error as { description?: unknown }).description;
	return new NodeOperationError(context.getNode(), `Items ${indexes[0]}–${indexes[indexes.length - 1]} could not be submitted: ${(failed.error as Error).message}`, {
		itemIndex: indexes[0],
		description: [
			typeof cause === 'string' ? cause : '',
			`Generations created (not lost, do not generate them again): ${createdIds(created)}.`,
			notSubmitted > 0 ? `${notSubmitted} later items were not submitted.` : '',
			'Turn on "Continue On Fail" to get them as output items next to the errors.',
		]
			.filter(Boolean)
			.join(' '),
	});
}

function itemsRejected(
	context: IExecuteFunctions,
	rejected: Array<{ itemIndex: number; message: string; unmatched?: boolean }>,
	created: Created[],
	notSubmitted: number,
): Error {
	const list = rejected.map((r) => r.itemIndex).join(', ');
	const title = rejected.some((r) => r.unmatched)
		? `Item${rejected.length > 1 ? 's' : ''} ${list} could not be matched with a generation of their own`
		: `RotateProduct rejected item${rejected.length > 1 ? 's' : ''} ${list}`;
	return new NodeOperationError(context.getNode(), title, {
		itemIndex: rejected[0].itemIndex,
		description: [
			...rejected.map((r) => r.message),
			`Created generations (not lost): ${createdIds(created)}.`,
			notSubmitted > 0 ? `${notSubmitted} later items were not submitted.` : '',
			'Turn on "Continue On Fail" to get the created generations as output items next to the errors.',
		]
			.filter(Boolean)
			.join(' '),
	});
}
