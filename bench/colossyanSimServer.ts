/**
 * A Colossyan simulator in its own process with `count` finished videos of
 * `bytes` each. Prints one JSON line: {apiUrl, token, jobIds, publicUrls}.
 */
import { ColossyanSimulator } from '../test/simulators/colossyan/ColossyanSimulator';

async function main(): Promise<void> {
	const bytes = Number(process.argv[2] ?? 50 * 1024 * 1024);
	const count = Number(process.argv[3] ?? 20);
	const sim = new ColossyanSimulator({ videoSizeBytes: bytes, renderMs: 0 });
	await sim.start();
	const token = 'col_bench_token_000001';
	sim.addWorkspace(token);
	const jobIds: string[] = [];
	for (let i = 0; i < count; i++) {
		const response = await fetch(`${sim.apiUrl}/video-generation-jobs`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ videoCreative: { settings: { name: `Bench video ${i}` }, scenes: [{ tracks: [{ type: 'actor', text: 'Hi' }] }] } }),
		});
		jobIds.push(((await response.json()) as { id: string }).id);
	}
	const publicUrls = jobIds.map((id) => `${sim.files.baseUrl}/videos/${String(sim.job(id)?.videoId)}.mp4`);
	process.stdout.write(`${JSON.stringify({ apiUrl: sim.apiUrl, token, jobIds, publicUrls })}\n`);
	process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
}

void main();
