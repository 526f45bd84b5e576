/**
 * The one page-walker over the generation list, for the trigger and the node's
 * helpers alike: it reads from the new end towards the old one, a page at a
 * time, for as long as its caller asks (each caller decides when to stop).
 * It detects the list's order on each walk (see listOrder.ts) and watches the
 * `total` of every page it reads: a total that moved between two reads means
 * rows appeared or vanished, so the pages shifted and a row may have slipped
 * from the unread side of the boundary to the read side. The page(s) just
 * before the boundary are then read again, until two reads agree.
 *
 * Neither the page size nor the total is taken on trust: a server may give
 * fewer rows a page than asked (the real page size is read off page 1: shorter
 * than asked while the total says more exist), and a total may stop moving or
 * be wrong. Oldest first, the page the total points to is checked against it
 * (a full page where the total says the list ends means more pages follow, and
 * they are read); the end of the list is where a page comes back short, and a
 * total the pages contradicted is no longer used for anything. Where the total
 * points past the end (an empty page), the last page is found at growing steps
 * back, then by halving. Every walk is
 * capped at MAX_LIST_REQUESTS requests (`truncated` then says so).
 */
import type { ApiContext } from '../../shared/context';
import { rotateProductJson } from '../transport';
import type { NewEnd } from './listOrder';
import { newEndOf } from './listOrder';
import type { GenerationList, GenerationSummary } from './types';
import { MAX_PAGE_SIZE } from './types';

/** Re-reads after a shift, per page; beyond this the walk is marked unsettled (the next poll walks again). */
const MAX_REREADS = 3;

/**
 * The most list requests one walk makes (30,000 rows at 100 a page): the list only
 * holds the last hour's generations (retention), so this is a safety net against a
 * server whose pages or total never let a walk end, never the normal limit.
 */
export const MAX_LIST_REQUESTS = 300;

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

	/** True when the walk stopped at MAX_LIST_REQUESTS before the list ended. */
	truncated = false;

	private readonly totals: number[] = [];

	/** The largest total any page reported (kept as it comes: no spread over a long list). */
	private largestTotal = 0;

	/** False once a page contradicted the totals (more rows than they allow): the rows decide alone. */
	private totalTrusted: boolean;

	private nextPage: number;

	private lastPageWasShort = false;

	private unsettled = false;

	/** Oldest first: the last page is found (checked against the total) before the walk goes back. */
	private lastPageFound: boolean;

	private requests = 1;

	private constructor(
		private readonly context: ApiContext,
		/** Page 1, read to learn the order: the new end, or (oldest first) the oldest rows. */
		readonly firstPage: GenerationSummary[],
		total: number,
		readonly newEnd: NewEnd,
		/** The rows a page really holds (page 1 shorter than asked while more rows exist: the server's cap). */
		readonly pageSize: number,
		totalTrusted: boolean,
	) {
		this.totalTrusted = totalTrusted;
		this.noteTotal(total);
		this.lastPageFound = newEnd !== 'last-page';
		this.nextPage = newEnd === 'last-page' ? this.pagesFor(total) : 2;
		if (newEnd !== 'last-page') this.newEndRows = firstPage;
		this.lastPageWasShort = newEnd !== 'last-page' && firstPage.length < pageSize;
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

	/** Reads page 1 only (one request), to learn the order and the page size; `pages()` then walks from the new end. */
	static async start(context: ApiContext): Promise<ListWalker> {
		const first = await listPage(context, 1);
		const rows = first.generations;
		const total = Number(first.total);
		const totalTrusted = Number.isFinite(total) && total >= rows.length;
		// Shorter than asked while the total says (or, the total being wrong, may say) more exist: the server's page size.
		const capped = rows.length > 0 && rows.length < MAX_PAGE_SIZE && (!totalTrusted || total > rows.length);
		const pageSize = capped ? rows.length : MAX_PAGE_SIZE;
		const whole = totalTrusted && total <= rows.length;
		return new ListWalker(context, rows, totalTrusted ? total : rows.length, whole ? 'first-page' : newEndOf(rows), pageSize, totalTrusted);
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

	/** True when no page is left to read (or the walk reached its request cap). */
	get exhausted(): boolean {
		if (this.truncated) return true;
		if (this.newEnd === 'last-page') return this.lastPageFound && this.nextPage < 1;
		// Forward, only a short (or empty) page ends the list: a total that stopped moving would end it early.
		return this.lastPageWasShort;
	}

	/** False when the list kept moving under the walk and a row may have slipped between two pages. */
	get consistent(): boolean {
		return !this.unsettled && !this.truncated;
	}

	/** Whether the totals still agree with every page read (a total that lied is not used for anything). */
	get totalsReliable(): boolean {
		return this.totalTrusted;
	}

	/** The next page towards the old end, or undefined when the list is read to its end. */
	async next(): Promise<GenerationSummary[] | undefined> {
		if (!this.lastPageFound) return await this.findLastPage();
		if (this.exhausted) return undefined;
		const page = this.nextPage;
		const step = this.newEnd === 'last-page' ? -1 : 1;
		this.nextPage += step;
		// Oldest first: page 1 was read to learn the order; it is the last one on the way.
		if (page === 1 && this.newEnd === 'last-page') return this.firstPage;
		const rows = await this.read(page);
		if (rows === undefined) return undefined;
		if (step === 1) this.lastPageWasShort = rows.length < this.pageSize;
		return await this.settle(rows, page, step);
	}

	/**
	 * Oldest first, the page the total points to should hold the list's last rows. A full page
	 * there means more rows follow than the total says: pages further on are probed at growing
	 * steps (1, 2, 4, ...) until one is not full, then the last page is pinned down between the
	 * two by halving (pages are full up to the last one): about 2·log2 of the gap in requests.
	 */
	private async findLastPage(): Promise<GenerationSummary[] | undefined> {
		let full = this.nextPage;
		let fullRows = await this.read(full);
		if (fullRows === undefined) return undefined;
		let last = full;
		let lastRows = fullRows;
		if (fullRows.length >= this.pageSize) {
			let notFull = 0;
			let notFullRows: GenerationSummary[] = [];
			for (let step = 1; notFull === 0; step *= 2) {
				const rows = await this.read(full + step);
				if (rows === undefined) return undefined;
				if (rows.length >= this.pageSize) [full, fullRows] = [full + step, rows];
				else [notFull, notFullRows] = [full + step, rows];
			}
			while (notFull - full > 1) {
				const middle = Math.floor((full + notFull) / 2);
				const rows = await this.read(middle);
				if (rows === undefined) return undefined;
				if (rows.length >= this.pageSize) [full, fullRows] = [middle, rows];
				else [notFull, notFullRows] = [middle, rows];
			}
			[last, lastRows] = notFullRows.length > 0 ? [notFull, notFullRows] : [full, fullRows];
		} else if (fullRows.length === 0 && full > 1 && this.firstPage.length > 0) {
			// Empty where the total points: rows vanished since page 1, or the total is too high. Back at growing steps, then halve.
			const found = await this.lastNonEmptyBefore(full);
			if (found === undefined) return undefined;
			[last, lastRows] = found;
		}
		this.lastPageFound = true;
		this.nextPage = last - 1;
		return await this.settle(lastRows, last, -1);
	}

	/** The last page holding rows before an empty one (page 1 holds rows): pages hold rows up to the last one. */
	private async lastNonEmptyBefore(empty: number): Promise<[number, GenerationSummary[]] | undefined> {
		let [rowsAt, rows] = [1, this.firstPage];
		let emptyAt = empty;
		for (let step = 1; emptyAt - step > 1; step *= 2) {
			const page = await this.read(emptyAt - step);
			if (page === undefined) return undefined;
			if (page.length > 0) {
				[rowsAt, rows] = [emptyAt - step, page];
				break;
			}
			emptyAt -= step;
		}
		while (emptyAt - rowsAt > 1) {
			const middle = Math.floor((rowsAt + emptyAt) / 2);
			const page = await this.read(middle);
			if (page === undefined) return undefined;
			if (page.length > 0) [rowsAt, rows] = [middle, page];
			else emptyAt = middle;
		}
		return [rowsAt, rows];
	}

	/** After a page: while the total moved, the page(s) just before the boundary are read again. */
	private async settle(rows: GenerationSummary[], page: number, step: number): Promise<GenerationSummary[]> {
		for (let reread = 0; this.totalTrusted && this.totalMoved(); reread++) {
			if (reread >= MAX_REREADS) {
				this.unsettled = true;
				break;
			}
			const shift = Math.abs(this.totals[this.totals.length - 1] - this.totals[this.totals.length - 2]);
			for (let back = 1; back <= Math.min(3, Math.ceil(shift / this.pageSize)); back++) {
				const earlier = page - back * step;
				if (earlier < 1) continue;
				const again = await this.read(earlier);
				if (again === undefined) return rows;
				rows.push(...again);
			}
		}
		return rows;
	}

	/** One page, or undefined (and `truncated`) once the walk has made MAX_LIST_REQUESTS requests. */
	private async read(page: number): Promise<GenerationSummary[] | undefined> {
		if (this.requests >= MAX_LIST_REQUESTS) {
			this.truncated = true;
			return undefined;
		}
		this.requests++;
		const { total, generations } = await listPage(this.context, page);
		this.noteTotal(Number(total) || 0);
		// More rows than the total allows up to this page: the total lags or lies.
		if ((page - 1) * this.pageSize + generations.length > this.lastTotal) this.totalTrusted = false;
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

	/** The requests this walk made. */
	get requestCount(): number {
		return this.requests;
	}

	/** What the new end looks like: equal fingerprints on two polls mean nothing changed there. */
	fingerprint(): string {
		const rows = this.newEndRows.map((row) => `${row.id}:${String(row.status)}:${String(row.updated_at)}`).sort();
		return `${this.totals[0]}/${hash(rows.join(','))}`;
	}

	private pagesFor(total: number): number {
		return Math.max(1, Math.ceil((Number(total) || 0) / this.pageSize));
	}
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
