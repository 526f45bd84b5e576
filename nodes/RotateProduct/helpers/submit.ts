/**
 * The paid bulk POST and what it leaves behind: the created generations paired
 * with their items, the rejected items, and, when the answer was lost after the
 * request may have been processed, the generations recovered by External ID.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { mayHaveBeenProcessed } from '../../shared/http';
import type { CheckedRequest } from '../../shared/items';
import { rotateProductJson } from '../transport';
import { newestRows } from './lookup';
import type { BulkGenerateResponse, GenerationRequestItem, GenerationSummary } from './types';

/** An input item whose request was checked, not sent yet. */
export type PendingItem = CheckedRequest<GenerationRequestItem>;

export interface Created {
	itemIndex: number;
	generation: GenerationSummary;
	/** Found by External ID after the POST's answer was lost. */
	recovered?: boolean;
	/** An existing generation returned instead of a new one (re-run guard). */
	reused?: boolean;
}

export interface BatchOutcome {
	created: Created[];
	rejected: Array<{ itemIndex: number; message: string }>;
	/** The POST failed; `error` applies to these items (none were created for them, or it is unknown). */
	failed?: { error: unknown; items: PendingItem[] };
}

export async function submitBatch(context: IExecuteFunctions, batch: PendingItem[]): Promise<BatchOutcome> {
	let response: BulkGenerateResponse;
	try {
		response = await rotateProductJson<BulkGenerateResponse>(context, {
			method: 'POST',
			path: '/generations',
			body: { generations: batch.map((item): IDataObject => item.request) },
			paid: true,
			itemIndex: batch[0].itemIndex,
		});
	} catch (error) {
		if (!mayHaveBeenProcessed(error)) return { created: [], rejected: [], failed: { error, items: batch } };
		return await recoverByExternalId(context, batch, error);
	}
	try {
		return pairResponse(context, batch, response);
	} catch (error) {
		// The answer cannot be matched to items; its error names what was created.
		return { created: [], rejected: [], failed: { error, items: batch } };
	}
}

/**
 * Pairs the created generations with their items: `failedGenerations[].id` is the
 * index in the request, and the created ones come back in request order.
 */
function pairResponse(context: IExecuteFunctions, batch: PendingItem[], response: BulkGenerateResponse): BatchOutcome {
	const generations = Array.isArray(response.data?.generations) ? response.data.generations : [];
	const failed = new Map<number, string>();
	for (const failure of response.data?.failedGenerations ?? []) failed.set(Number(failure.id), failure.error);
	const accepted = batch.filter((_item, index) => !failed.has(index));
	if (accepted.length !== generations.length) {
		throw new NodeApiError(context.getNode(), { created: generations.map((g) => g.id) }, {
			message: `RotateProduct created ${generations.length} generations for ${accepted.length} accepted items, so they cannot be matched to items`,
			description: `Created generation IDs: ${generations.map((g) => g.id).join(', ') || 'none'}. Use Get Many to find them.`,
		});
	}
	const created = accepted.map((item, index) => ({ itemIndex: item.itemIndex, generation: generations[index] }));
	const rejected: BatchOutcome['rejected'] = [];
	for (const [index, message] of failed) {
		const item = batch[index];
		if (item) rejected.push({ itemIndex: item.itemIndex, message: `RotateProduct rejected item ${item.itemIndex}: ${message}` });
	}
	return { created, rejected };
}

/**
 * The POST may have been processed. Generations it created are the newest in the
 * account, so the newest list rows are matched by External ID (the latest rows
 * with an item's External ID, in request order). Items without an External ID, or
 * whose External ID is not there, stay failed with the "may have been processed"
 * error: nothing is sent again.
 */
async function recoverByExternalId(context: IExecuteFunctions, batch: PendingItem[], error: unknown): Promise<BatchOutcome> {
	const wanted = batch.filter((item) => item.request.externalId !== undefined);
	if (wanted.length === 0) return { created: [], rejected: [], failed: { error, items: batch } };
	let rows: GenerationSummary[];
	try {
		// The batch's rows plus one page for generations others created meanwhile.
		rows = await newestRows(context, batch.length + 100);
	} catch {
		return { created: [], rejected: [], failed: { error, items: batch } };
	}
	const byExternalId = new Map<string, GenerationSummary[]>();
	for (const row of [...rows].sort((a, b) => a.id - b.id)) {
		if (typeof row.external_id !== 'string') continue;
		const list = byExternalId.get(row.external_id) ?? [];
		list.push(row);
		byExternalId.set(row.external_id, list);
	}
	const counts = new Map<string, number>();
	for (const item of wanted) counts.set(item.request.externalId as string, (counts.get(item.request.externalId as string) ?? 0) + 1);
	const created: Created[] = [];
	const unfound: PendingItem[] = [];
	const taken = new Map<string, number>();
	for (const item of batch) {
		const externalId = item.request.externalId;
		const candidates = externalId === undefined ? [] : (byExternalId.get(externalId) ?? []);
		const need = externalId === undefined ? 0 : (counts.get(externalId) as number);
		// Only as many of the newest rows as the batch asked for with that External ID.
		const usable = candidates.slice(Math.max(0, candidates.length - need));
		const index = externalId === undefined ? 0 : (taken.get(externalId) ?? 0);
		const row = usable[index];
		if (externalId !== undefined && row && usable.length === need) {
			taken.set(externalId, index + 1);
			created.push({ itemIndex: item.itemIndex, generation: row, recovered: true });
		} else {
			unfound.push(item);
		}
	}
	if (unfound.length === 0) return { created, rejected: [] };
	return { created, rejected: [], failed: { error: notFoundAfterAmbiguous(context, error, unfound), items: unfound } };
}

function notFoundAfterAmbiguous(context: IExecuteFunctions, error: unknown, unfound: PendingItem[]): NodeOperationError {
	const description = (error as { description?: unknown }).description;
	return new NodeOperationError(context.getNode(), (error as Error).message, {
		itemIndex: unfound[0].itemIndex,
		description: `${typeof description === 'string' ? description : ''} Items ${unfound.map((u) => u.itemIndex).join(', ')} were not found by External ID among the newest generations (items without an External ID cannot be matched).`.trim(),
	});
}
