/**
 * `npm run bench`: every benchmark, one after another (each in its own process),
 * then one table of all their results, printed, written to
 * bench/results/summary.{json,md}, and with --readme written into README.md
 * between the bench markers, so the README's numbers are this script's
 * (--table-only: the table of the last results, nothing run).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

const RESULTS = resolve(__dirname, 'results');
const README = resolve(__dirname, '..', 'README.md');
const BEGIN = '<!-- bench:begin (written by npm run bench -- --readme) -->';
const END = '<!-- bench:end -->';

interface Timed {
	benchmark: string;
	runs: number;
	nodeMs: number;
	rssGrowthMiB: number;
	maxRssGrowthMiB: number;
}
interface VideoResult extends Timed { curlMs: number; bareNodeHttpGetMs: number }
interface ZipResult extends Timed { baselineMs: number }
interface ServerZipResult extends Timed { curlMs: number }
interface N8nVideoResult {
	benchmark: string;
	runs: number;
	curlMs: number;
	packageMs: number;
	httpRequestNodeMs: number;
	packageRssGrowthMiB: number;
	httpRequestNodeRssGrowthMiB: number;
	maxPackageRssGrowthMiB: number;
}
interface RequestCounts { rows: Array<{ benchmark: string; requests: string; wallMs: number }> }

interface Row {
	benchmark: string;
	thisPackage: string;
	baseline: string;
	ratio: string;
	peakRssGrowth: string;
	target: string;
}

const ms = (value: number) => `${value.toLocaleString('en-US')} ms`;
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const mib = (median: number, max: number) => `${median.toFixed(1)} / ${max.toFixed(1)} MiB`;
const verdict = (ratio: number, limit: number, rss: number) =>
	`≤ ${limit}× and ≤ 64 MiB: wall ${ratio <= limit ? 'met' : '**not met**'}, memory ${rss <= 64 ? 'met' : '**not met**'}`;

/** `--table-only`: no benchmark runs, the table from the results already in bench/results. */
const TABLE_ONLY = process.argv.includes('--table-only');

function run(script: string, args: string[]): void {
	if (TABLE_ONLY) return;
	console.log(`\n$ ${script} ${args.join(' ')}`);
	execFileSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', join(__dirname, script), ...args], { stdio: 'inherit' });
}

function result<T>(name: string): T {
	return JSON.parse(readFileSync(join(RESULTS, `${name}.json`), 'utf8')) as T;
}

const STEPS: Array<() => Row[]> = [
	() => {
		run('n8nDownloadVideo.bench.ts', ['1024', '3']);
		const r = result<N8nVideoResult>('n8n-download-video-1024MiB');
		return [
			{
				benchmark: `${r.benchmark} (${r.runs} runs)`,
				thisPackage: ms(r.packageMs),
				baseline: `curl -o ${ms(r.curlMs)}; n8n HTTP Request node ${ms(r.httpRequestNodeMs)}`,
				ratio: `${times(r.packageMs, r.curlMs)} curl; ${times(r.packageMs, r.httpRequestNodeMs)} HTTP Request node`,
				peakRssGrowth: `${mib(r.packageRssGrowthMiB, r.maxPackageRssGrowthMiB)} (HTTP Request node ${r.httpRequestNodeRssGrowthMiB.toFixed(1)})`,
				target: verdict(r.packageMs / r.curlMs, 1.25, r.maxPackageRssGrowthMiB),
			},
		];
	},
	...[256, 512, 1024].map((size) => () => {
		run('downloadVideo.bench.ts', [String(size), '3']);
		const r = result<VideoResult>(`download-video-${size}MiB`);
		return [
			{
				benchmark: `${r.benchmark}, n8n's engine in-process (${r.runs} runs)`,
				thisPackage: ms(r.nodeMs),
				baseline: `curl -o ${ms(r.curlMs)}; bare Node http.get → file ${ms(r.bareNodeHttpGetMs)}`,
				ratio: `${times(r.nodeMs, r.curlMs)} curl; ${times(r.nodeMs, r.bareNodeHttpGetMs)} bare Node`,
				peakRssGrowth: mib(r.rssGrowthMiB, r.maxRssGrowthMiB),
				target: verdict(r.nodeMs / r.curlMs, 1.25, r.maxRssGrowthMiB),
			},
		];
	}),
	...[10, 25, 50].map((size) => () => {
		run('colossyanZip.bench.ts', [String(size), '20', '3']);
		const r = result<ZipResult>(`colossyan-zip-20x${size}MiB`);
		return [
			{
				benchmark: `${r.benchmark} (${r.runs} runs)`,
				thisPackage: ms(r.nodeMs),
				baseline: `curl each + zip -0 ${ms(r.baselineMs)}`,
				ratio: times(r.nodeMs, r.baselineMs),
				peakRssGrowth: mib(r.rssGrowthMiB, r.maxRssGrowthMiB),
				target: verdict(r.nodeMs / r.baselineMs, 1.5, r.maxRssGrowthMiB),
			},
		];
	}),
	...[1, 2, 5].map((size) => () => {
		run('rotateProductZip.bench.ts', [String(size), '3']);
		const r = result<ServerZipResult>(`rotateproduct-zip-100x${size}MiB`);
		return [
			{
				benchmark: `${r.benchmark} (${r.runs} runs)`,
				thisPackage: ms(r.nodeMs),
				baseline: `curl of the same POST ${ms(r.curlMs)}`,
				ratio: times(r.nodeMs, r.curlMs),
				peakRssGrowth: mib(r.rssGrowthMiB, r.maxRssGrowthMiB),
				target: '≤ 64 MiB: memory ' + (r.maxRssGrowthMiB <= 64 ? 'met' : '**not met**'),
			},
		];
	}),
	() => {
		run('requestCounts.bench.ts', []);
		return result<RequestCounts>('request-counts').rows.map((row) => ({
			benchmark: row.benchmark,
			thisPackage: `requests: ${row.requests}; ${ms(row.wallMs)}`,
			baseline: '',
			ratio: '',
			peakRssGrowth: '',
			target: '',
		}));
	},
];

function machine(): string {
	const cpu = cpus();
	const memory = Math.round(Number(readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/)?.[1] ?? 0) / 1024 / 1024);
	return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${memory} GiB RAM, Linux, Node ${process.version} (n8n itself on Node 24)`;
}

function markdown(rows: Row[], taken: string): string {
	const header = ['Benchmark', 'This package', 'Baseline (same run)', 'Ratio', 'Peak RSS growth, median / max', 'Target'];
	const cells = rows.map((row) => [row.benchmark, row.thisPackage, row.baseline, row.ratio, row.peakRssGrowth, row.target]);
	const line = (values: string[]) => `| ${values.map((value) => value.replace(/\|/g, '\\|')).join(' | ')} |`;
	return [taken, '', line(header), line(header.map(() => '---')), ...cells.map(line)].join('\n');
}

function main(): void {
	const rows = STEPS.flatMap((step) => step());
	const taken = `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}.`;
	const table = markdown(rows, taken);
	console.log(`\n${table}\n`);
	writeFileSync(join(RESULTS, 'summary.json'), `${JSON.stringify({ taken, rows }, null, 2)}\n`);
	writeFileSync(join(RESULTS, 'summary.md'), `${table}\n`);
	if (process.argv.includes('--readme')) {
		const readme = readFileSync(README, 'utf8');
		const start = readme.indexOf(BEGIN);
		const end = readme.indexOf(END);
		if (start < 0 || end < start) throw new Error(`README.md has no ${BEGIN} … ${END} block`);
		writeFileSync(README, `${readme.slice(0, start + BEGIN.length)}\n${table}\n${readme.slice(end)}`);
		console.log('README.md updated');
	}
}

main();
