/** Peak heap and RSS growth (MiB) while `work` runs, sampled every 20 ms after a GC where available. */
export async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T; rssMiB: number; heapMiB: number }> {
	global.gc?.();
	const before = process.memoryUsage();
	let peakRss = before.rss;
	let peakHeap = before.heapUsed;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peakRss = Math.max(peakRss, now.rss);
		peakHeap = Math.max(peakHeap, now.heapUsed);
	}, 20);
	try {
		const result = await work();
		const MiB = 1024 * 1024;
		return { result, rssMiB: (peakRss - before.rss) / MiB, heapMiB: (peakHeap - before.heapUsed) / MiB };
	} finally {
		clearInterval(sampler);
	}
}
