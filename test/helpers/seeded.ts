/** Seeded randomness for the property tests: a failing case replays from its seed. */

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** A sweep's seed: the one in `envName` (to replay a failure) or a fresh one, printed either way. */
export function sweepSeed(envName: string, label: string): number {
	const seed = Number(process.env[envName] ?? Math.floor(Math.random() * 1_000_000));
	// eslint-disable-next-line no-console
	console.log(`${label}: seed ${seed} (replay with ${envName}=${seed})`);
	return seed;
}
