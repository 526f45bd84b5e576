/**
 * Download Zip: RotateProduct's server-side zip, at most 100 ids a request. The
 * ids of all input items are collected, de-duplicated and split into archives
 * of 100; each archive streams into binary storage, and its item lists what
 * was included and what the X-Skipped-* headers said was left out.
 */
import type { Readable } from 'node:stream';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { streamToBinary } from '../../../shared/download';
import { archiveFileName } from '../../../shared/fileNames';
import type { ResponseHeaders } from '../../../shared/http';
import { httpStatusOf } from '../../../shared/http';
import { checkEveryItem, failedItems, itemForItems } from '../../../shared/items';
import { idLimitError } from '../../../shared/limits';
import { readPollSchedule } from '../../../shared/waiting';
import { archiveItem, skippedFields, zipToBinary } from '../../../shared/zip';
import { NOT_FOUND_ERROR_CODE, apiErrorCode } from '../../transport/errors';
import { GENERATION_POLL, MAX_IDS_PER_ZIP } from '../../helpers/types';
import { parseGenerationIds } from '../../helpers/validation';
import { waitForGenerations } from '../../helpers/waitAndDownload';
import { generationZipEntries, planClientZip } from '../../helpers/clientZip';
import { rotateProductRequest } from '../../transport';
import { binaryPropertyOption, optionsCollection, waitFields } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName:
			'RotateProduct zips at most 100 IDs at a time: choose in Archives between one archive per 100 IDs or one archive for all. Only finished videos are included; the others are listed in the output.',
		name: 'zipNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Generation IDs',
		name: 'generationIds',
		type: 'string',
		required: true,
		default: '={{ $json.id }}',
		description:
			'The generation IDs to put in the zip. Each input item adds its IDs (one, an array, or a comma-separated list); duplicates are removed.',
	},
	{
		displayName: 'Wait for Ready',
		name: 'waitForReady',
		type: 'boolean',
		default: false,
		description: 'Whether to wait until every generation is finished or failed before zipping, so none is skipped as not ready',
	},
	...waitFields({ waitForReady: [true] }),
	{
		displayName: 'Archives',
		name: 'archiveMode',
		type: 'options',
		options: [
			{
				name: 'One Archive per 100 IDs',
				value: 'perHundred',
				description: 'RotateProduct builds each zip; more than 100 IDs give several archives',
			},
			{
				name: 'One Archive for All IDs',
				value: 'single',
				description: 'Any number of IDs in one zip, which this node builds while the videos stream in',
			},
		],
		default: 'perHundred',
	},
	binaryPropertyOption,
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['generation'], operation: ['downloadZip'] } },
	properties,
);

/** One per 100 IDs: at most this many archives (requests and output items) per execution. */
const MAX_ARCHIVES = 100;

interface RequestedId {
	id: number;
	itemIndexes: number[];
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { requested, errorItems: output } = await collectIds(this);
	if (requested.length === 0) return output;
	const single = (this.getNodeParameter('archiveMode', 0, 'perHundred') as string) === 'single';
	const tooMany = single
		? undefined
		: idLimitError(this, requested.length, MAX_ARCHIVES * MAX_IDS_PER_ZIP, {
				what: 'generation IDs',
				why: `"One per 100 IDs" makes one archive and one request per 100 IDs (at most ${MAX_ARCHIVES} archives). "One Archive (Assembled in n8n)" takes any number.`,
				itemIndex: requested[0].itemIndexes[0],
			});
	if (tooMany) return [...output, failedItems(this, tooMany, itemIndexesOf(requested))];

	if (this.getNodeParameter('waitForReady', 0, false) as boolean) {
		const schedule = readPollSchedule(this, GENERATION_POLL);
		await waitForGenerations(this, requested.map((r) => r.id), schedule, undefined, { skipUnknown: true });
	}

	const binaryProperty = this.getNodeParameter('binaryPropertyName', 0, 'data') as string;
	const chunks = single ? [requested] : chunksOf(requested, MAX_IDS_PER_ZIP);
	for (const chunk of chunks) {
		const itemIndexes = itemIndexesOf(chunk);
		const download = single ? downloadSingleArchive : downloadArchive;
		output.push(await itemForItems(this, itemIndexes, async () => await download(this, chunk, itemIndexes, binaryProperty)));
	}
	return output;
}

/** The input items behind these ids, each once, in order. */
function itemIndexesOf(requested: RequestedId[]): number[] {
	return [...new Set(requested.flatMap((r) => r.itemIndexes))].sort((a, b) => a - b);
}

function chunksOf(requested: RequestedId[], size: number): RequestedId[][] {
	const chunks: RequestedId[][] = [];
	for (let start = 0; start < requested.length; start += size) chunks.push(requested.slice(start, start + size));
	return chunks;
}

/** All input items' ids, de-duplicated in first-seen order; bad ids are item errors. */
async function collectIds(context: IExecuteFunctions): Promise<{ requested: RequestedId[]; errorItems: INodeExecutionData[] }> {
	const { checked, errorItems } = await checkEveryItem(context, (itemIndex) =>
		parseGenerationIds(context, context.getNodeParameter('generationIds', itemIndex), itemIndex),
	);
	const byId = new Map<number, RequestedId>();
	for (const { itemIndex, request: ids } of checked) {
		for (const id of ids) {
			const entry = byId.get(id) ?? { id, itemIndexes: [] };
			if (!entry.itemIndexes.includes(itemIndex)) entry.itemIndexes.push(itemIndex);
			byId.set(id, entry);
		}
	}
	return { requested: [...byId.values()], errorItems };
}

async function downloadArchive(
	context: IExecuteFunctions,
	chunk: RequestedId[],
	itemIndexes: number[],
	binaryProperty: string,
): Promise<INodeExecutionData> {
	const ids = chunk.map((r) => r.id);
	let response;
	try {
		response = await rotateProductRequest<Readable>(context, {
			method: 'POST',
			path: '/generations/download',
			body: { videoIds: ids },
			encoding: 'stream',
			itemIndex: itemIndexes[0],
		});
	} catch (error) {
		throw nothingDownloadable(context, error, ids, itemIndexes[0]) ?? error;
	}
	const skippedNotReady = idList(response.headers, 'x-skipped-not-ready');
	const skippedNotFound = idList(response.headers, 'x-skipped-not-found');
	const skipped = new Set([...skippedNotReady, ...skippedNotFound]);
	// Our own name, readable (date-time and count), never the server's `generations-<ms>.zip`.
	const fileName = archiveFileName('rotateproduct', ids.filter((id) => !skipped.has(id)).length);
	const binary = await streamToBinary(context, response.body, response.headers, {
		fileName,
		mimeType: 'application/zip',
		itemIndex: itemIndexes[0],
		what: `the zip of ${ids.length} generations`,
	});
	const json: IDataObject = {
		fileName,
		included: ids.filter((id) => !skipped.has(id)),
		...skippedFields({ skippedNotReady, skippedNotFound }, ids),
	};
	return archiveItem(json, binaryProperty, binary, itemIndexes);
}

async function downloadSingleArchive(
	context: IExecuteFunctions,
	requested: RequestedId[],
	itemIndexes: number[],
	binaryProperty: string,
): Promise<INodeExecutionData> {
	const ids = requested.map((r) => r.id);
	const plan = await planClientZip(context, ids);
	if (plan.ready.length === 0) throw noneReady(context, ids, itemIndexes[0]);
	const fileName = archiveFileName('rotateproduct', plan.ready.length);
	const entries = generationZipEntries(context, plan.ready, itemIndexes[0]);
	const binary = await zipToBinary(context, entries, { fileName, itemIndex: itemIndexes[0] });
	const json: IDataObject = {
		fileName,
		included: plan.ready.map((g) => g.id),
		...skippedFields(plan, ids),
	};
	return archiveItem(json, binaryProperty, binary, itemIndexes);
}

/** The documented 404 "downloadable generations not found", said in the user's terms. */
function nothingDownloadable(
	context: IExecuteFunctions,
	error: unknown,
	ids: number[],
	itemIndex: number,
): NodeOperationError | undefined {
	const httpCode = httpStatusOf(error);
	const { errorResponse } = error as { errorResponse?: unknown };
	const code = apiErrorCode(errorResponse);
	if (httpCode !== 404 || (code !== undefined && code !== NOT_FOUND_ERROR_CODE)) return undefined;
	return noneReady(context, ids, itemIndex);
}

function noneReady(context: IExecuteFunctions, ids: number[], itemIndex: number): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`None of the ${ids.length} generations can be downloaded yet`,
		{
			itemIndex,
			description:
				'They are still rendering, failed, expired (videos are kept 1 hour), or belong to another account. Turn on "Wait for Ready" to wait for them, or check them with Get Status.',
		},
	);
}

function idList(headers: ResponseHeaders, name: string): number[] {
	const raw = headers[name];
	const text = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
	return text
		.split(',')
		.map((part) => part.trim())
		.filter((part) => /^\d+$/.test(part))
		.map(Number);
}
