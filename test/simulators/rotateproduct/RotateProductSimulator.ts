/**
 * A faithful RotateProduct API (API-CONTRACT.md, rotateproduct-*.txt) on
 * 127.0.0.1: accounts by bearer key, the documented status vocabularies, bulk
 * limits, videos with Range and 1-hour expiry, the streamed zip with its naming
 * and X-Skipped-* rules, list pagination in either order, credits.
 */
import archiver from 'archiver';
import type { ServerResponse } from 'node:http';

import { SimClock } from '../common/clock';
import type { Reply, SimRequest } from '../common/server';
import { bearerToken, SimulatorServer } from '../common/server';
import { videoStream } from '../common/videoBytes';
import { ListBehaviour } from './listBehaviour';

export const API_PREFIX = '/api/v1';
export const MAX_BULK = 600;
export const MAX_ZIP_IDS = 100;
export const MAX_PAGE_SIZE = 100;
export const VIDEO_RETENTION_MS = 60 * 60 * 1000;
export const CREDITS_PER_GENERATION = 5;

/** The three status vocabularies the docs disagree on. */
export type Vocabulary = 'polling' | 'status' | 'lifecycle';
export type Outcome = 'success' | 'failed' | 'canceled';
export type ListOrder = 'newest-first' | 'oldest-first';
/** What `failedGenerations[].id` holds: the item's index in the request (API-CONTRACT's first section), or the failure's ordinal. */
export type FailedIdReading = 'requestIndex' | 'ordinal';
/** The order of a bulk answer's `generations` (not published): the request's, or shuffled. */
export type GenerationsOrder = 'request' | 'shuffled';

/** Set to "1" (npm run test:engine1 does): every timestamp of every endpoint comes without an offset. */
export const TIMES_WITHOUT_OFFSET_ENV = 'SIM_TIMES_WITHOUT_OFFSET';

const WORDS: Record<Vocabulary, { starting?: string; running: string; done: string }> = {
	polling: { running: 'rotating', done: 'completed' },
	status: { running: 'processing', done: 'succeeded' },
	lifecycle: { starting: 'starting', running: 'rotating', done: 'successful' },
};

export interface GenerationInput {
	imageUrl?: unknown;
	endImageUrl?: unknown;
	description?: unknown;
	externalId?: unknown;
}

export interface Generation {
	id: number;
	accountKey: string;
	userId: string;
	externalId: string | null;
	input: GenerationInput;
	createdAt: number;
	settlesAt: number;
	outcome: Outcome;
	sizeBytes: number;
}

export interface Account {
	key: string;
	userId: string;
	credits: number;
}

export interface RotateProductSimulatorOptions {
	vocabulary?: Vocabulary;
	listOrder?: ListOrder;
	/** How long a generation renders (simulated ms). */
	renderMs?: number;
	/** Size of each generated video in bytes. */
	videoSizeBytes?: number;
	/** Default 'requestIndex'. */
	failedIdReading?: FailedIdReading;
	/** Default 'request'. */
	generationsOrder?: GenerationsOrder;
	/** Seed of the 'shuffled' order. */
	shuffleSeed?: number;
	/** The status endpoint's times end in `Z` (default false: the status page shows `2025-05-08T11:58:24.070589`). */
	statusTimesWithZ?: boolean;
	/** Every endpoint's times without an offset (default: the SIM_TIMES_WITHOUT_OFFSET env var). */
	timesWithoutOffset?: boolean;
	/** The server's clock is this far ahead (negative: behind): every timestamp and the Date header. */
	serverClockSkewMs?: number;
}

type ItemRule = (input: GenerationInput, index: number) => string | undefined;
type OutcomeRule = (input: GenerationInput, index: number) => Outcome;

export class RotateProductSimulator extends SimulatorServer {
	readonly clock = new SimClock();

	vocabulary: Vocabulary;

	listOrder: ListOrder;

	renderMs: number;

	/** The Content-Disposition of server-made zips (a hostile name in tests). */
	zipDisposition: (now: number) => string = (now) => `attachment; filename="generations-${now}.zip"`;

	videoSizeBytes: number;

	/** Rejects an item of a bulk request with this message (it lands in failedGenerations). */
	rejectItem: ItemRule = () => undefined;

	/** Decides how a created generation ends. */
	outcomeOf: OutcomeRule = () => 'success';

	/** Whether video downloads answer a Range request with 206 (false: the whole file again, 200). */
	honourRange = true;

	/** Sort key, clock skew, jitter, late ids, retention of the list (listBehaviour.ts). */
	readonly listBehaviour = new ListBehaviour();

	/** Called before each list page is built: lets a test change the account between two pages. */
	beforeListPage: ((page: number) => void) | undefined;

	private readonly accounts = new Map<string, Account>();

	private readonly generations = new Map<number, Generation>();

	private nextId = 4980;

	failedIdReading: FailedIdReading;

	generationsOrder: GenerationsOrder;

	private shuffleState: number;

	statusTimesWithZ: boolean;

	timesWithoutOffset: boolean;

	serverClockSkewMs: number;

	constructor(options: RotateProductSimulatorOptions = {}) {
		super();
		this.failedIdReading = options.failedIdReading ?? 'requestIndex';
		this.generationsOrder = options.generationsOrder ?? 'request';
		this.shuffleState = (options.shuffleSeed ?? 1) | 0 || 1;
		this.statusTimesWithZ = options.statusTimesWithZ ?? false;
		this.timesWithoutOffset = options.timesWithoutOffset ?? process.env[TIMES_WITHOUT_OFFSET_ENV] === '1';
		this.serverClockSkewMs = options.serverClockSkewMs ?? 0;
		this.vocabulary = options.vocabulary ?? 'polling';
		this.listOrder = options.listOrder ?? 'newest-first';
		this.renderMs = options.renderMs ?? 3 * 60 * 1000;
		this.videoSizeBytes = options.videoSizeBytes ?? 64 * 1024;
	}

	get apiUrl(): string {
		return `${this.baseUrl}${API_PREFIX}`;
	}

	addAccount(key: string, credits = 100_000): Account {
		const account = { key, userId: `user_${this.accounts.size + 1}`, credits };
		this.accounts.set(key, account);
		return account;
	}

	account(key: string): Account | undefined {
		return this.accounts.get(key);
	}

	generation(id: number): Generation | undefined {
		return this.generations.get(id);
	}

	/** Every generation of an account, oldest first, including those the list does not show (yet, or any more). */
	generationsOf(key: string): Generation[] {
		return [...this.generations.values()].filter((g) => g.accountKey === key).sort((a, b) => a.id - b.id);
	}

	/** Creates generations directly (as if made earlier), e.g. an account's history. */
	seed(
		key: string,
		inputs: GenerationInput[],
		options: { createdAt?: number; renderMs?: number; outcome?: Outcome } = {},
	): Generation[] {
		return inputs.map((input) =>
			this.create(key, input, options.outcome ?? 'success', options.createdAt, options.renderMs),
		);
	}

	/** Deletes a generation (as retention or a cleanup would): it vanishes from the list and the status endpoint. */
	remove(id: number): boolean {
		return this.generations.delete(id);
	}

	/** Makes a generation settle now (or at `at`). */
	settle(id: number, outcome: Outcome = 'success', at: number = this.clock.now()): void {
		const generation = this.generations.get(id);
		if (generation) Object.assign(generation, { outcome, settlesAt: at });
	}

	statusOf(generation: Generation, now = this.clock.now()): string {
		const words = WORDS[this.vocabulary];
		if (now >= generation.settlesAt) {
			return generation.outcome === 'success' ? words.done : generation.outcome;
		}
		const startedAt = generation.createdAt + (generation.settlesAt - generation.createdAt) * 0.1;
		return words.starting && now < startedAt ? words.starting : words.running;
	}

	protected route(request: SimRequest, reply: Reply): void {
		// The server's clock (simulated time plus its skew) in every answer, as HTTP servers send it.
		(reply as unknown as { res: ServerResponse }).res.setHeader('date', new Date(this.serverNow()).toUTCString());
		const [api, version, resource, id, action] = request.segments;
		if (`/${api}/${version}` !== API_PREFIX) return this.fail(reply, 404, 4004, 'Route not found', 'route');
		const account = this.accounts.get(bearerToken(request.headers) ?? '');
		if (!account) return this.unauthorized(reply);
		const { method } = request;

		if (resource === 'credits' && !id && method === 'GET') {
			return reply.json(200, { userId: account.userId, credits: account.credits });
		}
		if (resource !== 'generations') return this.fail(reply, 404, 4004, 'Route not found', 'route');
		if (!id && method === 'POST') return this.bulkCreate(request, reply, account);
		if (!id && method === 'GET') return this.list(request, reply, account);
		if (id === 'download' && !action && (method === 'POST' || method === 'GET')) {
			return this.zip(request, reply, account);
		}
		if (id && action === 'status' && method === 'GET') return this.status(id, reply, account);
		if (id && !action && method === 'GET') return this.video(request, id, reply, account);
		return this.fail(reply, 404, 4004, 'Route not found', 'route');
	}

	protected malformedBodyError(): unknown {
		return errorBody(4001, 'Validation failed', 'Request body is not valid JSON', 'Validation Error');
	}

	private create(
		key: string,
		input: GenerationInput,
		outcome: Outcome,
		createdAt = this.clock.now(),
		renderMs = this.renderMs,
	): Generation {
		const account = this.accounts.get(key);
		if (!account) throw new Error(`no account ${key}`);
		const externalId = typeof input.externalId === 'string' && input.externalId !== '' ? input.externalId : null;
		const generation: Generation = {
			id: this.nextId++,
			accountKey: key,
			userId: account.userId,
			externalId,
			input,
			createdAt,
			settlesAt: createdAt + renderMs,
			outcome,
			sizeBytes: this.videoSizeBytes,
		};
		this.generations.set(generation.id, generation);
		return generation;
	}

	private bulkCreate(request: SimRequest, reply: Reply, account: Account): void {
		const items = (request.body as { generations?: unknown } | undefined)?.generations;
		if (!Array.isArray(items) || items.length === 0) {
			return this.validation(reply, 'generations must be a non-empty array');
		}
		if (items.length > MAX_BULK) {
			return this.validation(reply, `Maximum ${MAX_BULK} generations are allowed`);
		}
		const rejected = items.map((item, index) => this.rejectionOf(item, index));
		const accepted = rejected.filter((reason) => reason === undefined).length;
		if (account.credits < accepted * CREDITS_PER_GENERATION) {
			return reply.json(
				402,
				errorBody(4002, 'Insufficient credits', `This request needs ${accepted * CREDITS_PER_GENERATION} credits; the account has ${account.credits}`, 'Insufficient Credits'),
			);
		}
		const generations: unknown[] = [];
		const failedGenerations: Array<{ id: string; error: string }> = [];
		items.forEach((item: GenerationInput, index) => {
			const reason = rejected[index];
			if (reason !== undefined) {
				const id = this.failedIdReading === 'ordinal' ? failedGenerations.length : index;
				failedGenerations.push({ id: String(id), error: reason });
				return;
			}
			account.credits -= CREDITS_PER_GENERATION;
			const generation = this.create(account.key, item, this.outcomeOf(item, index));
			generations.push({
				id: generation.id,
				user_id: generation.userId,
				status: this.statusOf(generation),
				created_at: this.timeText(generation.createdAt, 'bulk'),
				updated_at: this.timeText(generation.createdAt, 'bulk'),
				external_id: generation.externalId,
			});
		});
		if (this.generationsOrder === 'shuffled') this.shuffle(generations);
		reply.json(201, { success: true, data: { generations, failedGenerations } });
	}

	private rejectionOf(item: unknown, index: number): string | undefined {
		if (item === null || typeof item !== 'object') return 'Item must be an object';
		const input = item as GenerationInput;
		if (!isImageUrl(input.imageUrl)) return 'imageUrl must be an http(s) URL or a data URL';
		if (input.endImageUrl !== undefined && !isImageUrl(input.endImageUrl)) {
			return 'endImageUrl must be an http(s) URL or a data URL';
		}
		return this.rejectItem(input, index);
	}

	private status(rawId: string, reply: Reply, account: Account): void {
		const generation = this.owned(rawId, account);
		if (!generation) return this.notFound(reply);
		reply.json(200, this.summary(generation, 'status'));
	}

	private summary(generation: Generation, endpoint: 'status' | 'list' = 'list'): Record<string, unknown> {
		const now = this.clock.now();
		return {
			id: generation.id,
			external_id: generation.externalId,
			status: this.statusOf(generation, now),
			...this.listBehaviour.timestamps(generation, now, (at) => this.timeText(at, endpoint)),
		};
	}

	/** The server's clock now (simulated time plus its skew), as in its Date header. */
	serverNow(): number {
		return this.clock.now() + this.serverClockSkewMs;
	}

	/**
	 * A timestamp as an endpoint shows it, by the server's (skewed) clock: `…Z`
	 * (list, bulk), or without an offset and with microseconds (the status page's
	 * example; every endpoint with `timesWithoutOffset`).
	 */
	timeText(at: number, endpoint: 'status' | 'list' | 'bulk'): string {
		const iso = this.clock.iso(at + this.serverClockSkewMs);
		const withoutOffset = this.timesWithoutOffset || (endpoint === 'status' && !this.statusTimesWithZ);
		return withoutOffset ? `${iso.slice(0, -1)}000` : iso;
	}

	/** A seeded Fisher–Yates shuffle (xorshift), so a failing order can be replayed. */
	private shuffle(values: unknown[]): void {
		for (let i = values.length - 1; i > 0; i--) {
			this.shuffleState ^= this.shuffleState << 13;
			this.shuffleState ^= this.shuffleState >>> 17;
			this.shuffleState ^= this.shuffleState << 5;
			const j = (this.shuffleState >>> 0) % (i + 1);
			[values[i], values[j]] = [values[j], values[i]];
		}
	}

	private list(request: SimRequest, reply: Reply, account: Account): void {
		const page = request.query.has('page') ? Number(request.query.get('page')) : 1;
		const pageSize = request.query.has('pageSize') ? Number(request.query.get('pageSize')) : 20;
		if (!Number.isInteger(page) || page < 1) return this.validation(reply, 'page must be a positive integer');
		if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
			return this.validation(reply, `pageSize must be between 1 and ${MAX_PAGE_SIZE}`);
		}
		this.beforeListPage?.(page);
		const now = this.clock.now();
		const behaviour = this.listBehaviour;
		const mine = [...this.generations.values()].filter(
			(g) => g.accountKey === account.key && g.createdAt <= now && behaviour.isVisible(g, now),
		);
		const ascending = (a: Generation, b: Generation) => behaviour.sortValue(a, now) - behaviour.sortValue(b, now) || a.id - b.id;
		mine.sort((a, b) => (this.listOrder === 'newest-first' ? ascending(b, a) : ascending(a, b)));
		const served = behaviour.servedPageSize(pageSize);
		const slice = mine.slice((page - 1) * served, page * served);
		reply.json(200, { page, pageSize: served, total: behaviour.shownTotal(mine.length), generations: slice.map((g) => this.summary(g)) });
	}

	private video(request: SimRequest, rawId: string, reply: Reply, account: Account): void {
		const generation = this.owned(rawId, account);
		if (!generation) return this.notFound(reply);
		const now = this.clock.now();
		if (now >= generation.createdAt + VIDEO_RETENTION_MS) {
			return this.fail(reply, 410, 4010, 'Video expired', 'generation video', 'Videos are kept for 1 hour after creation');
		}
		if (now < generation.settlesAt || generation.outcome !== 'success') {
			return this.fail(reply, 404, 4006, 'video not ready', 'generation video', `Generation ${generation.id} has no video yet (status ${this.statusOf(generation, now)})`);
		}
		const size = generation.sizeBytes;
		const seed = videoSeed(generation.id);
		reply.video(request, { seed, size, honourRange: this.honourRange });
	}

	private zip(request: SimRequest, reply: Reply, account: Account): void {
		const requested = this.zipIds(request);
		if (typeof requested === 'string') return this.validation(reply, requested);
		const ids = [...new Set(requested)];
		const now = this.clock.now();
		const ready: Generation[] = [];
		const notReady: number[] = [];
		const notFound: number[] = [];
		for (const id of ids) {
			const generation = this.owned(String(id), account);
			if (!generation) notFound.push(id);
			else if (
				now < generation.settlesAt ||
				generation.outcome !== 'success' ||
				now >= generation.createdAt + VIDEO_RETENTION_MS
			)
				notReady.push(id);
			else ready.push(generation);
		}
		const skipped: Record<string, string> = {};
		if (notReady.length) skipped['x-skipped-not-ready'] = notReady.join(',');
		if (notFound.length) skipped['x-skipped-not-found'] = notFound.join(',');
		if (ready.length === 0) {
			return reply.json(
				404,
				errorBody(4006, 'downloadable generations not found', 'downloadable generations not found', 'Resource Not Found', 'downloadable generations'),
				skipped,
			);
		}
		const names = new Set<string>();
		const archive = archiver('zip', { store: true });
		for (const generation of ready) {
			archive.append(videoStream(videoSeed(generation.id), generation.sizeBytes), {
				name: archiveName(generation, names),
			});
		}
		void archive.finalize();
		reply.stream(200, archive, {
			'content-type': 'application/zip',
			'content-disposition': this.zipDisposition(now),
			...skipped,
		});
	}

	/** The ids of a zip request, or the validation message. */
	private zipIds(request: SimRequest): number[] | string {
		let raw: unknown;
		if (request.method === 'GET') {
			const param = request.query.get('ids');
			if (!param) return 'ids is required';
			raw = param.split(',').map((part) => part.trim());
		} else {
			const body = (request.body ?? {}) as { videoIds?: unknown; ids?: unknown };
			raw = body.videoIds ?? body.ids;
		}
		if (!Array.isArray(raw) || raw.length === 0) return 'videoIds must be a non-empty array';
		if (raw.length > MAX_ZIP_IDS) return `Maximum ${MAX_ZIP_IDS} videoIds are allowed`;
		const ids = raw.map((value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value));
		if (!ids.every((value) => Number.isInteger(value) && (value as number) > 0)) {
			return 'videoIds must be positive integers';
		}
		return ids as number[];
	}

	private owned(rawId: string, account: Account): Generation | undefined {
		if (!/^\d+$/.test(rawId)) return undefined;
		const generation = this.generations.get(Number(rawId));
		if (!generation || generation.accountKey !== account.key) return undefined;
		const now = this.clock.now();
		return generation.createdAt <= now && this.listBehaviour.isVisible(generation, now) ? generation : undefined;
	}

	private unauthorized(reply: Reply): void {
		this.fail(reply, 401, 4003, 'Unauthorized', undefined, 'Invalid or missing API key', 'Unauthorized');
	}

	private notFound(reply: Reply): void {
		this.fail(reply, 404, 4006, 'generation not found', 'generation');
	}

	private validation(reply: Reply, friendly: string): void {
		reply.json(400, errorBody(4001, 'Validation failed', friendly, 'Validation Error'));
	}

	private fail(
		reply: Reply,
		status: number,
		code: number,
		message: string,
		resource?: string,
		friendly = message,
		title = status === 404 ? 'Resource Not Found' : 'Error',
	): void {
		reply.json(status, errorBody(code, message, friendly, title, resource));
	}
}

/**
 * The documented naming, written independently of the package's own code so the
 * two check each other: sanitised externalId, else generation-<id>; on a
 * collision the id is appended.
 */
function archiveName(generation: Generation, taken: Set<string>): string {
	const stem = generation.externalId
		? generation.externalId.replace(/[^a-zA-Z0-9_-]/g, '_')
		: `generation-${generation.id}`;
	const name = taken.has(`${stem}.mp4`) ? `${stem}-${generation.id}.mp4` : `${stem}.mp4`;
	taken.add(name);
	return name;
}

export function videoSeed(id: number): string {
	return `rotateproduct-${id}`;
}

function isImageUrl(value: unknown): boolean {
	if (typeof value !== 'string') return false;
	if (/^data:image\/[a-z0-9.+-]+;base64,/i.test(value)) return true;
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

function errorBody(code: number, message: string, friendlyMessage: string, title: string, resource?: string) {
	return {
		success: false,
		error: { code, message, meta: { friendlyMessage, type: 'error', title, ...(resource ? { resource } : {}) } },
	};
}
