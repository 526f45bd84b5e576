/**
 * One real n8n on loopback with a temp user folder: its CLI (import, update,
 * execute) and its long-running processes (`n8n start`, `n8n worker`), each
 * logged to a file and stopped with everything it started.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import type { Runtime } from './install';

const run = promisify(execFile);

export interface N8nOptions {
	runtime: Runtime;
	/** Directories nodes may read and write files in. */
	fileAccess: string[];
	queue?: { redisPort: number };
	extraEnv?: Record<string, string>;
	/** Flags for the `node` that runs n8n start/worker (NODE_OPTIONS refuses most V8 flags). */
	nodeFlags?: string[];
}

/** The instance owner a fresh n8n asks for before anyone can log in. */
export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

/** Node flags from a space-separated environment variable (E2E_NODE_FLAGS, BENCH_N8N_NODE_FLAGS). */
export function nodeFlagsFrom(value: string | undefined): string[] {
	return value?.split(' ').filter(Boolean) ?? [];
}

export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise((resolve) => server.close(resolve));
	return port;
}

export class N8nProcess {
	readonly userFolder = mkdtempSync(join(tmpdir(), 'n8n-e2e-user-'));

	readonly children: ChildProcess[] = [];

	port = 0;

	constructor(private readonly options: N8nOptions) {}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** `brokerPort`: n8n 2.x starts a task broker in every process (start, worker, CLI); each needs its own port. */
	env(brokerPort?: number): NodeJS.ProcessEnv {
		const queue = this.options.queue;
		return {
			...(brokerPort ? { N8N_RUNNERS_BROKER_PORT: String(brokerPort) } : {}),
			...this.options.runtime.env,
			// Jest sets NODE_ENV=test, which n8n reads as its own test mode.
			NODE_ENV: 'production',
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_ENCRYPTION_KEY: 'e2e-encryption-key',
			DB_TYPE: 'sqlite',
			DB_SQLITE_POOL_SIZE: '2',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			// Offline here: the editor would log its failed fetch of n8n.io's banners as an error.
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_RESTRICT_FILE_ACCESS_TO: this.options.fileAccess.join(';'),
			N8N_LOG_LEVEL: process.env.E2E_N8N_LOG_LEVEL ?? 'info',
			N8N_RUNNERS_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			...(queue
				? {
						EXECUTIONS_MODE: 'queue',
						QUEUE_BULL_REDIS_HOST: '127.0.0.1',
						QUEUE_BULL_REDIS_PORT: String(queue.redisPort),
						N8N_DEFAULT_BINARY_DATA_MODE: 'database',
						QUEUE_HEALTH_CHECK_ACTIVE: 'false',
					}
				: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' }),
			...this.options.extraEnv,
		};
	}

	/** Runs an n8n CLI command to completion. */
	async cli(args: string[]): Promise<string> {
		if (this.port === 0) this.port = await freePort();
		try {
			const { stdout } = await run(this.options.runtime.n8nBin, args, { env: this.env(await freePort()), maxBuffer: 64 * 1024 * 1024 });
			return stdout;
		} catch (error) {
			const { stdout, stderr } = error as { stdout?: string; stderr?: string };
			throw new Error(`n8n ${args[0]} failed:\n${String(stderr ?? "").slice(-2000)}\n${String(stdout ?? "").slice(0, 4000)}`);
		}
	}

	async importCredentials(credentials: unknown[]): Promise<void> {
		const file = join(this.userFolder, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials));
		await this.cli(['import:credentials', `--input=${file}`]);
	}

	/** Imports several workflows with one CLI call (`--separate`: every JSON file of a folder). */
	async importWorkflows(workflows: Array<{ id: string; workflow: unknown }>): Promise<void> {
		const folder = join(this.userFolder, 'workflows');
		mkdirSync(folder, { recursive: true });
		for (const { id, workflow } of workflows) writeFileSync(join(folder, `${id}.json`), JSON.stringify(workflow));
		const output = await this.cli(['import:workflow', '--separate', `--input=${folder}`]);
		// n8n 2.x skips a file it cannot import (or that breaks its import policy) with only a warning.
		if (/Skipping invalid workflow file|Skipped workflow/.test(output)) throw new Error(`n8n import:workflow skipped a workflow:\n${output.slice(0, 4000)}`);
	}

	async activate(workflowId: string): Promise<void> {
		await this.cli(['update:workflow', `--id=${workflowId}`, '--active=true']);
	}

	/** The ids of the workflows n8n has active (published). */
	async activeWorkflowIds(): Promise<string[]> {
		const output = await this.cli(['list:workflow', '--active=true', '--onlyId']);
		return output.split('\n').map((line) => line.trim()).filter((line) => /^[A-Za-z0-9]+$/.test(line));
	}

	/** `n8n execute`: runs a workflow that starts with a Manual Trigger, in its own process. */
	async execute(workflowId: string): Promise<string> {
		return await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
	}

	/** Creates the instance owner through n8n's REST API (a fresh n8n has none); throws on failure. */
	async setupOwner(owner: Owner): Promise<void> {
		const response = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(owner),
		});
		if (!response.ok) throw new Error(`could not create the owner: HTTP ${response.status} ${await response.text()}`);
	}

	/** Starts `n8n start` (and a worker in queue mode) and waits until it answers /healthz. */
	async start(): Promise<void> {
		if (this.port === 0) this.port = await freePort();
		this.spawn('start', ['start'], await freePort());
		if (this.options.queue) this.spawn('worker', ['worker', '--concurrency=5'], await freePort());
		await this.waitHealthy();
	}

	/** How many executions n8n stored for a workflow (read from its SQLite database with n8n's own sqlite3). */
	async executionCount(workflowId: string): Promise<number> {
		const sqlite = join(this.options.runtime.n8nBin, '..', '..', '..', 'sqlite3');
		const database = join(this.userFolder, '.n8n', 'database.sqlite');
		const script = `const s=require(${JSON.stringify(sqlite)});const db=new s.Database(${JSON.stringify(database)},s.OPEN_READONLY);db.get('SELECT COUNT(*) AS n FROM execution_entity WHERE workflowId = ?',[process.argv[1]],(e,r)=>{if(e){console.error(e.message);process.exit(1)}console.log(r.n);db.close()})`;
		const { stdout } = await run(join(this.options.runtime.nodeBinDir, 'node'), ['-e', script, workflowId]);
		return Number(stdout.trim());
	}

	/** The executions n8n stored for a workflow, oldest first. */
	async executions(workflowId: string): Promise<Array<{ id: string; status: string; waitTill: string | null }>> {
		const rows = await this.query('SELECT id, status, waitTill FROM execution_entity WHERE workflowId = ? ORDER BY id', [workflowId]);
		return (rows as Array<{ id: number; status: string; waitTill: string | null }>).map((row) => ({ ...row, id: String(row.id) }));
	}

	/** An execution's run data as n8n saved it (flatted JSON, parsed with n8n's own flatted). */
	async executionData(executionId: string): Promise<{ resultData: { runData: Record<string, Array<{ data?: { main?: unknown[][] } }>>; error?: unknown } }> {
		const [row] = (await this.query('SELECT data FROM execution_data WHERE executionId = ?', [executionId])) as Array<{ data: string }>;
		const flatted = require(join(this.options.runtime.n8nBin, '..', '..', '..', 'flatted')) as { parse(text: string): unknown };
		return flatted.parse(row.data) as never;
	}

	/** Read-only SQL on n8n's SQLite database, with n8n's own sqlite3. */
	private async query(sql: string, parameters: unknown[]): Promise<unknown[]> {
		const sqlite = join(this.options.runtime.n8nBin, '..', '..', '..', 'sqlite3');
		const database = join(this.userFolder, '.n8n', 'database.sqlite');
		const script = `const s=require(${JSON.stringify(sqlite)});const db=new s.Database(${JSON.stringify(database)},s.OPEN_READONLY);db.all(process.argv[1],JSON.parse(process.argv[2]),(e,r)=>{if(e){console.error(e.message);process.exit(1)}process.stdout.write(JSON.stringify(r));db.close()})`;
		const { stdout } = await run(join(this.options.runtime.nodeBinDir, 'node'), ['-e', script, sql, JSON.stringify(parameters)], { maxBuffer: 256 * 1024 * 1024 });
		return JSON.parse(stdout) as unknown[];
	}

	/** Restarts so far: each one's earlier logs are kept as `<name>.before-restart-<n>.log`. */
	private restarts = 0;

	/**
	 * Stops n8n (and its worker) and starts it again on the same database and port.
	 * The logs so far are set aside, not overwritten: E2E_KEEP keeps what n8n printed
	 * before the restart too, and logOf() reads only the running process's log.
	 */
	async restart(): Promise<void> {
		await this.stopProcesses();
		this.children.length = 0;
		this.restarts++;
		for (const name of ['start', 'worker']) {
			const log = join(this.userFolder, `${name}.log`);
			if (existsSync(log)) renameSync(log, join(this.userFolder, `${name}.before-restart-${this.restarts}.log`));
		}
		await this.start();
	}

	logOf(name: string): string {
		try {
			return readFileSync(join(this.userFolder, `${name}.log`), 'utf8');
		} catch {
			return '';
		}
	}

	private spawn(name: string, args: string[], brokerPort: number): void {
		const log = createWriteStream(join(this.userFolder, `${name}.log`));
		const { runtime, nodeFlags = [] } = this.options;
		const child = spawn(join(runtime.nodeBinDir, 'node'), [...nodeFlags, runtime.n8nBin, ...args], {
			env: this.env(brokerPort),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		child.stdout?.pipe(log);
		child.stderr?.pipe(log);
		this.children.push(child);
	}

	private async waitHealthy(timeoutMs = 180_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			try {
				const response = await fetch(`${this.baseUrl}/healthz/readiness`);
				// Active workflows are activated before n8n prints the editor URL.
				if (response.ok && /Editor is now accessible/.test(this.logOf('start'))) return;
			} catch {
				// not listening yet
			}
			if (this.children.some((child) => child.exitCode !== null)) break;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`n8n did not become ready:\n${this.logOf('start').slice(-4000)}`);
	}

	/** Stops every process this instance started (their whole process groups) and removes its folder (kept with E2E_KEEP=1). */
	async stop(): Promise<void> {
		await this.stopProcesses();
		if (!process.env.E2E_KEEP) rmSync(this.userFolder, { recursive: true, force: true });
	}

	private async stopProcesses(): Promise<void> {
		await Promise.all(
			this.children.map(async (child) => {
				if (child.exitCode !== null || child.pid === undefined) return;
				const exited = new Promise((resolve) => child.once('exit', resolve));
				process.kill(-child.pid, 'SIGTERM');
				const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 20_000);
				await exited;
				clearTimeout(timer);
			}),
		);
	}
}
