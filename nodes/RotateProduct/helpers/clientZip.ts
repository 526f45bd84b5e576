/**
 * One archive for any number of generations, assembled in n8n by the shared
 * zip builder (RotateProduct's own zip takes at most 100 ids): what goes in,
 * and how each video is opened. Names follow RotateProduct's zip rules, so
 * both ways give the same file names.
 */
import type { Readable } from 'node:stream';
import type { IExecuteFunctions } from 'n8n-workflow';

import { checkedStream } from '../../shared/download';
import type { ZipEntrySource, ZipFileSource, ZipPlan } from '../../shared/zip';
import { zipEntries } from '../../shared/zip';
import { lookupGenerations } from './lookup';
import { generationState } from './status';
import type { GenerationSummary } from './types';
import { generationVideoBody } from './waitAndDownload';

export type ClientZipPlan = ZipPlan<number, GenerationSummary>;

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

/** The archive's entries, by RotateProduct's zip naming rules; each video is fetched only when the archive reaches it. */
export function generationZipEntries(
	context: IExecuteFunctions,
	ready: GenerationSummary[],
	itemIndex: number,
): ZipEntrySource[] {
	const files: ZipFileSource[] = ready.map((generation) => ({
		label: generation.external_id,
		id: generation.id,
		what: `generation ${generation.id}`,
		open: async () => await openVideo(context, generation, itemIndex),
	}));
	return zipEntries(files, 'generation');
}

async function openVideo(context: IExecuteFunctions, generation: GenerationSummary, itemIndex: number): Promise<Readable> {
	const response = await generationVideoBody(context, generation, itemIndex);
	return checkedStream(response.body, response.headers);
}
