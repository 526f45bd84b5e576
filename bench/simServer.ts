/**
 * A RotateProduct simulator in its own process, so the benchmark process
 * measures only the download path. Arguments: video size in bytes, number of
 * finished generations (default 1). Prints one JSON line: {apiUrl, key, id, ids}.
 */
import { RotateProductSimulator } from '../test/simulators/rotateproduct/RotateProductSimulator';

async function main(): Promise<void> {
	const size = Number(process.argv[2] ?? 1024 * 1024 * 1024);
	const sim = new RotateProductSimulator({ videoSizeBytes: size });
	await sim.start();
	const key = 'rp_bench_key_000001';
	sim.addAccount(key);
	const count = Number(process.argv[3] ?? 1);
	const inputs = Array.from({ length: count }, (_v, i) => ({ imageUrl: `https://bench.example/${i}.jpg`, externalId: `bench-${i}` }));
	const generations = sim.seed(key, inputs, { renderMs: 0 });
	const ids = generations.map((generation) => generation.id);
	process.stdout.write(`${JSON.stringify({ apiUrl: sim.apiUrl, key, id: ids[0], ids })}\n`);
	process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
}

void main();
