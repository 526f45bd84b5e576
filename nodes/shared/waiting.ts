/**
 * Polling an asynchronous job until it settles: intervals that grow (starting at
 * what the services recommend), a deadline, and a prompt stop when the execution
 * is cancelled (`pause` wakes up on the cancel signal).
 */

import type { IExecuteFunctions } from 'n8n-workflow';

import type { ApiContext } from './context';
import { cancelSignalOf } from './context';
import { pause } from './sleep';

/** Said on an item whose job was still running when the wait ran out. */
export const STILL_RUNNING_MESSAGE = 'Still running when the wait timed out; check it later with Get Status';

export interface PollSchedule {
	firstIntervalMs: number;
	maxIntervalMs: number;
	/** Each interval is the previous one times this. */
	growth: number;
	timeoutMs: number;
}

export interface PollOutcome<T> {
	value: T;
	timedOut: boolean;
	checks: number;
}

/** A service's defaults for the "Timeout (Minutes)" and "First Check After (Seconds)" fields. */
export interface PollDefaults {
	firstIntervalSeconds: number;
	timeoutMinutes: number;
}

export function pollSchedule(
	firstIntervalSeconds: number,
	timeoutMinutes: number,
	maxIntervalSeconds = 60,
): PollSchedule {
	const firstIntervalMs = Math.max(1, firstIntervalSeconds) * 1000;
	return {
		firstIntervalMs,
		maxIntervalMs: Math.max(firstIntervalMs, maxIntervalSeconds * 1000),
		growth: 1.5,
		timeoutMs: Math.max(0, timeoutMinutes) * 60_000,
	};
}

/** The schedule the node's wait fields ask for (read once, from the first item). */
export function readPollSchedule(context: IExecuteFunctions, defaults: PollDefaults): PollSchedule {
	return pollSchedule(
		context.getNodeParameter('pollIntervalSeconds', 0, defaults.firstIntervalSeconds) as number,
		context.getNodeParameter('waitTimeoutMinutes', 0, defaults.timeoutMinutes) as number,
	);
}

export async function pollUntil<T>(
	context: ApiContext,
	check: () => Promise<T>,
	isSettled: (value: T) => boolean,
	schedule: PollSchedule,
): Promise<PollOutcome<T>> {
	const signal = cancelSignalOf(context);
	const deadline = Date.now() + schedule.timeoutMs;
	let interval = schedule.firstIntervalMs;
	for (let checks = 1; ; checks++) {
		const value = await check();
		if (isSettled(value)) return { value, timedOut: false, checks };
		const remaining = deadline - Date.now();
		if (remaining <= 0) return { value, timedOut: true, checks };
		await pause(Math.min(interval, remaining), signal);
		interval = Math.min(schedule.maxIntervalMs, interval * schedule.growth);
	}
}
