/**
 * A RotateProduct simulator in its own process, so the benchmark process
 * measures only the download path. Prints one JSON line: {apiUrl, key, id}.
 */
import { RotateProductSimulator } from '../test/simulators/rotateproduct/RotateProductSimulator';

async function main(): Promise<void> {
	const size = Number(process.argv[2] ?? 1024 * 1024 * 1024);
	const sim = new RotateProductSimulator({ videoSizeBytes: size });
	await sim.start();
	const key = 'rp_bench_key_000001';
	sim.addAccount(key);
	const [generation] = sim.seed(key, [{ imageUrl: 'https://bench.example/a.jpg', externalId: 'bench' }], { renderMs: 0 });
	process.stdout.write(`${JSON.stringify({ apiUrl: sim.apiUrl, key, id: generation.id })}\n`);
	process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
}

void main();
