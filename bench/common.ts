/** What every benchmark shares: n8n's settings, a simulator in its own process, medians, result files. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const MiB = 1024 * 1024;

/** A temp n8n user folder with filesystem binary data; set before n8n-core is imported. */
export function benchUserFolder(): string {
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-bench-'));
	process.env.N8N_USER_FOLDER = userFolder;
	process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
	process.env.N8N_ENCRYPTION_KEY = 'bench-encryption-key';
	process.env.N8N_LOG_LEVEL = 'silent';
	return userFolder;
}

/**
 * Deletes the files n8n stored under a user folder, after each timed run: a file
 * left behind keeps its unwritten pages, and the kernel's writeback of them would
 * slow whatever is timed next (curl included).
 */
export function clearBinaryData(userFolder: string): void {
	for (const folder of BINARY_FOLDERS) rmSync(join(userFolder, folder), { recursive: true, force: true });
}

/** Where n8n's filesystem binary mode stores files under its user folder (1.x, 2.x); n8n recreates them. */
export const BINARY_FOLDERS = [join('.n8n', 'binaryData'), join('.n8n', 'storage')];

/** Runs a simulator script in its own process, so this one measures only the node; returns its first JSON line. */
export async function spawnSimulator<T>(script: string, args: string[]): Promise<T & { stop: () => void }> {
	const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', resolve(__dirname, script), ...args], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const line = await new Promise<string>((done) => createInterface({ input: child.stdout }).once('line', done));
	return { ...(JSON.parse(line) as T), stop: () => child.kill('SIGTERM') };
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

export function machine(): string {
	return `${execFileSync('nproc').toString().trim()} cores, node ${process.version}`;
}

function kernelBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!match) throw new Error(`no ${field} for process ${pid}`);
	return Number(match[1]) * 1024;
}

/**
 * Peak RSS growth (MiB) of a process (this one by default) while `work` runs, as
 * the kernel counts it: its peak-RSS mark (VmHWM) is reset to the current RSS
 * first (Linux `clear_refs` 5), so no short spike falls between samples.
 * No forced GC first, as in a real n8n: a forced full GC shrinks V8's young
 * generation, and a 1 GiB stream right after one ran about twice as slowly.
 */
export async function rssGrowthDuring<T>(work: () => Promise<T>, pid = process.pid): Promise<{ result: T; rssMiB: number }> {
	writeFileSync(`/proc/${pid}/clear_refs`, '5');
	const baseline = kernelBytes(pid, 'VmRSS');
	const result = await work();
	return { result, rssMiB: (kernelBytes(pid, 'VmHWM') - baseline) / MiB };
}

/** Clock ticks per second in /proc/<pid>/stat (Linux's USER_HZ, 100 on every mainstream kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (ms, user + system, all threads: V8's garbage-collection helpers too) that a
 * process spent while `work` ran. Unlike wall time it does not count waiting for a
 * busy machine's other processes, so two routes compare on a machine that is not quiet.
 */
export async function cpuDuring<T>(work: () => Promise<T>, pid: number): Promise<{ result: T; cpuMs: number }> {
	const before = cpuTicks(pid);
	const result = await work();
	return { result, cpuMs: ((cpuTicks(pid) - before) * 1000) / CLOCK_TICKS_PER_SECOND };
}

function cpuTicks(pid: number): number {
	// Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)?.split(' ') ?? [];
	return Number(fields[11]) + Number(fields[12]);
}

/** The results file of Download Video in n8n's engine on a Node.js version (bench/results/<name>.json). */
export function engineResultName(sizeMiB: number, node: string): string {
	return `download-video-${sizeMiB}MiB-node${node.split('.')[0]}`;
}

/** The results file of one real-n8n configuration (bench/results/<name>.json). */
export function n8nResultName(sizeMiB: number, n8nLine: string, node: string, flags: string[] = [], nodeOptions = ''): string {
	return `n8n-download-video-${sizeMiB}MiB-${n8nLine}-node${node.split('.')[0]}${flags.length > 0 ? '-flags' : ''}${optionsSuffix(nodeOptions)}`;
}

/** The results file of the ordinary-workload benchmark for one NODE_OPTIONS value. */
export function workloadResultName(n8nLine: string, items: number, nodeOptions = ''): string {
	return `n8n-workload-${items}-items-${n8nLine}${optionsSuffix(nodeOptions)}`;
}

/** `--max-semi-space-size=2` -> `-max-semi-space-size-2`; nothing for no options. */
function optionsSuffix(nodeOptions: string): string {
	const slug = nodeOptions.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
	return slug ? `-${slug}` : '';
}

/** How a real-n8n row names its configuration: `on Node 24 with NODE_OPTIONS=...`. */
export function n8nConfigurationLabel(version: string, node: string, flags: string[], nodeOptions: string): string {
	const started = flags.length > 0 ? ` started with ${flags.join(' ')}` : '';
	const options = nodeOptions ? ` with NODE_OPTIONS=${nodeOptions}` : '';
	return `n8n ${version} on Node ${node.split('.')[0]}${started}${options}`;
}

/** The Linux process and all its descendants (n8n 2.x may run a task runner beside its main process). */
export function processTree(pid: number): number[] {
	const children = (() => {
		try {
			return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
		} catch {
			return [];
		}
	})();
	return [pid, ...children.flatMap(processTree)];
}

/** Prints the result (or the given rows) and writes it to bench/results/<name>.json. */
export function report(name: string, result: object, rows: object[] = [result]): void {
	console.table(rows);
	const out = resolve(__dirname, 'results');
	mkdirSync(out, { recursive: true });
	writeFileSync(join(out, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

/** Exits when done: n8n-core keeps handles open that would hold the process. */
export function runBenchmark(main: () => Promise<void>): void {
	void main().then(() => process.exit(0)).catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
