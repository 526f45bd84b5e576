/**
 * When and how long to wait before retrying a request. Pure functions, so the
 * policy is testable without a clock.
 */
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
): number {
	const requested = parseRetryAfter(header);
	if (requested === undefined) return backoffDelay(retryNumber, policy);
	return Math.min(requested, policy.maxRetryAfterMs);
}
