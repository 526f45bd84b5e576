/**
 * Simulated time: real time plus an offset tests can move forward ("an hour later").
 * A test that asserts values derived from time (progress) freezes it first, so
 * the real milliseconds its requests take cannot shift the result.
 */
export class SimClock {
	private offsetMs = 0;
	private frozenAt: number | undefined;

	now(): number {
		return (this.frozenAt ?? Date.now()) + this.offsetMs;
	}

	advance(ms: number): void {
		this.offsetMs += ms;
	}

	/** Time moves only through advance() from now on. */
	freeze(): void {
		this.frozenAt ??= Date.now();
	}

	iso(at: number = this.now()): string {
		return new Date(at).toISOString();
	}
}
