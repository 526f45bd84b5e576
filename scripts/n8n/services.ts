/** What the suite starts beside n8n: both simulators in this process, and Redis for queue mode. */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';

import { ColossyanSimulator } from '../../test/simulators/colossyan/ColossyanSimulator';
import { RotateProductSimulator } from '../../test/simulators/rotateproduct/RotateProductSimulator';
import { freePort } from './n8nProcess';

export const RP_KEY = 'rp_e2e_key';
export const COL_TOKEN = 'col_e2e_token';
export const VIDEO_BYTES = 300_000;

export interface Simulators {
	rotateProduct: RotateProductSimulator;
	colossyan: ColossyanSimulator;
	stop(): Promise<void>;
}

export async function startSimulators(): Promise<Simulators> {
	const rotateProduct = new RotateProductSimulator({ renderMs: 3000, videoSizeBytes: VIDEO_BYTES });
	const colossyan = new ColossyanSimulator({ renderMs: 4000, videoSizeBytes: VIDEO_BYTES });
	await rotateProduct.start();
	await colossyan.start();
	rotateProduct.addAccount(RP_KEY);
	colossyan.addWorkspace(COL_TOKEN);
	colossyan.addTemplate(COL_TOKEN, 'tmpl_welcome', 'Welcome video');
	return {
		rotateProduct,
		colossyan,
		stop: async () => {
			await Promise.all([rotateProduct.stop(), colossyan.stop()]);
		},
	};
}

function hasRedis(): boolean {
	try {
		execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** Installs a Debian package (the suite's machine-level needs: Redis, Chromium). */
export function aptInstall(name: string): void {
	execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${name}`], { stdio: 'inherit' });
}

/** Starts a throw-away Redis on loopback (installing Debian's redis-server when absent). */
export async function startRedis(): Promise<{ port: number; stop(): Promise<void> }> {
	if (!hasRedis()) aptInstall('redis-server');
	const port = await freePort();
	const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
	for (let attempt = 0; attempt < 50; attempt++) {
		try {
			execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
			break;
		} catch {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
	return {
		port,
		stop: async () => {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}
