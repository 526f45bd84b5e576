/**
 * Generate: one generation per input item, sent in bulk requests of up to 600
 * (1,200 items cost exactly 2 POSTs). Items RotateProduct rejects become errors
 * on their own item; generations that were created are never lost because
 * another item failed.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { errorItem, messageOf, withItemIndex } from '../../../shared/items';
import { pollSchedule, STILL_RUNNING_MESSAGE } from '../../../shared/waiting';
import { generationJson } from '../../helpers/status';
import type { BulkGenerateResponse, GenerationRequestItem, GenerationSummary } from '../../helpers/types';
import { MAX_GENERATIONS_PER_REQUEST } from '../../helpers/types';
import { checkImageUrl } from '../../helpers/validation';
import { downloadGenerationVideo, waitForGenerations } from '../../helpers/waitAndDownload';
import { rotateProductJson } from '../../transport';
import { binaryPropertyOption, waitFields } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://shop.example.com/images/mug.jpg',
		description: 'The product image the video starts from: an http(s) URL or a data:image URL',
		hint: 'One generation per input item, 5 credits each. Items are sent in bulk requests of up to 600.',
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_GENERATIONS_PER_REQUEST },
				default: MAX_GENERATIONS_PER_REQUEST,
				description: 'How many items go into one bulk request (RotateProduct accepts at most 600)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['generation'], operation: ['generate'] } },
	properties,
);

interface PendingItem {
	itemIndex: number;
	request: GenerationRequestItem;
}

interface Created {
	itemIndex: number;
	generation: GenerationSummary;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const itemCount = this.getInputData().length;
	const output: Array<INodeExecutionData | undefined> = new Array(itemCount);
	const pending: PendingItem[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			pending.push({ itemIndex, request: readItem(this, itemIndex) });
		} catch (error) {
			if (!this.continueOnFail()) throw withItemIndex(this, error, itemIndex);
			output[itemIndex] = errorItem(error, itemIndex);
		}
	}

	const created = await submitInBatches(this, pending, output);
	if (this.getNodeParameter('waitForCompletion', 0, false) as boolean) {
		await waitAndFill(this, created, output);
	} else {
		for (const { itemIndex, generation } of created) {
			output[itemIndex] = { json: generationJson(generation), pairedItem: { item: itemIndex } };
		}
	}
	return output.filter((item): item is INodeExecutionData => item !== undefined);
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
	if (text('externalId') !== '') request.externalId = text('externalId');
	return request;
}

async function submitInBatches(
	context: IExecuteFunctions,
	pending: PendingItem[],
	output: Array<INodeExecutionData | undefined>,
): Promise<Created[]> {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const batchSize = Math.min(MAX_GENERATIONS_PER_REQUEST, Math.max(1, Number(options.batchSize) || MAX_GENERATIONS_PER_REQUEST));
	const created: Created[] = [];
	for (let start = 0; start < pending.length; start += batchSize) {
		const batch = pending.slice(start, start + batchSize);
		const rejected: Array<{ itemIndex: number; message: string }> = [];
		try {
			const response = await rotateProductJson<BulkGenerateResponse>(context, {
				method: 'POST',
				path: '/generations',
				body: { generations: batch.map((item) => item.request) as unknown as IDataObject[] },
				paid: true,
				itemIndex: batch[0].itemIndex,
			});
			pairResponse(context, batch, response, created, rejected);
		} catch (error) {
			if (!context.continueOnFail()) throw batchFailed(context, error, batch, created);
			for (const { itemIndex } of batch) output[itemIndex] = errorItem(error, itemIndex);
			continue;
		}
		if (rejected.length === 0) continue;
		if (!context.continueOnFail()) throw itemsRejected(context, rejected, created, pending.length - start - batch.length);
		for (const { itemIndex, message } of rejected) {
			output[itemIndex] = errorItem(new NodeOperationError(context.getNode(), message, { itemIndex }), itemIndex);
		}
	}
	return created;
}

/**
 * Pairs the created generations with their items: `failedGenerations[].id` is the
 * index in the request, and the created ones come back in request order.
 */
function pairResponse(
	context: IExecuteFunctions,
	batch: PendingItem[],
	response: BulkGenerateResponse,
	created: Created[],
	rejected: Array<{ itemIndex: number; message: string }>,
): void {
	const generations = Array.isArray(response.data?.generations) ? response.data.generations : [];
	const failed = new Map<number, string>();
	for (const failure of response.data?.failedGenerations ?? []) failed.set(Number(failure.id), failure.error);
	const accepted = batch.filter((_item, index) => !failed.has(index));
	if (accepted.length !== generations.length) {
		throw new NodeApiError(context.getNode(), { created: generations.map((g) => g.id) }, {
			message: `RotateProduct created ${generations.length} generations for ${accepted.length} accepted items, so they cannot be matched to items`,
			description: `Created generation ids: ${generations.map((g) => g.id).join(', ') || 'none'}. Use List Generations to find them.`,
		});
	}
	accepted.forEach((item, index) => created.push({ itemIndex: item.itemIndex, generation: generations[index] }));
	for (const [index, message] of failed) {
		const item = batch[index];
		if (item) rejected.push({ itemIndex: item.itemIndex, message: `RotateProduct rejected item ${item.itemIndex}: ${message}` });
	}
}

function createdIds(created: Created[]): string {
	return created.length === 0 ? 'none' : created.map((c) => c.generation.id).join(', ');
}

function batchFailed(context: IExecuteFunctions, error: unknown, batch: PendingItem[], created: Created[]): Error {
	if (created.length === 0) return error as Error;
	const first = batch[0].itemIndex;
	const last = batch[batch.length - 1].itemIndex;
	return new NodeOperationError(context.getNode(), `Items ${first}–${last} could not be submitted: ${messageOf(error)}`, {
		itemIndex: first,
		description: `Generations already created by earlier requests (not lost): ${createdIds(created)}. Turn on "Continue On Fail" to get them as output items next to the errors.`,
	});
}

function itemsRejected(
	context: IExecuteFunctions,
	rejected: Array<{ itemIndex: number; message: string }>,
	created: Created[],
	notSubmitted: number,
): Error {
	const list = rejected.map((r) => r.itemIndex).join(', ');
	return new NodeOperationError(context.getNode(), `RotateProduct rejected item${rejected.length > 1 ? 's' : ''} ${list}`, {
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

async function waitAndFill(
	context: IExecuteFunctions,
	created: Created[],
	output: Array<INodeExecutionData | undefined>,
): Promise<void> {
	const schedule = pollSchedule(
		context.getNodeParameter('pollIntervalSeconds', 0, 5) as number,
		context.getNodeParameter('waitTimeoutMinutes', 0, 10) as number,
	);
	const { generations, timedOut } = await waitForGenerations(
		context,
		created.map((c) => c.generation.id),
		schedule,
	);
	const download = context.getNodeParameter('downloadVideos', 0, false) as boolean;
	const binaryProperty = download ? (context.getNodeParameter('binaryPropertyName', 0, 'data') as string) : '';
	for (const { itemIndex, generation: first } of created) {
		const generation = generations.get(first.id) ?? first;
		const json = generationJson(generation);
		if (timedOut && json.state === 'running') {
			json.message = STILL_RUNNING_MESSAGE;
		}
		const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
		if (download && json.state === 'done') {
			try {
				item.binary = { [binaryProperty]: await downloadGenerationVideo(context, generation, itemIndex) };
			} catch (error) {
				if (!context.continueOnFail()) throw withItemIndex(context, error, itemIndex);
				item.json.error = messageOf(error);
			}
		}
		output[itemIndex] = item;
	}
}
