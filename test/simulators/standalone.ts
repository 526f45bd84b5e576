/**
 * `npm run simulators`: both simulators on fixed loopback ports, with a test key
 * each, so a person can point a real n8n at them and build workflows without
 * spending credits. Generations take 20 s and Colossyan jobs 30 s (real time).
 * Ports: ROTATEPRODUCT_PORT (default 4010), COLOSSYAN_PORT (default 4020).
 */
import { ColossyanSimulator } from './colossyan/ColossyanSimulator';
import { RotateProductSimulator } from './rotateproduct/RotateProductSimulator';

const ROTATEPRODUCT_KEY = 'rp_local_simulator_key';
const COLOSSYAN_TOKEN = 'col_local_simulator_token';

async function main(): Promise<void> {
	const rotateProduct = new RotateProductSimulator({ renderMs: 20_000, videoSizeBytes: 2 * 1024 * 1024 });
	const colossyan = new ColossyanSimulator({ renderMs: 30_000, videoSizeBytes: 2 * 1024 * 1024 });
	await rotateProduct.start(Number(process.env.ROTATEPRODUCT_PORT ?? 4010));
	await colossyan.start(Number(process.env.COLOSSYAN_PORT ?? 4020));
	rotateProduct.addAccount(ROTATEPRODUCT_KEY, 10_000);
	colossyan.addWorkspace(COLOSSYAN_TOKEN);
	colossyan.addTemplate(COLOSSYAN_TOKEN, 'tmpl_welcome', 'Welcome video');

	console.log('Simulators running (Ctrl+C to stop)\n');
	console.log('RotateProduct API credential');
	console.log(`  Base URL: ${rotateProduct.apiUrl}`);
	console.log(`  API Key:  ${ROTATEPRODUCT_KEY}\n`);
	console.log('Colossyan API credential');
	console.log(`  Base URL:  ${colossyan.apiUrl}`);
	console.log(`  API Token: ${COLOSSYAN_TOKEN}`);
	console.log('  Template job id: tmpl_welcome');

	const stop = async () => {
		await Promise.all([rotateProduct.stop(), colossyan.stop()]);
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

void main();
