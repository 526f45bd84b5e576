/**
 * The one page-walker over the generation list, for the trigger and the node's
 * helpers alike: it reads from the new end towards the old one, a page at a
 * time, for as long as its caller asks (each caller decides when to stop).
 * It detects the list's order on each walk (see listOrder.ts) and watches the
 * `total` of every page it reads: a total that moved between two reads means
 * rows appeared or vanished, so the pages shifted and a row may have slipped
 * from the unread side of the boundary to the read side. The page(s) just
 * before the boundary are then read again, until two reads agree.
 */
import type { ApiContext } from '../../shared/context';
import { rotateProductJson } from '../transport';
import type { NewEnd } from './listOrder';
import { newEndOf } from './listOrder';
import type { GenerationList, GenerationSummary } from './types';
import { MAX_PAGE_SIZE } from './types';

/** Re-reads after a shift, per page; beyond this the walk is marked unsettled (the next poll walks again). */
const MAX_REREADS = 3;

/** One page of the list (a missing `generations` reads as an empty page). */
export async function listPage(context: ApiContext, page: number, pageSize = MAX_PAGE_SIZE): Promise<GenerationList> {
	const list = await rotateProductJson<GenerationList>(context, {
		method: 'GET',
		path: '/generations',
		qs: { page, pageSize },
	});
	return { ...list, generations: Array.isArray(list.generations) ? list.generations : [] };
}

export class ListWalker {
	/** The rows of the page at the new end (the first page read from that end). */
	newEndRows: GenerationSummary[] = [];

	private readonly totals: number[] = [];

	/** The largest total any page reported (kept as it comes: no spread over a long list). */
	private largestTotal = 0;

	private nextPage: number;

	private lastPageWasShort = false;

	private unsettled = false;

	private constructor(
		private readonly context: ApiContext,
		/** Page 1, read to learn the order: the new end, or (oldest first) the oldest rows. */
		readonly firstPage: GenerationSummary[],
		total: number,
		readonly newEnd: NewEnd,
	) {
		this.noteTotal(total);
		this.nextPage = newEnd === 'last-page' ? pagesFor(total) : 2;
		if (newEnd !== 'last-page') this.newEndRows = firstPage;
	}

	/** Reads the page at the new end into `newEndRows`: one request (newest first), two (oldest first). */
	static async open(context: ApiContext): Promise<ListWalker> {
		const walker = await ListWalker.start(context);
		if (walker.newEnd === 'last-page') {
			let rows: GenerationSummary[] | undefined = [];
			while (rows && rows.length === 0) rows = await walker.next();
			walker.newEndRows = rows ?? [];
		}
		return walker;
	}

	/** Reads page 1 only (one request), to learn the order; `pages()` then walks from the new end. */
	static async start(context: ApiContext): Promise<ListWalker> {
		const first = await listPage(context, 1);
		const whole = pagesFor(first.total) <= 1;
		return new ListWalker(context, first.generations, first.total, whole ? 'first-page' : newEndOf(first.generations));
	}

	/**
	 * Every page of a walker from `start()`, new end first, for as long as the caller
	 * iterates (stopping the loop stops the reads). Oldest first, page 1 comes last
	 * and is not read again.
	 */
	async *pages(): AsyncGenerator<GenerationSummary[]> {
		if (this.newEnd !== 'last-page') yield this.firstPage;
		for (let rows = await this.next(); rows; rows = await this.next()) yield rows;
	}

	/** True when no page is left to read. */
	get exhausted(): boolean {
		if (this.newEnd === 'last-page') return this.nextPage < 1;
		return this.lastPageWasShort || this.nextPage > pagesFor(this.largestTotal);
	}

	/** False when the list kept moving under the walk and a row may have slipped between two pages. */
	get consistent(): boolean {
		return !this.unsettled;
	}

	/** The next page towards the old end, or undefined when the list is read to its end. */
	async next(): Promise<GenerationSummary[] | undefined> {
		if (this.exhausted) return undefined;
		const page = this.nextPage;
		const step = this.newEnd === 'last-page' ? -1 : 1;
		this.nextPage += step;
		// Oldest first: page 1 was read to learn the order; it is the last one on the way.
		if (page === 1 && this.newEnd === 'last-page') return this.firstPage;
		const rows = await this.read(page);
		this.lastPageWasShort = rows.length < MAX_PAGE_SIZE;
		for (let reread = 0; this.totalMoved(); reread++) {
			if (reread >= MAX_REREADS) {
				this.unsettled = true;
				break;
			}
			const shift = Math.abs(this.totals[this.totals.length - 1] - this.totals[this.totals.length - 2]);
			for (let back = 1; back <= Math.min(3, Math.ceil(shift / MAX_PAGE_SIZE)); back++) {
				const earlier = page - back * step;
				if (earlier >= 1) rows.push(...(await this.read(earlier)));
			}
		}
		return rows;
	}

	private async read(page: number): Promise<GenerationSummary[]> {
		const { total, generations } = await listPage(this.context, page);
		this.noteTotal(Number(total) || 0);
		return [...generations];
	}

	private noteTotal(total: number): void {
		this.totals.push(total);
		this.largestTotal = Math.max(this.largestTotal, total);
	}

	private totalMoved(): boolean {
		const count = this.totals.length;
		return count >= 2 && this.totals[count - 1] !== this.totals[count - 2];
	}

	/** The total the list reported first (before the walk) and last. */
	get firstTotal(): number {
		return this.totals[0];
	}

	get lastTotal(): number {
		return this.totals[this.totals.length - 1];
	}

	/** What the new end looks like: equal fingerprints on two polls mean nothing changed there. */
	fingerprint(): string {
		const rows = this.newEndRows.map((row) => `${row.id}:${String(row.status)}:${String(row.updated_at)}`).sort();
		return `${this.totals[0]}/${hash(rows.join(','))}`;
	}
}

function pagesFor(total: number): number {
	return Math.max(1, Math.ceil((Number(total) || 0) / MAX_PAGE_SIZE));
}

/** Two 32-bit FNV-1a hashes (different offsets): short enough for static data, collisions negligible. */
function hash(text: string): string {
	let a = 0x811c9dc5;
	let b = 0x01000193 ^ 0x5bd1e995;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		a = Math.imul(a ^ code, 0x01000193) >>> 0;
		b = Math.imul(b ^ code, 0x01000193) >>> 0;
	}
	return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
