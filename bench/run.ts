/**
 * `npm run bench`: every benchmark, one after another (each in its own process),
 * then one table of all their results, printed, written to
 * bench/results/summary.{json,md}, and with --readme written into docs/benchmarks.md
 * between the bench markers, so the published numbers are this script's
 * (--table-only: the table of the last results, nothing run).
 * Two tables: `main` (every benchmark but the next) and `node24` (n8n 2.x on Node 24 with
 * NODE_OPTIONS setting V8's young generation, and what that costs an ordinary workflow).
 * --only=node24 (or main) runs and writes only that table; the other README block stays.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

import { NODE_VERSION, nodeHomeIn } from '../scripts/n8n/install';
import { V8_EXTERNAL_MEMORY_FLAG } from '../nodes/shared/download';
import { engineResultName, n8nResultName, workloadResultName } from './common';

const RESULTS = resolve(__dirname, 'results');
const README = resolve(__dirname, '..', 'docs', 'benchmarks.md');
type Table = 'main' | 'node24';
const MARKERS: Record<Table, { begin: string; end: string }> = {
	main: { begin: '<!-- bench:begin (written by npm run bench -- --readme) -->', end: '<!-- bench:end -->' },
	node24: { begin: '<!-- bench:node24:begin (written by npm run bench -- --readme) -->', end: '<!-- bench:node24:end -->' },
};

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
interface PairedRatios {
	median: number;
	min: number;
	max: number;
}
interface N8nVideoResult {
	benchmark: string;
	runs: number;
	curlMs: number;
	packageMs: number;
	httpRequestNodeMs: number;
	/** Each run's package time over that run's HTTP Request node time (results before these carry none). */
	packageVsHttpRequestNode?: PairedRatios;
	/** The HTTP Request node's second identical workflow over the first: the noise of one run's ratio. */
	controlVsHttpRequestNode?: PairedRatios;
	/** The same two, in n8n's CPU time instead of wall time. */
	packageCpuVsHttpRequestNode?: PairedRatios;
	controlCpuVsHttpRequestNode?: PairedRatios;
	packageRssGrowthMiB: number;
	httpRequestNodeRssGrowthMiB: number;
	maxPackageRssGrowthMiB: number;
}
interface RequestCounts { rows: Array<{ benchmark: string; requests: string; wallMs: number }> }
interface CallbackWait { rows: Array<{ benchmark: string; requests: string; heldDuringWait: string; wallMs: number }> }

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

function run(script: string, args: string[], env: Record<string, string> = {}, node = process.execPath): void {
	if (TABLE_ONLY) return;
	console.log(`\n$ ${Object.entries(env).map(([name, value]) => `${name}=${value} `).join('')}${script} ${args.join(' ')}`);
	execFileSync(node, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', join(__dirname, script), ...args], {
		stdio: 'inherit',
		env: { ...process.env, ...env },
	});
}

/** NODE_OPTIONS values measured inside n8n 2.x on Node 24: a smaller young generation (README "Large files"). */
const SEMI_SPACE_OPTIONS = [1, 2, 4].map((mib) => `--max-semi-space-size=${mib}`);

/**
 * Real n8n configurations for Download Video: n8n 2.x needs Node 24, 1.x also runs
 * on Node 22; on Node 24 also started with the V8 flag the README explains.
 */
const N8N_CONFIGURATIONS: Array<{ line: '1.x' | '2.x'; node: string; flags?: string[]; nodeOptions?: string }> = [
	{ line: '1.x', node: NODE_VERSION },
	{ line: '1.x', node: NODE_VERSION, flags: [V8_EXTERNAL_MEMORY_FLAG] },
	{ line: '1.x', node: '22.23.3' },
	{ line: '2.x', node: NODE_VERSION },
	{ line: '2.x', node: NODE_VERSION, flags: [V8_EXTERNAL_MEMORY_FLAG] },
];

/** Six runs: each of the three n8n routes goes first twice (n8nDownloadVideo.bench.ts). */
const N8N_VIDEO_RUNS = 6;

/** `0.93× (0.79–1.07)`: the median of the per-run ratios, with the lowest and highest. */
const paired = (ratios: PairedRatios) => `${ratios.median.toFixed(2)}× (runs ${ratios.min.toFixed(2)}–${ratios.max.toFixed(2)})`;

function httpRequestNodeRatio(r: N8nVideoResult): string {
	if (!r.packageVsHttpRequestNode || !r.controlVsHttpRequestNode) return `${times(r.packageMs, r.httpRequestNodeMs)} HTTP Request node`;
	const wall = `${paired(r.packageVsHttpRequestNode)} HTTP Request node; the HTTP Request node against itself ${paired(r.controlVsHttpRequestNode)}`;
	if (!r.packageCpuVsHttpRequestNode || !r.controlCpuVsHttpRequestNode) return wall;
	return `${wall}; n8n's CPU time ${paired(r.packageCpuVsHttpRequestNode)} (control ${paired(r.controlCpuVsHttpRequestNode)})`;
}

function videoInN8n({ line, node, flags = [], nodeOptions = '' }: (typeof N8N_CONFIGURATIONS)[number]): Row[] {
	run('n8nDownloadVideo.bench.ts', ['1024', String(N8N_VIDEO_RUNS)], {
		BENCH_N8N_LINE: line,
		BENCH_N8N_NODE: node,
		BENCH_N8N_NODE_FLAGS: flags.join(' '),
		BENCH_N8N_NODE_OPTIONS: nodeOptions,
	});
	const r = result<N8nVideoResult>(n8nResultName(1024, line, node, flags, nodeOptions));
	return [
		{
			benchmark: `${r.benchmark} (${r.runs} runs)`,
			thisPackage: ms(r.packageMs),
			baseline: `curl -o ${ms(r.curlMs)}; n8n HTTP Request node ${ms(r.httpRequestNodeMs)}`,
			ratio: `${times(r.packageMs, r.curlMs)} curl; ${httpRequestNodeRatio(r)}`,
			peakRssGrowth: `${mib(r.packageRssGrowthMiB, r.maxPackageRssGrowthMiB)} (HTTP Request node ${r.httpRequestNodeRssGrowthMiB.toFixed(1)})`,
			target: verdict(r.packageMs / r.curlMs, 1.25, r.maxPackageRssGrowthMiB),
		},
	];
}

/** Download Video in n8n's engine, on this Node or on a version the n8n rows installed. */
function videoInEngine(size: number, nodeVersion = process.versions.node): Row[] {
	const node = nodeVersion === process.versions.node ? process.execPath : join(nodeHomeIn(nodeVersion), 'bin', 'node');
	run('downloadVideo.bench.ts', [String(size), '3'], {}, node);
	const r = result<VideoResult>(engineResultName(size, nodeVersion));
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
}

interface WorkloadResult {
	benchmark: string;
	runs: number;
	wallMs: number;
	rssGrowthMiB: number;
	maxRssGrowthMiB: number;
}

/**
 * Items in the ordinary-workload rows: 50,000, enough for n8n's heap to grow the way a
 * busy instance's does (one run takes 75-100 s on a quiet 2-core machine); the benchmark
 * itself takes any count (`npm run bench:workload -- 10000 2`).
 */
const WORKLOAD_ITEMS = 50_000;

/** What a NODE_OPTIONS value costs ordinary work: items through Set, Split Out, Set and Summarize in n8n 2.x, against Node's default. */
function workloadInN8n(nodeOptions: string): Row[] {
	run('n8nWorkload.bench.ts', [String(WORKLOAD_ITEMS), '2'], { BENCH_N8N_LINE: '2.x', BENCH_N8N_NODE_OPTIONS: nodeOptions });
	const r = result<WorkloadResult>(workloadResultName('2.x', WORKLOAD_ITEMS, nodeOptions));
	const base = nodeOptions ? result<WorkloadResult>(workloadResultName('2.x', WORKLOAD_ITEMS)) : undefined;
	return [
		{
			benchmark: `${r.benchmark} (${r.runs} runs)`,
			thisPackage: `(not used) workflow ${ms(r.wallMs)}`,
			baseline: base ? `same workflow, Node's default young generation ${ms(base.wallMs)}` : '',
			ratio: base ? `${times(r.wallMs, base.wallMs)} default` : '',
			peakRssGrowth: `${mib(r.rssGrowthMiB, r.maxRssGrowthMiB)}${base ? ` (default ${base.rssGrowthMiB.toFixed(1)})` : ''}`,
			target: '',
		},
	];
}

function result<T>(name: string): T {
	return JSON.parse(readFileSync(join(RESULTS, `${name}.json`), 'utf8')) as T;
}

/** n8n 2.x on Node 24: as it starts, and with each NODE_OPTIONS young-generation size (the node24 table). */
const NODE24_STEPS: Array<() => Row[]> = [
	() => videoInN8n({ line: '2.x', node: NODE_VERSION }),
	...SEMI_SPACE_OPTIONS.map((nodeOptions) => () => videoInN8n({ line: '2.x', node: NODE_VERSION, nodeOptions })),
	...['', ...SEMI_SPACE_OPTIONS.slice(0, 2)].map((nodeOptions) => () => workloadInN8n(nodeOptions)),
];

const STEPS: Array<() => Row[]> = [
	...N8N_CONFIGURATIONS.map((configuration) => () => videoInN8n(configuration)),
	...[256, 512, 1024].map((size) => () => videoInEngine(size)),
	// The same on the Node 24 that runs n8n above: what Node itself costs there.
	() => videoInEngine(1024, NODE_VERSION),
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
	() => {
		run('callbackWait.bench.ts', []);
		return result<CallbackWait>('callback-wait').rows.map((row) => ({
			benchmark: row.benchmark,
			thisPackage: `requests: ${row.requests}; ${ms(row.wallMs)} real`,
			baseline: '',
			ratio: '',
			peakRssGrowth: `held during the wait: ${row.heldDuringWait}`,
			target: '',
		}));
	},
];

function machine(): string {
	const cpu = cpus();
	const memory = Math.round(Number(readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/)?.[1] ?? 0) / 1024 / 1024);
	return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${memory} GiB RAM, Linux, Node ${process.version} for the engine rows (n8n itself on the Node each row names)`;
}

function markdown(rows: Row[], taken: string): string {
	const header = ['Benchmark', 'This package', 'Baseline (same run)', 'Ratio', 'Peak RSS growth, median / max', 'Target'];
	const cells = rows.map((row) => [row.benchmark, row.thisPackage, row.baseline, row.ratio, row.peakRssGrowth, row.target]);
	const line = (values: string[]) => `| ${values.map((value) => value.replace(/\|/g, '\\|')).join(' | ')} |`;
	return [taken, '', line(header), line(header.map(() => '---')), ...cells.map(line)].join('\n');
}

/** `--only=node24` / `--only=main`: just that table. */
function tablesToRun(): Table[] {
	const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
	if (only === undefined) return ['main', 'node24'];
	if (only !== 'main' && only !== 'node24') throw new Error(`--only takes main or node24, not ${only}`);
	return [only];
}

function writeReadmeBlock(table: Table, content: string): void {
	const { begin, end } = MARKERS[table];
	const readme = readFileSync(README, 'utf8');
	const start = readme.indexOf(begin);
	const stop = readme.indexOf(end);
	if (start < 0 || stop < start) throw new Error(`docs/benchmarks.md has no ${begin} … ${end} block`);
	writeFileSync(README, `${readme.slice(0, start + begin.length)}\n${content}\n${readme.slice(stop)}`);
	console.log(`docs/benchmarks.md updated (${table} table)`);
}

function main(): void {
	const steps: Record<Table, Array<() => Row[]>> = { main: STEPS, node24: NODE24_STEPS };
	for (const table of tablesToRun()) {
		const rows = steps[table].flatMap((step) => step());
		const taken = `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}.`;
		const content = markdown(rows, taken);
		console.log(`\n${content}\n`);
		const name = table === 'main' ? 'summary' : 'summary-node24';
		writeFileSync(join(RESULTS, `${name}.json`), `${JSON.stringify({ taken, rows }, null, 2)}\n`);
		writeFileSync(join(RESULTS, `${name}.md`), `${content}\n`);
		if (process.argv.includes('--readme')) writeReadmeBlock(table, content);
	}
}

main();
