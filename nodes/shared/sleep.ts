/**
 * A pause that ends early when the execution is cancelled. n8n-workflow 1.x
 * exports `sleepWithAbort`, 2.x does not; this works with both lines, built on
 * the `sleep` both export (the pause's own timer then just runs out unused).
 */
import { ManualExecutionCancelledError, sleep } from 'n8n-workflow';

export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new ManualExecutionCancelledError('');
	if (!signal) return await sleep(ms);
	let stop = (): void => undefined;
	const cancelled = new Promise<never>((_resolve, reject) => {
		stop = () => reject(new ManualExecutionCancelledError(''));
		signal.addEventListener('abort', stop, { once: true });
	});
	try {
		await Promise.race([sleep(ms), cancelled]);
	} finally {
		signal.removeEventListener('abort', stop);
	}
}
