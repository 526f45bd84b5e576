/**
 * Download Video of a large simulated video: this package through n8n's engine
 * (filesystem binary mode) vs `curl -o` of the same URL, side by side in one run,
 * with a bare Node.js `http.get` piped to a file as a second baseline (what any
 * Node code costs here, before n8n or this package add anything).
 * Prints wall time (median of runs), the ratios, and the benchmark process's peak
 * RSS growth while the node streams. Usage: npm run bench:video -- [sizeMiB] [runs]
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, rmSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { benchUserFolder, clearBinaryData, engineResultName, machine, median, MiB, report, rssGrowthDuring, runBenchmark, spawnSimulator } from './common';

const sizeMiB = Number(process.argv[2] ?? 1024);
const runs = Number(process.argv[3] ?? 3);
const userFolder = benchUserFolder();

runBenchmark(async () => {
	const { runNode } = await import('../test/harness/engine');
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const sim = await spawnSimulator<{ apiUrl: string; key: string; id: number }>('simServer.ts', [String(sizeMiB * MiB)]);
	try {
		const credentials = { rotateProductApi: { apiKey: sim.key, baseUrl: sim.apiUrl } };
		const node = { type: 'rotateProduct', parameters: { resource: 'generation', operation: 'downloadVideo', generationId: String(sim.id) } };
		const url = `${sim.apiUrl}/generations/${sim.id}`;
		const file = join(userFolder, 'baseline.mp4');
		// Warm-up: load the package and the engine once.
		await runNode({ node: { type: 'rotateProduct', parameters: { resource: 'account', operation: 'getCredits' } }, credentials });

		const curlTimes: number[] = [];
		const bareNodeTimes: number[] = [];
		const nodeTimes: number[] = [];
		const rssGrowth: number[] = [];
		for (let run = 0; run < runs; run++) {
			let started = Date.now();
			execFileSync('curl', ['-sf', '-o', file, '-H', `Authorization: Bearer ${sim.key}`, url]);
			curlTimes.push(Date.now() - started);
			rmSync(file);

			started = Date.now();
			await new Promise<void>((done, fail) =>
				get(url, { headers: { Authorization: `Bearer ${sim.key}` } }, (res) => void pipeline(res, createWriteStream(file)).then(done, fail)).on('error', fail),
			);
			bareNodeTimes.push(Date.now() - started);
			rmSync(file);

			started = Date.now();
			const { result, rssMiB } = await rssGrowthDuring(async () => await runNode({ node, credentials }));
			nodeTimes.push(Date.now() - started);
			if (result.error) throw result.error;
			const id = result.items[0].binary?.data?.id;
			if (!id) throw new Error('no binary data was stored');
			const { fileSize } = await Container.get(BinaryDataService).getMetadata(id);
			if (fileSize !== sizeMiB * MiB) throw new Error(`stored ${fileSize} bytes, expected ${sizeMiB * MiB}`);
			rssGrowth.push(rssMiB);
			clearBinaryData(userFolder);
		}
		report(engineResultName(sizeMiB, process.versions.node), {
			benchmark: `Download Video, ${sizeMiB} MiB, on Node ${process.versions.node.split('.')[0]}`,
			machine: machine(),
			runs,
			curlMs: median(curlTimes),
			bareNodeHttpGetMs: median(bareNodeTimes),
			nodeMs: median(nodeTimes),
			wallRatio: Number((median(nodeTimes) / median(curlTimes)).toFixed(2)),
			bareNodeRatio: Number((median(nodeTimes) / median(bareNodeTimes)).toFixed(2)),
			rssGrowthMiB: Number(median(rssGrowth).toFixed(1)),
			maxRssGrowthMiB: Number(Math.max(...rssGrowth).toFixed(1)),
			targets: { wallRatio: 1.25, rssGrowthMiB: 64 },
		});
	} finally {
		sim.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
});
