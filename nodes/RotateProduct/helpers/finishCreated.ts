/**
 * Generate's "Wait for Completion" and "Download Videos" after the generations
 * exist: RotateProduct's side of the shared finish (`shared/finishPaidWork.ts`).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { finishPaidWork } from '../../shared/finishPaidWork';
import { generationJson } from './status';
import type { Created } from './submit';
import type { GenerationSummary } from './types';
import { GENERATION_POLL } from './types';
import { downloadGenerationVideo, waitForGenerations } from './waitAndDownload';

export function generationOutput(entry: Created, generation: GenerationSummary = entry.generation): INodeExecutionData {
	const json = generationJson(generation);
	if (entry.recovered) json.recovered = true;
	if (entry.reused) json.reused = true;
	if (entry.unpaired) {
		// Which of these items it belongs to cannot be told: it is output, never dropped or guessed.
		json.unpaired = true;
		json.candidateItems = entry.unpaired;
		return { json, pairedItem: entry.unpaired.map((item) => ({ item })) };
	}
	return { json, pairedItem: { item: entry.itemIndex } };
}

/** One output item per created generation, paired with its input item. */
export async function finishCreated(context: IExecuteFunctions, created: Created[]): Promise<INodeExecutionData[]> {
	const latest = new Map<number, GenerationSummary>();
	const current = (entry: Created) => latest.get(entry.generation.id) ?? entry.generation;
	return await finishPaidWork(context, created, {
		noun: 'generation',
		howToCheck: 'Check them with Get Status or Download Video (videos are kept 1 hour).',
		downloadParameter: 'downloadVideos',
		poll: GENERATION_POLL,
		idOf: (entry) => entry.generation.id,
		wait: async (entries, schedule) =>
			await waitForGenerations(context, entries.map((c) => c.generation.id), schedule, latest),
		jsonOf: (entry) => generationOutput(entry, current(entry)).json,
		download: async (entry) => await downloadGenerationVideo(context, current(entry), entry.itemIndex),
	});
}
