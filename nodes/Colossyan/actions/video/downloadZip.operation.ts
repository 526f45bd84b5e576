/**
 * Download Zip: the videos of all input items in one archive, assembled in n8n
 * (Colossyan has no zip endpoint). Entries stream one after another from their
 * public URLs through archiver into binary storage; names follow the same rules
 * as RotateProduct's zip, and what was left out is listed like its X-Skipped-* headers.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { asNodeError, httpStatusOf } from '../../../shared/http';
import { archiveFileName } from '../../../shared/fileNames';
import { checkEveryItem, failedItems, itemForItems } from '../../../shared/items';
import { idLimitError, shortList } from '../../../shared/limits';
import type { ZipPlan } from '../../../shared/zip';
import { archiveItem, skippedFields, zipEntries, zipToBinary } from '../../../shared/zip';
import type { GeneratedVideo } from '../../helpers/types';
import { parseColossyanIds } from '../../helpers/validation';
import type { VideoReference } from '../../helpers/video';
import { lookupVideo, openVideoFile } from '../../helpers/video';
import { binaryPropertyOption, idTypeField, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'All input items go into one zip. Only finished videos are included; the others are listed in the output.',
		name: 'zipNotice',
		type: 'notice',
		default: '',
	},
	idTypeField,
	{
		displayName: 'Job or Video IDs',
		name: 'ids',
		type: 'string',
		required: true,
		default: '={{ $json.jobId }}',
		description:
			'The job or video IDs to put in the zip. Each input item adds its IDs (one, an array, or a comma-separated list); duplicates are removed.',
	},
	binaryPropertyOption,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['video'], operation: ['downloadZip'] } }, properties);

/** Colossyan has no list endpoint: every id costs one or two requests, and one more (a fresh URL) before its file. */
const MAX_IDS = 1000;

type VideoZipPlan = ZipPlan<string, { id: string; videoId: string; video: GeneratedVideo }>;

export const effect = 'read';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const by = this.getNodeParameter('idType', 0, 'job') as VideoReference['by'];
	const { ids, itemIndexes, errorItems: output } = await collectIds(this, by);
	if (ids.length === 0) return output;
	const tooMany = idLimitError(this, ids.length, MAX_IDS, {
		what: `${by} IDs`,
		why: 'Colossyan has no list endpoint, so each ID is looked up on its own (up to three requests).',
		itemIndex: itemIndexes[0],
	});
	if (tooMany) return [...output, failedItems(this, tooMany, itemIndexes)];
	output.push(await itemForItems(this, itemIndexes, async () => await downloadZip(this, by, ids, itemIndexes)));
	return output;
}

async function collectIds(
	context: IExecuteFunctions,
	by: VideoReference['by'],
): Promise<{ ids: string[]; itemIndexes: number[]; errorItems: INodeExecutionData[] }> {
	const { checked, errorItems } = await checkEveryItem(context, (itemIndex) =>
		parseColossyanIds(context, context.getNodeParameter('ids', itemIndex), by, itemIndex),
	);
	const ids = new Set<string>();
	for (const { request } of checked) for (const id of request) ids.add(id);
	return { ids: [...ids], itemIndexes: checked.map((c) => c.itemIndex), errorItems };
}

async function planZip(context: IExecuteFunctions, by: VideoReference['by'], ids: string[], itemIndex: number): Promise<VideoZipPlan> {
	const plan: VideoZipPlan = { ready: [], skippedNotReady: [], skippedNotFound: [] };
	for (const id of ids) {
		try {
			const found = await lookupVideo(context, { by, id }, itemIndex);
			if (found.ready) plan.ready.push({ id, videoId: found.videoId, video: found.video });
			else plan.skippedNotReady.push(id);
		} catch (error) {
			// 404 or 410: unknown, deleted or expired (Colossyan does not publish which it answers).
			const status = httpStatusOf(error);
			if (status !== 404 && status !== 410) throw asNodeError(context, error, itemIndex);
			plan.skippedNotFound.push(id);
		}
	}
	return plan;
}

async function downloadZip(
	context: IExecuteFunctions,
	by: VideoReference['by'],
	ids: string[],
	itemIndexes: number[],
): Promise<INodeExecutionData> {
	const itemIndex = itemIndexes[0];
	const plan = await planZip(context, by, ids, itemIndex);
	if (plan.ready.length === 0) {
		throw new NodeOperationError(context.getNode(), `None of the ${ids.length} videos can be downloaded yet`, {
			itemIndex,
			description: `Not finished: ${shortList(plan.skippedNotReady)}. Not found in this workspace (or expired, or deleted): ${shortList(plan.skippedNotFound)}. Use Generate with "Wait for Completion", or the Colossyan Trigger, to zip them once they are finished.`,
		});
	}
	const entries = zipEntries(
		plan.ready.map(({ video, videoId }) => ({
			label: video.name,
			id: video.id,
			what: `video ${video.id}`,
			open: async () => await openVideoFile(context, videoId, itemIndex),
		})),
		'video',
	);
	const fileName = archiveFileName('colossyan', plan.ready.length);
	const binary = await zipToBinary(context, entries, { fileName, itemIndex });
	const binaryProperty = context.getNodeParameter('binaryPropertyName', 0, 'data') as string;
	const json: IDataObject = {
		fileName,
		included: plan.ready.map((file) => file.id),
		files: plan.ready.map((file, i) => ({ id: file.id, videoId: file.video.id, fileName: entries[i].name })),
		...skippedFields(plan, ids),
	};
	return archiveItem(json, binaryProperty, binary, itemIndexes);
}
