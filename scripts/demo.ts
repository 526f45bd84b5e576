/**
 * `npm run demo`: the package's main job on a machine with no accounts. Starts
 * both simulators and a real n8n (from the e2e cache) with the package, the
 * credentials and the example workflows, runs example 1 (product list -> zip)
 * and prints where the zip is and how to open the editor (the last lines).
 * `--once` runs examples 1, 3 (+ 4 by callback) and 5, prints the files, and exits.
 * `--n8n 1.x` runs n8n's 1.x line (1.123.81) instead of the current 2.x (2.40.7).
 * The files the workflows write are copied to demo-output/<time>/ (DEMO_OUTPUT: elsewhere),
 * which outlives the demo: after --once, and after Ctrl+C (copied again then).
 */
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';

import { cacheRoot, N8N_RELEASES, PROJECT_ROOT } from './n8n/install';
import { freePort } from './n8n/n8nProcess';
import { startStack } from './n8n/stack';
import type { N8nLine, Stack } from './n8n/stack';

const OWNER = { email: 'demo@example.com', firstName: 'Demo', lastName: 'User', password: 'Demo-password-1' };

function filesUnder(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
	);
}

/** Where this run's files are kept: a folder per run, so a second run does not overwrite the first. */
function keptFolder(): string {
	const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '');
	return join(process.env.DEMO_OUTPUT ?? join(PROJECT_ROOT, 'demo-output'), stamp);
}

/** Copies what the workflows wrote so far into `kept`; returns the kept files. */
function keep(out: string, kept: string): string[] {
	mkdirSync(kept, { recursive: true });
	if (existsSync(out)) cpSync(out, kept, { recursive: true });
	return filesUnder(kept);
}

/** On the first run, says what the install costs, and every minute that it is still going. */
function installNotes(line: N8nLine): (text: string) => void {
	const { version } = N8N_RELEASES[line];
	if (!existsSync(join(cacheRoot(), `n8n-${version}`, '.installed'))) {
		console.log(
			[
				`First run: Node.js 24 and n8n ${version} are installed into ${cacheRoot()}`,
				'(set N8N_E2E_CACHE to put them elsewhere). Expect 10-20 minutes and about 3 GB of downloads,',
				'most of it silent (npm, then a native SQLite build). Later runs start in about a minute.',
			].join('\n'),
		);
	}
	let heartbeat: NodeJS.Timeout | undefined;
	return (text) => {
		clearInterval(heartbeat);
		console.log(`- ${text}`);
		if (!text.startsWith('installing')) return;
		const started = Date.now();
		heartbeat = setInterval(() => console.log(`  ... still installing (${Math.round((Date.now() - started) / 60_000)} min so far)`), 60_000);
		heartbeat.unref();
	};
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
}

async function createOwner(stack: Stack): Promise<void> {
	try {
		await stack.n8n.setupOwner(OWNER);
	} catch (error) {
		console.log(`(${(error as Error).message}; set one up in the browser)`);
	}
}

/** n8n's usual port when it is free, another one otherwise. */
async function portOr(preferred: number): Promise<number> {
	const free = await new Promise<boolean>((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(true)));
	});
	return free ? preferred : await freePort();
}

/** `--n8n 1.x` or `--n8n 2.x` (default: 2.x, n8n's current line). */
function n8nLine(): N8nLine {
	const index = process.argv.indexOf('--n8n');
	const value = index >= 0 ? process.argv[index + 1] : '2.x';
	if (value !== '1.x' && value !== '2.x') throw new Error(`--n8n takes 1.x or 2.x, not ${value}`);
	return value;
}

async function main(): Promise<void> {
	const once = process.argv.includes('--once');
	const line = n8nLine();
	const port = await portOr(Number(process.env.N8N_DEMO_PORT ?? 5678));
	const stack = await startStack({ mode: 'regular', line, port, log: installNotes(line) });
	const kept = keptFolder();
	const stop = async (code: number) => {
		const files = keep(stack.out, kept);
		await stack.stop();
		console.log(`\nThe demo stopped. Its ${files.length} files are kept in ${relative(process.cwd(), kept) || kept}`);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	try {
		await createOwner(stack);
		console.log('- running example 1: product list -> RotateProduct Generate (wait) -> Download Zip -> file');
		await stack.n8n.execute('rpcExample01');
		if (once) {
			console.log('- running example 3 (Colossyan avatar video; its callback starts example 4) and example 5 (template videos)');
			await stack.n8n.execute('rpcExample03');
			await stack.n8n.execute('rpcExample05');
			await waitFor(() => filesUnder(join(stack.out, 'colossyan')).length > 0, 60_000);
		}
		console.log(`\nFiles written by the example workflows, kept in ${kept}:`);
		for (const file of keep(stack.out, kept)) console.log(`  ${file}`);
		if (once) return await stop(filesUnder(join(stack.out, 'colossyan')).length > 0 ? 0 : 1);
		console.log(`\nRotateProduct simulator: ${stack.sims.rotateProduct.apiUrl}   Colossyan simulator: ${stack.sims.colossyan.apiUrl}`);
		console.log('The examples are under Workflows; the credentials already point at the simulators.');
		console.log('Ctrl+C stops everything; files written until then are copied to the folder above.');
		console.log(`\nOpen the editor: ${stack.n8n.baseUrl}`);
		console.log(`Log in as: ${OWNER.email} / ${OWNER.password}`);
	} catch (error) {
		console.error(error);
		await stop(1);
	}
}

void main();
