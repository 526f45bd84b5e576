/**
 * One poll at a time per trigger node. n8n's poll scheduler starts a poll every
 * interval whether or not the previous one has returned, and a poll that starts
 * while another runs reads the memory the other has not saved yet: it would
 * report the same events again. So a poll that finds another one of the same
 * node running does nothing: it waits for that one to end and returns no items.
 *
 * It waits rather than returning at once because n8n 2.40 runs every poll of a
 * workflow with the same expression isolate and releases it when any poll ends
 * (its poll executor counts the isolate as its own even when another poll holds
 * it): a poll that returned early would pull the isolate from under the running
 * one, whose next authenticated request would fail ("No bridge acquired for this
 * context"). The wait is as long as the running poll, which is bounded (outbox.ts,
 * listWalker.ts).
 *
 * The registry lives in the n8n process, like the polls it orders (n8n runs the
 * polls of a workflow in one process, its leader): a poll that dies leaves
 * nothing behind, so no lease can go stale. The memory's commit number
 * (poll.ts) covers what this cannot see.
 */
const running = new Map<string, Promise<unknown>>();

/** Runs `poll` unless a poll with the same key runs; then waits for that one and returns undefined. */
export async function oneAtATime<T>(key: string, poll: () => Promise<T>): Promise<T | undefined> {
	const current = running.get(key);
	if (current) {
		await current.then(
			() => undefined,
			() => undefined,
		);
		return undefined;
	}
	// Registered in the same tick the poll starts, so no other poll can slip in between.
	const run = poll();
	running.set(key, run);
	try {
		return await run;
	} finally {
		if (running.get(key) === run) running.delete(key);
	}
}
