/**
 * One archive for any number of generations, assembled in n8n with archiver
 * (RotateProduct's own zip takes at most 100 ids). Each video is fetched only
 * when the archive reaches it and streams through to binary storage; names
 * follow RotateProduct's zip rules, so both ways give the same file names.
 */
import type { Readable } from 'node:stream';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { checkedStream, streamToBinary } from '../../shared/download';
import { UniqueFileNames } from '../../shared/fileNames';
import type { ZipEntrySource } from '../../shared/zip';
import { streamZip } from '../../shared/zip';
import { lookupGenerations } from './lookup';
import { generationState } from './status';
import type { GenerationSummary } from './types';
import { generationVideoBody } from './waitAndDownload';

export interface ClientZipPlan {
	ready: GenerationSummary[];
	skippedNotReady: number[];
	skippedNotFound: number[];
}

/** Sorts the ids as the server-side zip would: ready, not ready (yet), not found. */
export async function planClientZip(context: IExecuteFunctions, ids: number[]): Promise<ClientZipPlan> {
	const known = await lookupGenerations(context, ids, { skipUnknown: true });
	const plan: ClientZipPlan = { ready: [], skippedNotReady: [], skippedNotFound: [] };
	for (const id of ids) {
		const generation = known.get(id);
		if (!generation) plan.skippedNotFound.push(id);
		else if (generationState(generation.status) === 'done') plan.ready.push(generation);
		else plan.skippedNotReady.push(id);
	}
	return plan;
}

export async function buildClientZip(
	context: IExecuteFunctions,
	ready: GenerationSummary[],
	fileName: string,
	itemIndex: number,
): Promise<IBinaryData> {
	const names = new UniqueFileNames();
	const entries: ZipEntrySource[] = ready.map((generation) => ({
		name: names.claim(generation.external_id, generation.id, 'generation'),
		open: async () => await openVideo(context, generation, itemIndex),
	}));
	return await streamToBinary(context, streamZip(entries), {}, {
		fileName,
		mimeType: 'application/zip',
		itemIndex,
		what: `the zip of ${ready.length} videos`,
		inBlocks: false,
	});
}

async function openVideo(context: IExecuteFunctions, generation: GenerationSummary, itemIndex: number): Promise<Readable> {
	const response = await generationVideoBody(context, generation, itemIndex);
	return checkedStream(response.body, response.headers);
}
