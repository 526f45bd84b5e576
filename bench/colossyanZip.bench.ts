/**
 * Colossyan Download Zip of `count` videos of `sizeMiB` each: this package
 * through n8n's engine (archiver, store, filesystem binary mode) vs `curl` of
 * each file + `zip -0`, side by side in one run. Prints wall time (median of
 * runs), the ratio, and the benchmark process's peak RSS growth.
 * Usage: node ... bench/colossyanZip.bench.ts [sizeMiB] [count] [runs]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const MiB = 1024 * 1024;
const sizeMiB = Number(process.argv[2] ?? 50);
const count = Number(process.argv[3] ?? 20);
const runs = Number(process.argv[4] ?? 3);

const userFolder = mkdtempSync(join(tmpdir(), 'n8n-bench-'));
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
process.env.N8N_ENCRYPTION_KEY = 'bench-encryption-key';
process.env.N8N_LOG_LEVEL = 'silent';

interface Simulator {
	apiUrl: string;
	token: string;
	jobIds: string[];
	publicUrls: string[];
	stop: () => void;
}

async function startSimulator(): Promise<Simulator> {
	const child = spawn(
		process.execPath,
		[require.resolve('ts-node/dist/bin.js'), '--transpile-only', resolve(__dirname, 'colossyanSimServer.ts'), String(sizeMiB * MiB), String(count)],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const line = await new Promise<string>((done) => createInterface({ input: child.stdout }).once('line', done));
	return { ...(JSON.parse(line) as Omit<Simulator, 'stop'>), stop: () => child.kill('SIGTERM') };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
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

async function main(): Promise<void> {
	const { runNode } = await import('../test/harness/engine');
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const sim = await startSimulator();
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
			global.gc?.();
			const baseline = process.memoryUsage().rss;
			let peak = baseline;
			const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
			const started = Date.now();
			const { error, items } = await runNode({ node, credentials, input });
			nodeTimes.push(Date.now() - started);
			clearInterval(sampler);
			if (error) throw error;
			const id = items[0].binary?.data?.id;
			if (!id) throw new Error('no zip was stored');
			const { fileSize } = await Container.get(BinaryDataService).getMetadata(id);
			if (fileSize < count * sizeMiB * MiB) throw new Error(`zip of ${fileSize} bytes is smaller than its entries`);
			rssGrowth.push((peak - baseline) / MiB);
			rmSync(join(userFolder, 'binaryData'), { recursive: true, force: true });
		}
		const result = {
			benchmark: `Colossyan Download Zip, ${count} × ${sizeMiB} MiB`,
			machine: `${execFileSync('nproc').toString().trim()} cores, node ${process.version}`,
			runs,
			baselineMs: median(curlTimes),
			nodeMs: median(nodeTimes),
			wallRatio: Number((median(nodeTimes) / median(curlTimes)).toFixed(2)),
			rssGrowthMiB: Number(median(rssGrowth).toFixed(1)),
			maxRssGrowthMiB: Number(Math.max(...rssGrowth).toFixed(1)),
			targets: { wallRatio: 1.5, rssGrowthMiB: 64 },
		};
		console.table([result]);
		const out = resolve(__dirname, 'results');
		mkdirSync(out, { recursive: true });
		writeFileSync(join(out, `colossyan-zip-${count}x${sizeMiB}MiB.json`), `${JSON.stringify(result, null, 2)}\n`);
	} finally {
		sim.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
}

void main().then(() => process.exit(0)).catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
