/**
 * RotateProduct Download Zip of 100 ids (zipped by the service, passed through
 * to binary storage): this package through n8n's engine vs `curl` of the same
 * POST, side by side in one run, median of runs, with peak RSS growth.
 * Usage: node ... bench/rotateProductZip.bench.ts [sizeMiB per video] [runs]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const MiB = 1024 * 1024;
const sizeMiB = Number(process.argv[2] ?? 5);
const runs = Number(process.argv[3] ?? 3);
const COUNT = 100;

const userFolder = mkdtempSync(join(tmpdir(), 'n8n-bench-'));
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
process.env.N8N_ENCRYPTION_KEY = 'bench-encryption-key';
process.env.N8N_LOG_LEVEL = 'silent';

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
	const { runNode } = await import('../test/harness/engine');
	const child = spawn(
		process.execPath,
		[require.resolve('ts-node/dist/bin.js'), '--transpile-only', resolve(__dirname, 'simServer.ts'), String(sizeMiB * MiB), String(COUNT)],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const line = await new Promise<string>((done) => createInterface({ input: child.stdout }).once('line', done));
	const sim = JSON.parse(line) as { apiUrl: string; key: string; ids: number[] };
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
			global.gc?.();
			const baseline = process.memoryUsage().rss;
			let peak = baseline;
			const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
			started = Date.now();
			const { error, items } = await runNode({ node, credentials, input });
			nodeTimes.push(Date.now() - started);
			clearInterval(sampler);
			if (error) throw error;
			if ((items[0].json.included as number[]).length !== COUNT) throw new Error('not every video was zipped');
			rssGrowth.push((peak - baseline) / MiB);
			rmSync(join(userFolder, 'binaryData'), { recursive: true, force: true });
		}
		const result = {
			benchmark: `RotateProduct Download Zip, ${COUNT} × ${sizeMiB} MiB (server-side zip)`,
			machine: `${execFileSync('nproc').toString().trim()} cores, node ${process.version}`,
			runs,
			curlMs: median(curlTimes),
			nodeMs: median(nodeTimes),
			wallRatio: Number((median(nodeTimes) / median(curlTimes)).toFixed(2)),
			rssGrowthMiB: Number(median(rssGrowth).toFixed(1)),
			maxRssGrowthMiB: Number(Math.max(...rssGrowth).toFixed(1)),
		};
		console.table([result]);
		const out = resolve(__dirname, 'results');
		mkdirSync(out, { recursive: true });
		writeFileSync(join(out, `rotateproduct-zip-${COUNT}x${sizeMiB}MiB.json`), `${JSON.stringify(result, null, 2)}\n`);
	} finally {
		child.kill('SIGTERM');
		rmSync(userFolder, { recursive: true, force: true });
	}
}

void main().then(() => process.exit(0)).catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
