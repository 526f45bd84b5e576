/** Simulated time: real time plus an offset tests can move forward ("an hour later"). */
export class SimClock {
	private offsetMs = 0;

	now(): number {
		return Date.now() + this.offsetMs;
	}

	advance(ms: number): void {
		this.offsetMs += ms;
	}

	iso(at: number = this.now()): string {
		return new Date(at).toISOString();
	}
}
