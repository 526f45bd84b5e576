/** What the real-n8n cases share: the stacks to run (E2E_LINES, E2E_MODES narrow them), the topics (E2E_TOPICS) and waiting for a condition. */
import { N8N_RELEASES } from '../../../scripts/n8n/install';
import type { N8nLine } from '../../../scripts/n8n/stack';

const MODES = (process.env.E2E_MODES ?? 'regular,queue').split(',') as Array<'regular' | 'queue'>;
const LINES = (process.env.E2E_LINES ?? '1.x,2.x').split(',') as N8nLine[];

const TOPICS = process.env.E2E_TOPICS?.split(',').filter(Boolean);

export type Topic = 'examples' | 'errorOutput' | 'callbackWait' | 'storageAndEmail' | 'triggerBacklog';

/** Whether E2E_TOPICS names the topic (all are, when it is unset). */
export function topicSelected(topic: Topic): boolean {
	return !TOPICS || TOPICS.includes(topic);
}

/** `describe` for a selected topic, `describe.skip` otherwise. */
export function describeTopic(topic: Topic): jest.Describe {
	return topicSelected(topic) ? describe : describe.skip;
}

/** One [n8n version, mode, line] per stack. */
export const RUNS = LINES.flatMap((line) => MODES.map((mode) => [N8N_RELEASES[line].version, mode, line] as const));

/** Resolves with the first truthy value `check` gives, checking every 500 ms; rejects after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
