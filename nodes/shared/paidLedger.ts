/**
 * Paid work is created once per node run, even when n8n's "Retry On Fail" runs
 * the node again. n8n's engine re-runs the WHOLE node with the same input and
 * the same run index when it throws, or when its first output item has
 * `json.error` (Continue On Fail): without this ledger every retry would POST
 * (and pay for) the same generations, jobs or avatars again.
 *
 * Every request marked `paid` goes through `payOnce` (the transport calls it), so
 * no operation can forget it. The ledger remembers, in this n8n process, what a
 * paid request answered, keyed by execution id + node + run index + item + a
 * hash of what was sent. A retry of the same node run gets that answer back
 * instead of sending again, and carries on (status, wait, download). Another
 * execution (a re-run) or another run of the node never matches: that is new
 * paid work, as before. n8n runs a node's retries inside one engine loop, in
 * one process (also in queue mode), so an in-process map is enough.
 *
 * Nodes cannot use timers, so the map is pruned on access: by age and by size.
 */
import { createHash } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import type { ApiContext } from './context';
import type { ApiRequest } from './http/types';

/** Longer than any node run between a paid request and the engine's retry (waits included). */
export const LEDGER_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Each entry is one small answer (at most one bulk response); this bounds the memory. */
export const LEDGER_MAX_ENTRIES = 5000;

type Outcome = { answered: true; value: unknown } | { answered: false; error: unknown };

interface Entry {
	usedAt: number;
	outcome: Outcome;
}

const ledger = new Map<string, Entry>();

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
	const now = Date.now();
	prune(now);
	const known = ledger.get(key);
	if (known) {
		// Re-inserted: the map's order is the order of last use, oldest first.
		ledger.delete(key);
		ledger.set(key, { ...known, usedAt: now });
		if (known.outcome.answered) return copyOf(known.outcome.value) as Answer;
		throw known.outcome.error;
	}
	const outcome = await send().then(
		(value): { answered: true; value: Answer } => ({ answered: true, value }),
		(error: unknown): { answered: false; error: unknown } => ({ answered: false, error }),
	);
	if (outcome.answered) {
		remember(key, { answered: true, value: copyOf(outcome.value) });
		return outcome.value;
	}
	if (mayHaveBeenProcessed(outcome.error)) remember(key, outcome);
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
	if (key !== undefined) remember(key, { answered: true, value: copyOf(items) });
}

/** The output this node run gave when it paused, if it already did (then this is n8n's retry of it). */
export function pausedOutputOf(context: IExecuteFunctions): INodeExecutionData[] | undefined {
	const key = runKey(context, 'paused');
	if (key === undefined) return undefined;
	prune(Date.now());
	const known = ledger.get(key);
	return known?.outcome.answered ? (copyOf(known.outcome.value) as INodeExecutionData[]) : undefined;
}

/** Undefined where there is no node run to tie the request to (then it is sent as is). */
function ledgerKey(context: ApiContext, request: ApiRequest): string | undefined {
	if (request.paid !== true || request.encoding === 'stream' || !isExecution(context)) return undefined;
	const sent = createHash('sha256')
		.update(JSON.stringify([request.method, request.path, request.qs ?? null, request.body ?? null]))
		.digest('base64url');
	return runKey(context, 'paid', request.itemIndex ?? null, sent);
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

function remember(key: string, outcome: Outcome): void {
	ledger.set(key, { usedAt: Date.now(), outcome });
	while (ledger.size > LEDGER_MAX_ENTRIES) {
		const oldest = ledger.keys().next().value as string;
		ledger.delete(oldest);
	}
}

/** Drops entries unused for longer than the age bound (the map is in order of last use). */
function prune(now: number): void {
	for (const [key, entry] of ledger) {
		if (now - entry.usedAt <= LEDGER_MAX_AGE_MS) return;
		ledger.delete(key);
	}
}

/** How many entries the ledger holds (for tests of its bounds). */
export function ledgerSize(): number {
	return ledger.size;
}
