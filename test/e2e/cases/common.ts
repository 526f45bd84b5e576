/** What the real-n8n cases share: the stacks to run (E2E_LINES, E2E_MODES narrow them) and waiting for a condition. */
import { N8N_RELEASES } from '../../../scripts/n8n/install';
import type { N8nLine } from '../../../scripts/n8n/stack';

const MODES = (process.env.E2E_MODES ?? 'regular,queue').split(',') as Array<'regular' | 'queue'>;
const LINES = (process.env.E2E_LINES ?? '1.x,2.x').split(',') as N8nLine[];

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
