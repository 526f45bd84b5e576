/**
 * Each transport's retry policy, and the decision the request loop takes from it
 * (retryDelayFor), checked without a clock or a server: which failures are
 * retried for whom, how long the wait is, and that a paid request the service
 * may have processed is never sent again, whatever a policy says.
 */
import { COLOSSYAN } from '../../nodes/Colossyan/transport';
import { ROTATE_PRODUCT } from '../../nodes/RotateProduct/transport';
import type { FailedTry, ServiceRetryPolicy } from '../../nodes/shared/retry';
import { retryDelayFor } from '../../nodes/shared/retry';

const highest = () => 1;
const lowest = () => 0;

function delay(policy: ServiceRetryPolicy, failure: FailedTry, paid: boolean, attempt = 1, random = highest) {
	return retryDelayFor(policy, failure, { paid, attempt }, random);
}

describe.each([
	['RotateProduct', ROTATE_PRODUCT.retryPolicy],
	['Colossyan', COLOSSYAN.retryPolicy],
])('%s retry policy', (_name, policy) => {
	test('four tries in all: the fourth failure is final', () => {
		const busy = { statusCode: 503 };
		expect(delay(policy, busy, false, 1)).toBeDefined();
		expect(delay(policy, busy, false, 3)).toBeDefined();
		expect(delay(policy, busy, false, 4)).toBeUndefined();
		expect(delay(policy, { networkError: 'ECONNREFUSED' }, false, 4)).toBeUndefined();
	});

	test('backoff from 0.5 s, doubling per retry, never above 8 s', () => {
		expect(delay(policy, { statusCode: 502 }, false, 1, highest)).toBe(500);
		expect(delay(policy, { statusCode: 502 }, false, 1, lowest)).toBe(250);
		expect(delay(policy, { statusCode: 504 }, false, 3, highest)).toBe(2_000);
		expect(delay(policy, { networkError: 'ECONNRESET' }, false, 2, highest)).toBe(1_000);
		const generous: ServiceRetryPolicy = { ...policy, maxAttempts: 40 };
		expect(delay(generous, { statusCode: 503 }, false, 30, highest)).toBe(8_000);
	});

	test('429 is retried for every request, paid or not, after its Retry-After', () => {
		expect(delay(policy, { statusCode: 429, retryAfter: '7' }, true)).toBe(7_000);
		expect(delay(policy, { statusCode: 429, retryAfter: '7' }, false)).toBe(7_000);
		const inThirtySeconds = new Date(Date.now() + 30_000).toUTCString();
		const waited = delay(policy, { statusCode: 429, retryAfter: inThirtySeconds }, true) ?? -1;
		// An HTTP date has whole seconds: the wait is the rest of those 30 s.
		expect(waited).toBeGreaterThan(28_000);
		expect(waited).toBeLessThanOrEqual(30_000);
	});

	test('a Retry-After cannot stall a workflow past 60 s; none, or garbage, means backoff', () => {
		expect(delay(policy, { statusCode: 429, retryAfter: '86400' }, false)).toBe(60_000);
		expect(delay(policy, { statusCode: 429 }, false, 1, highest)).toBe(500);
		expect(delay(policy, { statusCode: 429, retryAfter: 'soon' }, true, 2, highest)).toBe(1_000);
	});

	test('Retry-After on another status does not set the wait', () => {
		expect(delay(policy, { statusCode: 503, retryAfter: '30' }, false, 1, highest)).toBe(500);
	});

	test('502, 503 and 504 are retried only for requests that spend no money', () => {
		for (const statusCode of [502, 503, 504]) {
			expect(delay(policy, { statusCode }, false)).toBeDefined();
			expect(delay(policy, { statusCode }, true)).toBeUndefined();
		}
	});

	test('other statuses are final for everyone', () => {
		for (const statusCode of [400, 401, 402, 403, 404, 408, 410, 422, 500, 501]) {
			expect(delay(policy, { statusCode }, false)).toBeUndefined();
			expect(delay(policy, { statusCode }, true)).toBeUndefined();
		}
	});

	test('no answer and certainly never sent (refused, no such host): retried, paid or not', () => {
		for (const networkError of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']) {
			expect(delay(policy, { networkError }, false)).toBeDefined();
			expect(delay(policy, { networkError }, true)).toBeDefined();
		}
	});

	test('no answer after it may have arrived (a reset, a timeout): never resent when paid', () => {
		for (const networkError of ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_STREAM_PREMATURE_CLOSE']) {
			expect(delay(policy, { networkError }, false)).toBeDefined();
			expect(delay(policy, { networkError }, true)).toBeUndefined();
		}
	});

	test('an unknown system error is final', () => {
		expect(delay(policy, { networkError: 'EPROTO' }, false)).toBeUndefined();
	});
});

describe('a policy cannot make a paid request pay twice', () => {
	const careless: ServiceRetryPolicy = {
		...ROTATE_PRODUCT.retryPolicy,
		statuses: { 408: 'always', 429: 'always', 500: 'always', 503: 'always' },
		networkErrors: { ECONNRESET: 'always', ETIMEDOUT: 'always', ECONNREFUSED: 'always' },
	};

	test('"always" still skips a paid request after a 5xx, a 408 or a lost answer', () => {
		for (const statusCode of [408, 500, 503]) {
			expect(delay(careless, { statusCode }, true)).toBeUndefined();
			expect(delay(careless, { statusCode }, false)).toBeDefined();
		}
		for (const networkError of ['ECONNRESET', 'ETIMEDOUT']) {
			expect(delay(careless, { networkError }, true)).toBeUndefined();
			expect(delay(careless, { networkError }, false)).toBeDefined();
		}
	});

	test('what the service certainly never processed is still retried', () => {
		expect(delay(careless, { statusCode: 429 }, true)).toBeDefined();
		expect(delay(careless, { networkError: 'ECONNREFUSED' }, true)).toBeDefined();
	});
});
