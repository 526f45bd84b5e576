/**
 * RotateProduct Download Zip of 100 ids (zipped by the service, passed through
 * to binary storage): this package through n8n's engine vs `curl` of the same
 * POST, side by side in one run, median of runs, with peak RSS growth.
 * Usage: npm run bench:rpzip -- [sizeMiB per video] [runs]
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { benchUserFolder, clearBinaryData, machine, median, MiB, report, rssGrowthDuring, runBenchmark, spawnSimulator } from './common';

const sizeMiB = Number(process.argv[2] ?? 5);
const runs = Number(process.argv[3] ?? 3);
const COUNT = 100;
const userFolder = benchUserFolder();

runBenchmark(async () => {
	const { runNode } = await import('../test/harness/engine');
	const sim = await spawnSimulator<{ apiUrl: string; key: string; ids: number[] }>('simServer.ts', [String(sizeMiB * MiB), String(COUNT)]);
	try {
		const credentials = { rotateProductApi: { apiKey: sim.key, baseUrl: sim.apiUrl } };
		const node = { type: 'rotateProduct', parameters: { resource: 'generation', operation: 'downloadZip', generationIds: '={{ $json.id }}' } };
		const input = sim.ids.map((id) => ({ id }));
		const body = JSON.stringify({ videoIds: sim.ids });
		const curlOut = join(userFolder, 'curl.zip');
		await runNode({ node: { type: 'rotateProduct', parameters: { resource: 'account', operation: 'getCredits' } }, credentials });
		const curlTimes: number[] = [];
		const nodeTimes: number[] = [];
		const rssGrowth: number[] = [];
		for (let run = 0; run < runs; run++) {
			let started = Date.now();
			execFileSync('curl', ['-sf', '-o', curlOut, '-X', 'POST', '-H', `Authorization: Bearer ${sim.key}`, '-H', 'content-type: application/json', '-d', body, `${sim.apiUrl}/generations/download`]);
			curlTimes.push(Date.now() - started);
			rmSync(curlOut);
			started = Date.now();
			const { result, rssMiB } = await rssGrowthDuring(async () => await runNode({ node, credentials, input }));
			nodeTimes.push(Date.now() - started);
			if (result.error) throw result.error;
			if ((result.items[0].json.included as number[]).length !== COUNT) throw new Error('not every video was zipped');
			rssGrowth.push(rssMiB);
			clearBinaryData(userFolder);
		}
		report(`rotateproduct-zip-${COUNT}x${sizeMiB}MiB`, {
			benchmark: `RotateProduct Download Zip, ${COUNT} × ${sizeMiB} MiB (server-side zip)`,
			machine: machine(),
			runs,
			curlMs: median(curlTimes),
			nodeMs: median(nodeTimes),
			wallRatio: Number((median(nodeTimes) / median(curlTimes)).toFixed(2)),
			rssGrowthMiB: Number(median(rssGrowth).toFixed(1)),
			maxRssGrowthMiB: Number(Math.max(...rssGrowth).toFixed(1)),
		});
	} finally {
		sim.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
});
