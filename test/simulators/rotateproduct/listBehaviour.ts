/**
 * How the simulated list behaves, within what RotateProduct's docs allow (the
 * sort order is not published, timestamps come from the server's clock): switches
 * a test turns on to attack a list reader. The defaults are the plain list the
 * other tests expect (sorted by id, true timestamps, every row visible at once).
 * The simulator consults this for every list page and status answer.
 */
export type SortKey = 'id' | 'created_at' | 'updated_at';

/** What the behaviour needs to know of a generation. */
export interface ListedGeneration {
	id: number;
	createdAt: number;
	settlesAt: number;
}

export class ListBehaviour {
	/** The key the list is sorted by (the direction is the simulator's `listOrder`). */
	sortKey: SortKey = 'id';

	/** Added to every timestamp the server shows (a server clock hours off, or a time zone lost). */
	clockSkewMs = 0;

	/** Shown created_at = true creation + this (rows of a bulk created in parallel, in any id order). */
	readonly createdAtJitterMs = new Map<number, number>();

	/** Ids without created_at in their rows. */
	readonly createdAtMissing = new Set<number>();

	/** Ids the API does not show before this simulated time (visible late, after higher ids). */
	readonly visibleFrom = new Map<number, number>();

	/** Rows vanish from the API this long after creation (undefined: kept for ever). */
	retentionMs: number | undefined;

	/**
	 * The most rows a page holds, whatever `pageSize` asked (undefined: as asked). The
	 * docs give 100 as the maximum; a server may give fewer, and then numbers its
	 * pages by what it gives (page 2 starts after the rows page 1 really held).
	 */
	pageSizeCap: number | undefined;

	/**
	 * The `total` a list page shows, from the true count (undefined: the true count).
	 * E.g. `() => 1000` (a total that stopped moving) or `(n) => n + 500` (a wrong one).
	 */
	reportedTotal: ((trueTotal: number) => number) | undefined;

	/** The page size a list request is served with. */
	servedPageSize(asked: number): number {
		return this.pageSizeCap === undefined ? asked : Math.min(asked, this.pageSizeCap);
	}

	/** The total a list page shows. */
	shownTotal(trueTotal: number): number {
		return this.reportedTotal === undefined ? trueTotal : this.reportedTotal(trueTotal);
	}

	isVisible(generation: ListedGeneration, now: number): boolean {
		if (now < (this.visibleFrom.get(generation.id) ?? generation.createdAt)) return false;
		return this.retentionMs === undefined || now < generation.createdAt + this.retentionMs;
	}

	shownCreatedAt(generation: ListedGeneration): number {
		return generation.createdAt + (this.createdAtJitterMs.get(generation.id) ?? 0);
	}

	updatedAt(generation: ListedGeneration, now: number): number {
		return now >= generation.settlesAt ? generation.settlesAt : generation.createdAt;
	}

	/** Ascending sort value (ties broken by id). */
	sortValue(generation: ListedGeneration, now: number): number {
		if (this.sortKey === 'created_at') return this.shownCreatedAt(generation);
		if (this.sortKey === 'updated_at') return this.updatedAt(generation, now);
		return generation.id;
	}

	/** The timestamps of a row as the server shows them. */
	timestamps(generation: ListedGeneration, now: number, iso: (at: number) => string): { created_at?: string; updated_at: string } {
		const updated = iso(this.updatedAt(generation, now) + this.clockSkewMs);
		if (this.createdAtMissing.has(generation.id)) return { updated_at: updated };
		return { created_at: iso(this.shownCreatedAt(generation) + this.clockSkewMs), updated_at: updated };
	}
}
