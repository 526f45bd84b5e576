/**
 * Everything the e2e suite and `npm run demo` run: both simulators, Redis in
 * queue mode, and a real n8n with this package installed, the example
 * credentials (pointing at the simulators) and the example workflows imported,
 * the two trigger workflows active.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EXAMPLE_FOLDERS, exampleCredentials, loadExamples } from './examples';
import { ensureN8n, installPackage, N8N_RELEASES, packPackage } from './install';
import { freePort, N8nProcess, nodeFlagsFrom } from './n8nProcess';
import type { Simulators } from './services';
import { COL_TOKEN, RP_KEY, startRedis, startSimulators } from './services';

export const ACTIVE_EXAMPLES = ['rpcExample02', 'rpcExample04', 'rpcExample06'];

export interface Stack {
	n8n: N8nProcess;
	sims: Simulators;
	/** Where the example workflows write their files. */
	out: string;
	stop(): Promise<void>;
}

export type N8nLine = keyof typeof N8N_RELEASES;

export async function startStack(options: {
	mode: 'regular' | 'queue';
	line?: N8nLine;
	port?: number;
	log?: (line: string) => void;
	/** Workflows a test file adds (imported beside the examples; activated unless `active: false`, e.g. a Manual Trigger one). */
	workflows?: Array<{ id: string; workflow: unknown; active?: boolean }>;
	/** Credentials a test file adds (imported beside the examples', e.g. pointing at a simulator of its own). */
	credentials?: unknown[];
}): Promise<Stack> {
	const log = options.log ?? (() => undefined);
	const runtime = await ensureN8n(N8N_RELEASES[options.line ?? '1.x'], log);
	const out = mkdtempSync(join(tmpdir(), `n8n-examples-out-${options.mode}-`));
	// n8n's Write File node does not create folders.
	for (const folder of EXAMPLE_FOLDERS) mkdirSync(join(out, folder));
	const sims = await startSimulators();
	const redis = options.mode === 'queue' ? await startRedis() : undefined;
	// E2E_NODE_FLAGS: flags for the node that runs n8n (e.g. the V8 flag in the README's "Large files").
	const n8n = new N8nProcess({
		runtime,
		fileAccess: [out],
		queue: redis ? { redisPort: redis.port } : undefined,
		nodeFlags: nodeFlagsFrom(process.env.E2E_NODE_FLAGS),
	});
	const stop = async () => {
		await n8n.stop();
		await redis?.stop();
		await sims.stop();
		rmSync(out, { recursive: true, force: true });
	};
	try {
		n8n.port = options.port ?? (await freePort());
		log('installing the package into n8n (npm pack + npm install, as a community package)');
		await installPackage(n8n.userFolder, await packPackage(join(n8n.userFolder, 'pack')), runtime);
		await n8n.importCredentials(
			[...exampleCredentials({ apiUrl: sims.rotateProduct.apiUrl, key: RP_KEY }, { apiUrl: sims.colossyan.apiUrl, token: COL_TOKEN }), ...(options.credentials ?? [])],
		);
		// One `n8n import:workflow` for all of them: each n8n CLI call boots n8n, seconds of CPU.
		await n8n.importWorkflows([...loadExamples(out, n8n.baseUrl), ...(options.workflows ?? [])]);
		for (const id of [...ACTIVE_EXAMPLES, ...(options.workflows ?? []).filter((entry) => entry.active !== false).map((entry) => entry.id)]) await n8n.activate(id);
		log(`starting n8n ${N8N_RELEASES[options.line ?? '1.x'].version} on ${n8n.baseUrl} (${options.mode} mode)`);
		await n8n.start();
	} catch (error) {
		await stop();
		throw error;
	}
	return { n8n, sims, out, stop };
}
