/**
 * When and how long to wait before retrying a request. Each service's transport
 * declares its ServiceRetryPolicy; the request loop (http/loop.ts) asks
 * retryDelayFor what to do after every failure. Pure functions, so the policy
 * is testable without a clock or a server.
 */
import { certainlyUnsent, isAmbiguousStatus, UNSENT_NETWORK_CODES } from './http/ambiguous';

export interface RetryPolicy {
	/** Total tries, the first one included. */
	maxAttempts: number;
	/** Backoff before the first retry; doubles on every retry. */
	baseDelayMs: number;
	/** Ceiling of one backoff step. */
	maxDelayMs: number;
	/** Ceiling of a server's Retry-After, so one header cannot stall a workflow for hours. */
	maxRetryAfterMs: number;
}

/** 4 tries; backoff from 0.5 s doubling to 8 s; a Retry-After of at most 60 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 4,
	baseDelayMs: 500,
	maxDelayMs: 8_000,
	maxRetryAfterMs: 60_000,
};

/** Exponential backoff with "full jitter": many clients retrying at once spread out. */
export function backoffDelay(
	retryNumber: number,
	policy: RetryPolicy,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryNumber);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

export function retryAfterDelay(
	header: unknown,
	retryNumber: number,
	policy: RetryPolicy,
	random: () => number = Math.random,
): number {
	const requested = parseRetryAfter(header);
	if (requested === undefined) return backoffDelay(retryNumber, policy, random);
	return Math.min(requested, policy.maxRetryAfterMs);
}

/**
 * Which requests a failure is retried for: every request, or only those that
 * spend no money (`paid`), because the service may have done the work already.
 */
export type RetryWhen = 'always' | 'unlessPaid';

/** One service's whole retry behaviour: timing, and what is retried for whom. */
export interface ServiceRetryPolicy extends RetryPolicy {
	/** HTTP statuses that are retried; any other status is final. */
	statuses: Readonly<Partial<Record<number, RetryWhen>>>;
	/** Statuses whose Retry-After header sets the wait (capped); other retries back off. */
	retryAfterStatuses: readonly number[];
	/** System error codes of a request that got no answer; any other code is final. */
	networkErrors: Readonly<Partial<Record<string, RetryWhen>>>;
}

/** No answer, and the request certainly never reached the service: safe to send again, paid or not. */
const UNSENT = Object.fromEntries(UNSENT_NETWORK_CODES.map((code): [string, RetryWhen] => [code, 'always']));
/** No answer, but the request may have reached the service (timeouts included). */
const MAY_HAVE_ARRIVED: Record<string, RetryWhen> = {
	ECONNRESET: 'unlessPaid',
	ETIMEDOUT: 'unlessPaid',
	EPIPE: 'unlessPaid',
	ECONNABORTED: 'unlessPaid',
	ESOCKETTIMEDOUT: 'unlessPaid',
	ERR_STREAM_PREMATURE_CLOSE: 'unlessPaid',
};
/** The network failures worth another try, for a service's `networkErrors`. */
export const TRANSIENT_NETWORK_ERRORS: Readonly<Record<string, RetryWhen>> = { ...UNSENT, ...MAY_HAVE_ARRIVED };

/** A failed try: the service answered with a status, or no answer came (a system error code). */
export type FailedTry = { statusCode: number; retryAfter?: unknown } | { networkError: string };

/**
 * How long to wait before the next try, or undefined when this failure is final.
 * `attempt` counts the tries made so far, this one included. Whatever a policy
 * says, a paid request the service may have processed (a 5xx or 408, or no
 * answer after it may have arrived) is never sent again: that would pay twice.
 */
export function retryDelayFor(
	policy: ServiceRetryPolicy,
	failure: FailedTry,
	request: { paid?: boolean; attempt: number },
	random: () => number = Math.random,
): number | undefined {
	if (request.attempt >= policy.maxAttempts) return undefined;
	const retryNumber = request.attempt - 1;
	if ('networkError' in failure) {
		const when = policy.networkErrors[failure.networkError];
		const mayHaveArrived = !certainlyUnsent(failure.networkError);
		if (!retriedFor(when, request.paid, mayHaveArrived)) return undefined;
		return backoffDelay(retryNumber, policy, random);
	}
	const when = policy.statuses[failure.statusCode];
	if (!retriedFor(when, request.paid, isAmbiguousStatus(failure.statusCode))) return undefined;
	if (!policy.retryAfterStatuses.includes(failure.statusCode)) return backoffDelay(retryNumber, policy, random);
	return retryAfterDelay(failure.retryAfter, retryNumber, policy, random);
}

function retriedFor(when: RetryWhen | undefined, paid: boolean | undefined, mayHaveBeenProcessed: boolean): boolean {
	if (when === undefined) return false;
	if (paid !== true) return true;
	return when === 'always' && !mayHaveBeenProcessed;
}
