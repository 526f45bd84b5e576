/**
 * Colossyan Download Zip of `count` videos of `sizeMiB` each: this package
 * through n8n's engine (archiver, store, filesystem binary mode) vs `curl` of
 * each file + `zip -0`, side by side in one run. Prints wall time (median of
 * runs), the ratio, and the benchmark process's peak RSS growth.
 * Usage: node ... bench/colossyanZip.bench.ts [sizeMiB] [count] [runs]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { benchUserFolder, clearBinaryData, machine, median, MiB, report, rssGrowthDuring, runBenchmark, spawnSimulator } from './common';

const sizeMiB = Number(process.argv[2] ?? 50);
const count = Number(process.argv[3] ?? 20);
const runs = Number(process.argv[4] ?? 3);
const userFolder = benchUserFolder();

interface Simulator {
	apiUrl: string;
	token: string;
	jobIds: string[];
	publicUrls: string[];
}

function curlAndZip(sim: Simulator): number {
	const dir = mkdtempSync(join(userFolder, 'curl-'));
	const started = Date.now();
	const files = sim.publicUrls.map((url, i) => {
		const file = join(dir, `video-${i}.mp4`);
		execFileSync('curl', ['-sf', '-o', file, url]);
		return file;
	});
	execFileSync('zip', ['-0', '-q', '-j', join(dir, 'videos.zip'), ...files]);
	const elapsed = Date.now() - started;
	rmSync(dir, { recursive: true, force: true });
	return elapsed;
}

runBenchmark(async () => {
	const { runNode } = await import('../test/harness/engine');
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const sim = await spawnSimulator<Simulator>('colossyanSimServer.ts', [String(sizeMiB * MiB), String(count)]);
	try {
		const credentials = { colossyanApi: { apiKey: sim.token, baseUrl: sim.apiUrl } };
		const node = { type: 'colossyan', parameters: { resource: 'video', operation: 'downloadZip', idType: 'job', ids: '={{ $json.jobId }}' } };
		const input = sim.jobIds.map((jobId) => ({ jobId }));
		await runNode({ node: { type: 'colossyan', parameters: { resource: 'asset', operation: 'listAvatars' } }, credentials });
		const curlTimes: number[] = [];
		const nodeTimes: number[] = [];
		const rssGrowth: number[] = [];
		for (let run = 0; run < runs; run++) {
			curlTimes.push(curlAndZip(sim));
			const started = Date.now();
			const { result, rssMiB } = await rssGrowthDuring(async () => await runNode({ node, credentials, input }));
			nodeTimes.push(Date.now() - started);
			if (result.error) throw result.error;
			const id = result.items[0].binary?.data?.id;
			if (!id) throw new Error('no zip was stored');
			const { fileSize } = await Container.get(BinaryDataService).getMetadata(id);
			if (fileSize < count * sizeMiB * MiB) throw new Error(`zip of ${fileSize} bytes is smaller than its entries`);
			rssGrowth.push(rssMiB);
			clearBinaryData(userFolder);
		}
		report(`colossyan-zip-${count}x${sizeMiB}MiB`, {
			benchmark: `Colossyan Download Zip, ${count} × ${sizeMiB} MiB`,
			machine: machine(),
			runs,
			baselineMs: median(curlTimes),
			nodeMs: median(nodeTimes),
			wallRatio: Number((median(nodeTimes) / median(curlTimes)).toFixed(2)),
			rssGrowthMiB: Number(median(rssGrowth).toFixed(1)),
			maxRssGrowthMiB: Number(Math.max(...rssGrowth).toFixed(1)),
			targets: { wallRatio: 1.5, rssGrowthMiB: 64 },
		});
	} finally {
		sim.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
});
