/**
 * `npm run test:engine2`: the Jest suite on n8n's 2.x engine, under the Node 24 the
 * e2e suite installs (scripts/n8n/install.ts, cached). The engine (package.json and
 * package-lock.json beside this file, pinned to what n8n 2.40.7 depends on) is
 * installed with `npm ci` under that Node the first time and whenever the lock
 * changes. Arguments go to Jest (e.g. a test file). Exits with Jest's code.
 *
 * Node 24 runs with the young-generation size the README recommends for n8n on
 * Node 24 (NODE_OPTIONS, "Large files"): with V8 13.6's default, up to ~64 MiB of
 * dead stream buffers wait for the next GC, so the suite's 64 MiB memory checks
 * would measure V8's policy, not the package (engine 1.x on Node 24 fails them too).
 * ENGINE2_NODE_OPTIONS replaces it (empty: Node's default).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureNode, NODE_VERSION, PROJECT_ROOT } from '../../scripts/n8n/install';

const ENGINE_DIR = __dirname;
/** What the README recommends for n8n on Node 24 ("Large files"). */
const RECOMMENDED_NODE_OPTIONS = '--max-semi-space-size=2';
const MARKER = join(ENGINE_DIR, 'node_modules', '.installed-from-lock');

function lockHash(): string {
	return createHash('sha256').update(readFileSync(join(ENGINE_DIR, 'package-lock.json'))).digest('hex');
}

function runOrExit(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): void {
	const result = spawnSync(command, args, { cwd, env, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

async function main(): Promise<void> {
	const nodeBinDir = join(await ensureNode(NODE_VERSION, (line) => console.log(line)), 'bin');
	const env = { ...process.env, PATH: `${nodeBinDir}:${process.env.PATH ?? ''}` };
	const hash = lockHash();
	if (!existsSync(MARKER) || readFileSync(MARKER, 'utf8') !== hash) {
		console.log(`installing n8n's 2.x engine (npm ci under Node ${NODE_VERSION}) into ${ENGINE_DIR}/node_modules`);
		// No install scripts: the engine's native extras (isolated-vm, profilers, ssh2's
		// optional crypto) are not what the suite exercises, and n8n-core runs without them.
		runOrExit('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], ENGINE_DIR, env);
		writeFileSync(MARKER, hash);
	}
	const nodeOptions = process.env.ENGINE2_NODE_OPTIONS ?? RECOMMENDED_NODE_OPTIONS;
	console.log(`Jest on n8n's 2.x engine, Node ${NODE_VERSION}, NODE_OPTIONS=${nodeOptions}`);
	runOrExit(
		join(nodeBinDir, 'node'),
		[join(PROJECT_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '-c', 'jest.engine2.config.js', ...process.argv.slice(2)],
		PROJECT_ROOT,
		{ ...env, NODE_OPTIONS: nodeOptions },
	);
}

void main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
