/**
 * A paid request that got no usable answer after it was sent (a reset, a
 * timeout, a 5xx or 408, an unreadable body) may have been processed and
 * charged: its error never says "try again", and it carries a mark the
 * operations read to reconcile instead (e.g. RotateProduct's External ID lookup).
 */
import type { NodeApiError } from 'n8n-workflow';

export function mayHaveBeenProcessedDescription(serviceName: string): string {
	return `${serviceName} may have processed this request and charged for it, but its answer was lost. It was not sent again so you are not charged twice. Check in ${serviceName} (or with the node's list or status operations) whether the work was created before you run the node again.`;
}

export function markMayHaveBeenProcessed<E extends NodeApiError>(error: E): E {
	error.context.mayHaveBeenProcessed = true;
	return error;
}

/** Whether a failed paid request may have been processed (see above). */
export function mayHaveBeenProcessed(error: unknown): boolean {
	return (error as { context?: { mayHaveBeenProcessed?: unknown } } | undefined)?.context?.mayHaveBeenProcessed === true;
}

/** A status after which a paid request may still have been processed. */
export function isAmbiguousStatus(statusCode: number): boolean {
	return statusCode >= 500 || statusCode === 408;
}

/** Network failures where the request certainly never reached the service (refused, no such host). */
export const UNSENT_NETWORK_CODES: readonly string[] = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'];

/** Whether a request that failed with this system error code certainly never reached the service. */
export function certainlyUnsent(networkErrorCode: string): boolean {
	return UNSENT_NETWORK_CODES.includes(networkErrorCode);
}

/**
 * An attempt before the last one got no usable answer after it may have reached the
 * service (a reset, a timeout, a 5xx or 408), and the request was sent again. The
 * last answer may then describe the world after that attempt: e.g. a 404 to a
 * retried DELETE whose first attempt deleted the thing. Any request, paid or not.
 */
export function markEarlierAttemptMayHaveBeenProcessed<E extends NodeApiError>(error: E): E {
	error.context.earlierAttemptMayHaveBeenProcessed = true;
	return error;
}

/** Whether the request failed on a retry that followed an attempt the service may have processed (see above). */
export function earlierAttemptMayHaveBeenProcessed(error: unknown): boolean {
	return (error as { context?: { earlierAttemptMayHaveBeenProcessed?: unknown } } | undefined)?.context?.earlierAttemptMayHaveBeenProcessed === true;
}
