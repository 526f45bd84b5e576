/** The retry timing is pure: checked here without a clock or a server. */
import type { RetryPolicy } from '../../nodes/shared/retry';
import { backoffDelay, parseRetryAfter, retryAfterDelay } from '../../nodes/shared/retry';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

describe('Retry-After', () => {
	test('delta-seconds, whole or fractional', () => {
		expect(parseRetryAfter('7')).toBe(7_000);
		expect(parseRetryAfter(' 1.5 ')).toBe(1_500);
	});

	test('an HTTP date counts from now, and a past date means at once', () => {
		const now = Date.parse('2026-11-23T12:00:00Z');
		expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Mon, 23 Nov 2026 11:59:00 GMT', now)).toBe(0);
	});

	test('nothing usable: undefined, so backoff decides', () => {
		for (const value of [undefined, '', 'soon', -1, ['3']]) expect(parseRetryAfter(value)).toBeUndefined();
		const delay = retryAfterDelay('soon', 0, policy);
		expect(delay).toBeGreaterThanOrEqual(250);
		expect(delay).toBeLessThanOrEqual(500);
	});

	test('a server cannot stall the workflow past the ceiling', () => {
		expect(retryAfterDelay('86400', 0, policy)).toBe(60_000);
		expect(retryAfterDelay('2', 0, policy)).toBe(2_000);
	});
});

describe('backoff', () => {
	test('doubles per retry between half and all of its ceiling', () => {
		expect(backoffDelay(0, policy, () => 0)).toBe(250);
		expect(backoffDelay(0, policy, () => 1)).toBe(500);
		expect(backoffDelay(2, policy, () => 0)).toBe(1_000);
		expect(backoffDelay(2, policy, () => 1)).toBe(2_000);
	});

	test('never above the step ceiling however many retries', () => {
		expect(backoffDelay(30, policy, () => 1)).toBe(8_000);
		expect(backoffDelay(30, policy, () => 0)).toBe(4_000);
	});
});
