/**
 * The paid bulk POST and what it leaves behind: the created generations paired
 * with their items (helpers/pairing.ts: never by a guess), the items not
 * created, and, when the answer was lost after the request may have been
 * processed, the generations recovered by External ID among those the server
 * created after the request was sent.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mayHaveBeenProcessed } from '../../shared/http';
import type { CheckedRequest } from '../../shared/items';
import { serverTime } from '../../shared/time';
import { rotateProductJson } from '../transport';
import type { AccountMark } from './lookup';
import { markAccount, newestRows, readServerClock } from './lookup';
import type { Pairing } from './pairing';
import { DISTINCT_IDS_FIX, pairGenerations } from './pairing';
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
	/** Its item cannot be told: one of these items (`itemIndex` is the first). */
	unpaired?: number[];
}

export interface BatchOutcome {
	created: Created[];
	/** Items with no generation of their own: rejected, or not matchable with certainty. */
	rejected: Array<{ itemIndex: number; message: string; unmatched?: boolean }>;
	/** The POST failed; `error` applies to these items (none were created for them, or it is unknown). */
	failed?: { error: unknown; items: PendingItem[] };
}

/**
 * `known`: ids of generations this run already returned (reused, or created by
 * an earlier batch); recovery never hands them back again.
 */
export async function submitBatch(context: IExecuteFunctions, batch: PendingItem[], known: ReadonlySet<number> = new Set()): Promise<BatchOutcome> {
	let response: BulkGenerateResponse;
	// What the account holds before the POST: recovery takes only rows made after it.
	const mark = batch.some((item) => item.request.externalId !== undefined) ? await markAccount(context).catch(() => undefined) : undefined;
	const sentAt = Date.now();
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
		return await recoverByExternalId(context, batch, error, { sentAt, mark, known });
	}
	const generations = Array.isArray(response.data?.generations) ? response.data.generations.filter(isGeneration) : [];
	const failures = Array.isArray(response.data?.failedGenerations) ? response.data.failedGenerations : [];
	return outcomeOf(pairGenerations({ items: batch, generations, failures }));
}

function isGeneration(value: unknown): value is GenerationSummary {
	return typeof value === 'object' && value !== null && Number.isSafeInteger((value as GenerationSummary).id);
}

function outcomeOf(pairing: Pairing): BatchOutcome {
	const created: Created[] = pairing.paired.map(({ itemIndex, generation }) => ({ itemIndex, generation }));
	for (const { generation, candidates } of pairing.unpaired) {
		created.push({ itemIndex: candidates[0] ?? 0, generation, unpaired: candidates });
	}
	const rejected: BatchOutcome['rejected'] = pairing.notCreated.map((entry) => ({ ...entry }));
	const candidatesOf = new Map<number, number[]>();
	for (const { generation, candidates } of pairing.unpaired) {
		for (const itemIndex of candidates) {
			const ids = candidatesOf.get(itemIndex) ?? [];
			if (ids.length < 11) ids.push(generation.id);
			candidatesOf.set(itemIndex, ids);
		}
	}
	for (const itemIndex of pairing.unsure) {
		rejected.push({
			itemIndex,
			unmatched: true,
			message: `RotateProduct's answer cannot tell which generation is item ${itemIndex}'s: it is one of generations ${shortList(candidatesOf.get(itemIndex) ?? [])} (output marked "unpaired"), or none was created for it. ${DISTINCT_IDS_FIX}`,
		});
	}
	return { created, rejected };
}

/** "1, 2, 3 … and others": an item's message stays short in a request of 600 (the unpaired outputs list them all). */
function shortList(ids: number[]): string {
	const shown = ids.slice(0, 10).join(', ');
	return ids.length > 10 ? `${shown} and others` : shown;
}

/**
 * The POST may have been processed. Generations it created were created after
 * it was sent, by the server's clock: only those rows count (an older
 * generation with the same External ID, e.g. from an earlier run, is never
 * handed back as new), and none this run already returned. They are matched by
 * External ID only, and only where that cannot be wrong (helpers/pairing.ts).
 * Items without an External ID, or not found, stay failed with the "may have
 * been processed" error: nothing is sent again. Without the mark (the list read
 * just before the POST failed) nothing is recovered: the `Date` header alone is
 * too coarse to tell this request's rows from older ones.
 */
async function recoverByExternalId(
	context: IExecuteFunctions,
	batch: PendingItem[],
	error: unknown,
	before: { sentAt: number; mark: AccountMark | undefined; known: ReadonlySet<number> },
): Promise<BatchOutcome> {
	const wanted = batch.filter((item) => item.request.externalId !== undefined);
	if (wanted.length === 0) return { created: [], rejected: [], failed: { error, items: batch } };
	// Without the mark only the Date header (whole seconds) would tell new rows from older ones: not certain, nothing is recovered.
	const { mark } = before;
	if (!mark) return failedAll(context, error, batch, NO_MARK);
	let rows: GenerationSummary[];
	try {
		const clock = await readServerClock(context);
		if (!clock) return failedAll(context, error, batch, 'RotateProduct did not send its clock (no Date header), so new generations cannot be told from older ones.');
		// The server's time when the POST was sent, at the earliest: its rows are not older
		// (to the second: the Date header's resolution); and newer than the rows marked before it.
		const notBefore = clock.earliest() - (Date.now() - before.sentAt);
		const isNew = (row: GenerationSummary, created: number) =>
			created >= notBefore &&
			!before.known.has(row.id) &&
			row.id > mark.highestId &&
			(mark.latestCreated === undefined || created > mark.latestCreated);
		// The batch's rows plus one page for generations others created meanwhile.
		const newest = await newestRows(context, batch.length + 100);
		const externalIds = new Set(wanted.map((item) => item.request.externalId));
		rows = newest.filter((row) => {
			const created = serverTime(row.created_at);
			return created !== undefined && isNew(row, created) && externalIds.has(row.external_id ?? undefined);
		});
	} catch {
		return { created: [], rejected: [], failed: { error, items: batch } };
	}
	const pairing = pairGenerations({ items: wanted, generations: rows.sort((a, b) => a.id - b.id), failures: [] });
	// Positions are used only where they agree with every row's External ID (pairing.ts checks it).
	const created: Created[] = pairing.paired.map(({ itemIndex, generation }) => ({ itemIndex, generation, recovered: true }));
	const recovered = new Set(created.map((entry) => entry.itemIndex));
	const unfound = batch.filter((item) => !recovered.has(item.itemIndex));
	if (unfound.length === 0) return { created, rejected: [] };
	const candidates = pairing.unpaired.map((entry) => entry.generation.id);
	return { created, rejected: [], failed: { error: notFoundAfterAmbiguous(context, error, unfound, candidates), items: unfound } };
}

const NO_MARK =
	"RotateProduct's generation list could not be read just before the request, so generations it may have created cannot be told from older ones with the same External ID: nothing was recovered. Check Get Many (newest first) for generations created since, before generating again.";

function failedAll(context: IExecuteFunctions, error: unknown, batch: PendingItem[], why: string): BatchOutcome {
	return { created: [], rejected: [], failed: { error: notFoundAfterAmbiguous(context, error, batch, [], why), items: batch } };
}

function notFoundAfterAmbiguous(
	context: IExecuteFunctions,
	error: unknown,
	unfound: PendingItem[],
	candidates: number[],
	why?: string,
): NodeOperationError {
	const description = (error as { description?: unknown }).description;
	const parts = [
		typeof description === 'string' ? description : '',
		why ??
			`Items ${unfound.map((u) => u.itemIndex).join(', ')} were not found by External ID among the generations created after the request was sent (items without an External ID cannot be matched).`,
		candidates.length > 0
			? `Generations ${candidates.join(', ')} were created since, but cannot be matched to one item with certainty: check them with Get Status before generating again. ${DISTINCT_IDS_FIX}`
			: '',
	];
	return new NodeOperationError(context.getNode(), (error as Error).message, {
		itemIndex: unfound[0].itemIndex,
		description: parts.filter(Boolean).join(' ').trim(),
	});
}
