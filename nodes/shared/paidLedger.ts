/**
 * Paid work is created once per node run, even when n8n's "Retry On Fail" runs
 * the node again. n8n's engine re-runs the WHOLE node with the same input and
 * the same run index when it throws, or when its first output item has
 * `json.error` (Continue On Fail): without this ledger every retry would POST
 * (and pay for) the same generations, jobs or avatars again.
 *
 * Every request marked `paid` goes through `payOnce` (the transport calls it), so
 * no operation can forget it. The ledger remembers, in this n8n process, what a
 * paid request answered, keyed by execution id + node + run index + the request's
 * method, path and item (never its content, which a retry evaluates again). A retry of the same node run gets that answer back
 * instead of sending again, and carries on (status, wait, download). Another
 * execution (a re-run) or another run of the node never matches: that is new
 * paid work, as before. n8n runs a node's retries inside one engine loop, in
 * one process (also in queue mode), so an in-process map is enough.
 *
 * Nodes cannot use timers, so the map is pruned on access: by age and by size.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import type { ApiContext } from './context';
import type { ApiRequest } from './http/types';

/** Far longer than a node run lasts between its paid request and n8n's retry of it (a wait's timeout included). */
export const LEDGER_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Each entry is one small answer (at most one bulk response); this bounds the memory. */
export const LEDGER_MAX_ENTRIES = 5000;

type Outcome = { answered: true; value: unknown } | { answered: false; error: unknown };

/**
 * A map bounded by age and size without timers: entries unused for `maxAgeMs`
 * are dropped on the next access, and beyond `maxEntries` the least recently
 * used goes first (the map's order is the order of last use).
 */
export class BoundedMap<Value> {
	private readonly entries = new Map<string, { usedAt: number; value: Value }>();

	constructor(
		private readonly limits: { maxEntries: number; maxAgeMs: number },
		private readonly now: () => number = Date.now,
	) {}

	get size(): number {
		return this.entries.size;
	}

	get(key: string): Value | undefined {
		this.prune();
		const known = this.entries.get(key);
		if (!known) return undefined;
		this.entries.delete(key);
		this.entries.set(key, { usedAt: this.now(), value: known.value });
		return known.value;
	}

	set(key: string, value: Value): void {
		this.prune();
		this.entries.delete(key);
		this.entries.set(key, { usedAt: this.now(), value });
		while (this.entries.size > this.limits.maxEntries) {
			this.entries.delete(this.entries.keys().next().value as string);
		}
	}

	private prune(): void {
		const now = this.now();
		for (const [key, entry] of this.entries) {
			if (now - entry.usedAt <= this.limits.maxAgeMs) return;
			this.entries.delete(key);
		}
	}
}

const ledger = new BoundedMap<Outcome>({ maxEntries: LEDGER_MAX_ENTRIES, maxAgeMs: LEDGER_MAX_AGE_MS });

/**
 * Sends a paid request once per node run: a retry of the run gets the first
 * try's answer (or, when the first try may have been processed without an
 * answer, its error). A request that surely did not reach the service
 * (`mayHaveBeenProcessed` false) is not remembered: a retry may send it.
 */
export async function payOnce<Answer>(
	context: ApiContext,
	request: ApiRequest,
	mayHaveBeenProcessed: (error: unknown) => boolean,
	send: () => Promise<Answer>,
): Promise<Answer> {
	const key = ledgerKey(context, request);
	if (key === undefined) return await send();
	const known = ledger.get(key);
	if (known) {
		if (known.answered) return copyOf(known.value) as Answer;
		throw known.error;
	}
	const outcome = await send().then(
		(value): { answered: true; value: Answer } => ({ answered: true, value }),
		(error: unknown): { answered: false; error: unknown } => ({ answered: false, error }),
	);
	if (outcome.answered) {
		ledger.set(key, { answered: true, value: copyOf(outcome.value) });
		return outcome.value;
	}
	if (mayHaveBeenProcessed(outcome.error)) ledger.set(key, outcome);
	throw outcome.error;
}

/**
 * What a node run output when it paused the execution (a callback wait): a retry
 * of that run outputs it again instead of running again. The pause replaced the
 * node's input with the items it shows, so a retry would otherwise read those as
 * input (and could create paid work for an item that was invalid).
 */
export function rememberPausedOutput(context: IExecuteFunctions, items: INodeExecutionData[]): void {
	const key = runKey(context, 'paused');
	if (key !== undefined) ledger.set(key, { answered: true, value: copyOf(items) });
}

/** The output this node run gave when it paused, if it already did (then this is n8n's retry of it). */
export function pausedOutputOf(context: IExecuteFunctions): INodeExecutionData[] | undefined {
	const key = runKey(context, 'paused');
	if (key === undefined) return undefined;
	const known = ledger.get(key);
	return known?.answered ? (copyOf(known.value) as INodeExecutionData[]) : undefined;
}

/**
 * Undefined where there is no node run to tie the request to (then it is sent as is).
 * Keyed by what the request is for (method, path, the item it is for: one paid request
 * per item, or per batch by its first item), not by its content: n8n's retry evaluates
 * the parameters again, and an expression with `$now` or a random part must not make the
 * same item's request new paid work.
 */
function ledgerKey(context: ApiContext, request: ApiRequest): string | undefined {
	if (request.paid !== true || request.encoding === 'stream' || !isExecution(context)) return undefined;
	return runKey(context, 'paid', request.method, request.path, request.itemIndex ?? null);
}

/** This execution, this node, this run of it, and what in the run. */
function runKey(context: IExecuteFunctions, ...what: Array<string | number | null>): string | undefined {
	const executionId = context.getExecutionId();
	if (typeof executionId !== 'string' || executionId === '') return undefined;
	const node = context.getNode();
	return JSON.stringify([executionId, node.id, node.name, runIndexOf(context), ...what]);
}

function isExecution(context: ApiContext): context is IExecuteFunctions {
	return 'getExecutionId' in context && 'getWorkflowDataProxy' in context && 'getInputData' in context;
}

function runIndexOf(context: IExecuteFunctions): number {
	return context.getWorkflowDataProxy(0).$runIndex as number;
}

/** Kept and handed out as copies: callers add what they learn to the answer's objects. */
function copyOf(value: unknown): unknown {
	return typeof value === 'object' && value !== null ? deepCopy(value) : value;
}
