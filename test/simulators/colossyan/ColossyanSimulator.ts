/**
 * A faithful Colossyan API (API-CONTRACT.md, colossyan-receiving-video.txt) on
 * 127.0.0.1: workspaces by bearer token, jobs from a video creative or a
 * template, the documented job status machine with progress, generated-video
 * details whose publicUrl points at a separate, unauthenticated file host,
 * cancel, avatars and voices, and real callback POSTs when a job ends.
 * Jobs, videos, avatars and voices come in the shapes API-CONTRACT.md's
 * "Checked again" section lists (creationDate, shareId, vttSubtitleString,
 * display_name, displayName/languages[]...); publicUrl is temporary; videos can
 * be deleted (DELETE /generated-videos/:id) or expire; Instant Avatars are
 * created with POST /assets/actors.
 */
import { request as httpRequest } from 'node:http';

import { SimClock } from '../common/clock';
import type { Reply, SimRequest } from '../common/server';
import { bearerToken, SimulatorServer } from '../common/server';
import { TIMES_WITHOUT_OFFSET_ENV } from '../rotateproduct/RotateProductSimulator';

export const API_PREFIX = '/api/v1';
export const TRACK_TYPES = ['actor', 'video', 'image', 'audio', 'text'];
export const MAXIMUM_PROGRESS = 200;

export type JobStatus =
	| 'in_queue'
	| 'preprocessing'
	| 'preprocessing_finished'
	| 'generating'
	| 'finished'
	| 'failed'
	| 'deleted';

/** Where in its run (0..1) a job moves to each status before it ends. */
const PHASES: Array<[number, JobStatus]> = [
	[0, 'in_queue'],
	[0.1, 'preprocessing'],
	[0.3, 'preprocessing_finished'],
	[0.35, 'generating'],
];

export interface Job {
	id: string;
	videoId: string;
	workspace: string;
	kind: 'creative' | 'template';
	request: Record<string, unknown>;
	name: string;
	callbackUrl?: string;
	callbackPayload: Record<string, unknown>;
	dynamicVariables: Record<string, string>;
	createdAt: number;
	endsAt: number;
	outcome: 'finished' | 'failed';
	deleted: boolean;
	callbackSent: boolean;
	sizeBytes: number;
	/** The generated video was deleted (DELETE /generated-videos/:id). */
	videoDeleted?: boolean;
	/** The generated video expired (expireVideo): the API and its public URL answer `expiredStatus`. */
	videoExpired?: boolean;
	/** When the current publicUrl was last handed out (GET /generated-videos, the callback). */
	urlIssuedAt?: number;
}

export interface CallbackDelivery {
	url: string;
	body: Record<string, unknown>;
	status: number | 'error';
}

/** `GET /assets/actors`: stock avatars as the docs show them (gender "Male"/"Female"). */
export const ACTORS = [
	stockActor('karen', 'Karen', 'Female', 'voice-karen-en'),
	stockActor('nathan', 'Nathan', 'Male', 'voice-nathan-en'),
	stockActor('amara', 'Amara', 'Female', 'voice-amara-en'),
];

/** `GET /assets/voices` as a third-party connector's reference shows it: `name` is the speakerId. */
export const VOICES = [
	voice('voice-karen-en', 'Karen', ['en-US'], ['Female']),
	voice('voice-nathan-en', 'Nathan', ['en-GB'], ['Male']),
	voice('voice-amara-en', 'Amara', ['en-US', 'fr-FR'], ['Female']),
	voice('voice-lena-de', 'Lena', ['de-DE'], ['Female']),
];

/** The older guess at the voices' schema (`voiceShape: 'flat'`): id, name, language, gender. */
export const FLAT_VOICES = VOICES.map((v) => ({ id: v.name, name: `${v.displayName} (${v.languages[0]})`, language: v.languages[0], gender: v.genders[0].toLowerCase() }));

function stockActor(name: string, displayName: string, gender: 'Male' | 'Female', defaultVoice: string) {
	return {
		name,
		display_name: displayName,
		preview_url: `https://cdn.example/${name}.jpg`,
		version: 'v2',
		type: 'stock',
		gender,
		default_voice: defaultVoice,
		views: [{ name: 'default', preview_url: `https://cdn.example/${name}-default.jpg` }],
		features: ['gestures'],
	};
}

function voice(name: string, displayName: string, languages: string[], genders: string[]) {
	return {
		name,
		displayName,
		languages,
		genders,
		ages: ['Adult'],
		characters: ['Friendly'],
		isClonedVoice: false,
		sample: `https://cdn.example/voices/${name}.mp3`,
		scenarios: ['Education'],
		style: 'default',
		features: ['ssml'],
	};
}

/** An Instant Avatar made with `POST /assets/actors`. */
export interface InstantAvatar {
	name: string;
	displayName: string;
	sourceFileUrl: string;
	gender: 'Male' | 'Female';
	workspace: string;
}

/** Serves generated files at their public URLs, with no authentication, recording what it saw. */
export class ColossyanFileHost extends SimulatorServer {
	/** Whether a Range request gets 206 (false: the whole file again, 200). */
	honourRange = true;

	constructor(
		private readonly files: (videoId: string) => Job | undefined,
		/** The status a gone file answers (expired video or URL: the simulator's expiredStatus), or undefined. */
		private readonly goneStatus: (job: Job) => number | undefined = () => undefined,
	) {
		super();
	}

	protected route(request: SimRequest, reply: Reply): void {
		const [dir, file] = request.segments;
		const job = dir === 'videos' && file ? this.files(file.replace(/\.mp4$/, '')) : undefined;
		if (!job || request.method !== 'GET') return reply.json(404, { message: 'Not Found' });
		const gone = this.goneStatus(job);
		if (gone !== undefined) return reply.json(gone, { message: gone === 410 ? 'Gone' : 'Not Found' });
		const size = job.sizeBytes;
		reply.video(request, { seed: videoSeed(job.videoId), size, honourRange: this.honourRange });
	}
}

export interface ColossyanSimulatorOptions {
	/** How long a job takes from queue to end (simulated ms). */
	renderMs?: number;
	videoSizeBytes?: number;
	/**
	 * What an expired video (and an expired public URL) answers. Not published:
	 * 404 by default (a missing video), 410 Gone as the other reading.
	 */
	expiredStatus?: 404 | 410;
	/** How long a handed-out publicUrl works (simulated ms). The docs say "temporary" and no more; 1 hour here. */
	publicUrlTtlMs?: number;
	/** `GET /assets/voices`: 'connector' (displayName, languages[]; the default) or 'flat' (id, language, gender). */
	voiceShape?: 'connector' | 'flat';
	/** Asset lists bare (the docs) or wrapped as `{ data: [...] }` (pagination is not published). */
	assetLists?: 'bare' | 'wrapped';
	/** Whether `GET /assets/actors` lists the workspace's Instant Avatars (the docs: not by default). */
	listInstantAvatars?: boolean;
	/** What a DELETE (cancel, delete video) answers: 200 with no body (the default) or 200 `{ message }`. */
	deleteAnswer?: 'empty' | 'message';
	/**
	 * When a job calls back. Colossyan's docs: "When the job is successful our service will
	 * issue a POST request" (default `success`); `end`: failed jobs call back too (not published).
	 */
	callbackOn?: CallbackOn;
	/** Times (`creationDate`, `createdAt`) without an offset; their form is not published (default: the SIM_TIMES_WITHOUT_OFFSET env var). */
	timesWithoutOffset?: boolean;
	/** Whether the callback goes to the URL without its query string (not published either way; default false). */
	dropCallbackQuery?: boolean;
	/** How many more times a callback answered with a non-2xx status (or no answer) is sent (not published; default 0). */
	callbackRetries?: number;
}

export type CallbackOn = 'success' | 'end';

export class ColossyanSimulator extends SimulatorServer {
	readonly clock = new SimClock();

	readonly files = new ColossyanFileHost(
		(videoId) => this.finishedJobByVideo(videoId),
		(job) => this.fileGoneStatus(job),
	);

	readonly callbacks: CallbackDelivery[] = [];

	renderMs: number;

	videoSizeBytes: number;

	expiredStatus: 404 | 410;

	publicUrlTtlMs: number;

	voiceShape: 'connector' | 'flat';

	assetLists: 'bare' | 'wrapped';

	listInstantAvatars: boolean;

	deleteAnswer: 'empty' | 'message';

	/** Every Instant Avatar created, in creation order. */
	readonly instantAvatars: InstantAvatar[] = [];

	/** See ColossyanSimulatorOptions; can be switched at any time. */
	callbackOn: CallbackOn;

	dropCallbackQuery: boolean;

	timesWithoutOffset: boolean;

	callbackRetries: number;

	/** Rewrites a generated video as the API reports it (hostile ids and names in tests). */
	reportVideo: (view: Record<string, unknown>) => Record<string, unknown> = (view) => view;

	/** Decides how a new job ends. */
	outcomeOf: (job: Job) => 'finished' | 'failed' = () => 'finished';

	private readonly workspaces = new Map<string, string>();

	private readonly templates = new Map<string, { workspace: string; name: string }>();

	private readonly jobs = new Map<string, Job>();

	private readonly pendingCallbacks = new Set<Promise<void>>();

	private sweeper: NodeJS.Timeout | undefined;

	private nextId = 1;

	constructor(options: ColossyanSimulatorOptions = {}) {
		super();
		this.renderMs = options.renderMs ?? 2 * 60 * 1000;
		this.videoSizeBytes = options.videoSizeBytes ?? 64 * 1024;
		this.expiredStatus = options.expiredStatus ?? 404;
		this.publicUrlTtlMs = options.publicUrlTtlMs ?? 60 * 60 * 1000;
		this.voiceShape = options.voiceShape ?? 'connector';
		this.assetLists = options.assetLists ?? 'bare';
		this.listInstantAvatars = options.listInstantAvatars ?? false;
		this.deleteAnswer = options.deleteAnswer ?? 'empty';
		this.callbackOn = options.callbackOn ?? 'success';
		this.dropCallbackQuery = options.dropCallbackQuery ?? false;
		this.callbackRetries = options.callbackRetries ?? 0;
		this.timesWithoutOffset = options.timesWithoutOffset ?? process.env[TIMES_WITHOUT_OFFSET_ENV] === '1';
	}

	/** Makes a generated video expire: the API and its public URL answer `expiredStatus` from now on. */
	expireVideo(videoId: string): void {
		for (const job of this.jobs.values()) if (job.videoId === videoId) job.videoExpired = true;
	}

	/** A time as the API writes it: ISO in UTC, with or without the `Z`. */
	private time(at: number): string {
		const iso = this.clock.iso(at);
		return this.timesWithoutOffset ? iso.replace(/Z$/, '') : iso;
	}

	get apiUrl(): string {
		return `${this.baseUrl}${API_PREFIX}`;
	}

	async start(port = 0): Promise<string> {
		await this.files.start();
		const url = await super.start(port);
		this.sweeper ??= setInterval(() => this.sweep(), 20);
		return url;
	}

	async stop(): Promise<void> {
		clearInterval(this.sweeper);
		this.sweeper = undefined;
		await this.settleCallbacks();
		await Promise.all([super.stop(), this.files.stop()]);
	}

	addWorkspace(token: string, name = `workspace-${this.workspaces.size + 1}`): void {
		this.workspaces.set(token, name);
	}

	addTemplate(token: string, templateJobId: string, name: string): void {
		this.templates.set(templateJobId, { workspace: this.workspaces.get(token) ?? '', name });
	}

	job(id: string): Job | undefined {
		return this.jobs.get(id);
	}

	/** Every job created so far, in creation order. */
	allJobs(): Job[] {
		return [...this.jobs.values()];
	}

	/** Ends a job now with this outcome (its callback fires on the next sweep). */
	end(jobId: string, outcome: 'finished' | 'failed' = 'finished'): void {
		const job = this.jobs.get(jobId);
		if (job) Object.assign(job, { outcome, endsAt: this.clock.now() });
	}

	statusOf(job: Job, now = this.clock.now()): JobStatus {
		if (job.deleted) return 'deleted';
		if (now >= job.endsAt) return job.outcome;
		const fraction = (now - job.createdAt) / Math.max(1, job.endsAt - job.createdAt);
		let status: JobStatus = 'in_queue';
		for (const [from, phase] of PHASES) if (fraction >= from) status = phase;
		return status;
	}

	progressOf(job: Job, now = this.clock.now()): number {
		const status = this.statusOf(job, now);
		if (status === 'finished') return MAXIMUM_PROGRESS;
		if (status !== 'generating') return 0;
		const fraction = (now - job.createdAt) / Math.max(1, job.endsAt - job.createdAt);
		return Math.floor(((fraction - 0.35) / 0.65) * MAXIMUM_PROGRESS);
	}

	/** Waits until every callback already started has been answered. */
	async settleCallbacks(): Promise<void> {
		this.sweep();
		while (this.pendingCallbacks.size > 0) await Promise.all([...this.pendingCallbacks]);
	}

	protected route(request: SimRequest, reply: Reply): void {
		const [api, version, ...rest] = request.segments;
		if (`/${api}/${version}` !== API_PREFIX) return notFound(reply, 'Cannot find route');
		const workspace = this.workspaces.get(bearerToken(request.headers) ?? '');
		if (!workspace) return reply.json(401, { statusCode: 401, message: 'Unauthorized' });
		const path = rest.join('/');
		const { method } = request;

		if (method === 'GET' && path === 'assets/actors') return reply.json(200, this.assetList(this.actorsOf(workspace)));
		if (method === 'GET' && path === 'assets/voices') {
			return reply.json(200, this.assetList(this.voiceShape === 'flat' ? FLAT_VOICES : VOICES));
		}
		if (method === 'POST' && path === 'assets/actors') return this.createInstantAvatar(request, reply, workspace);
		if (method === 'POST' && path === 'video-generation-jobs') return this.createFromCreative(request, reply, workspace);
		if (method === 'POST' && path === 'video-generation-jobs/template-jobs') {
			return this.createFromTemplate(request, reply, workspace);
		}
		if (rest[0] === 'video-generation-jobs' && rest.length === 2) {
			const job = this.owned(rest[1], workspace);
			if (!job) return notFound(reply, `Video generation job ${rest[1]} not found`);
			if (method === 'GET') return reply.json(200, this.jobView(job));
			if (method === 'DELETE') {
				job.deleted = true;
				return this.deleted(reply, 'Video generation job deleted');
			}
		}
		if ((method === 'GET' || method === 'DELETE') && rest[0] === 'generated-videos' && rest.length === 2) {
			const job = [...this.jobs.values()].find((j) => j.videoId === rest[1] && j.workspace === workspace);
			if (!job || job.videoDeleted) return notFound(reply, `Generated video ${rest[1]} not found`);
			if (job.videoExpired) return this.expired(reply, rest[1]);
			if (method === 'DELETE') {
				job.videoDeleted = true;
				return this.deleted(reply, 'Generated video deleted');
			}
			const view = this.videoView(job);
			if (view.publicUrl) job.urlIssuedAt = this.clock.now();
			return reply.json(200, this.reportVideo(view));
		}
		return notFound(reply, 'Cannot find route');
	}

	private assetList(list: unknown[]): unknown {
		return this.assetLists === 'wrapped' ? { data: list } : list;
	}

	/** Stock avatars, then (only with listInstantAvatars) the workspace's Instant Avatars. */
	private actorsOf(workspace: string): unknown[] {
		if (!this.listInstantAvatars) return ACTORS;
		const instant = this.instantAvatars
			.filter((avatar) => avatar.workspace === workspace)
			.map((avatar) => ({ name: avatar.name, display_name: avatar.displayName, gender: avatar.gender, type: 'instant', preview_url: null, default_voice: null }));
		return [...ACTORS, ...instant];
	}

	/** Whether an actor track's avatar exists for this workspace (stock or its own Instant Avatar). */
	private knowsActor(actor: unknown, workspace: string): boolean {
		return (
			ACTORS.some((a) => a.name === actor) ||
			this.instantAvatars.some((avatar) => avatar.name === actor && avatar.workspace === workspace)
		);
	}

	private createInstantAvatar(request: SimRequest, reply: Reply, workspace: string): void {
		const body = (request.body ?? {}) as Record<string, unknown>;
		if (typeof body.displayName !== 'string' || body.displayName.trim() === '') {
			return badRequest(reply, 'displayName must be a non-empty string');
		}
		const problem = body.sourceFileUrl === undefined ? 'sourceFileUrl is required' : urlProblem(body.sourceFileUrl, 'sourceFileUrl');
		if (problem) return badRequest(reply, problem);
		if (body.gender !== 'Male' && body.gender !== 'Female') return badRequest(reply, 'gender must be one of Male, Female');
		const name = `instant_${(this.nextId++).toString(36).padStart(6, '0')}`;
		this.instantAvatars.push({ name, displayName: body.displayName, sourceFileUrl: String(body.sourceFileUrl), gender: body.gender, workspace });
		reply.json(201, { name });
	}

	private deleted(reply: Reply, message: string): void {
		if (this.deleteAnswer === 'message') return reply.json(200, { message });
		reply.empty(200);
	}

	private expired(reply: Reply, videoId: string): void {
		if (this.expiredStatus === 410) return reply.json(410, { statusCode: 410, message: `Generated video ${videoId} has expired`, error: 'Gone' });
		notFound(reply, `Generated video ${videoId} not found`);
	}

	/** A deleted video's file is gone (404); an expired video or URL answers expiredStatus. */
	private fileGoneStatus(job: Job): number | undefined {
		if (job.videoDeleted) return 404;
		const urlExpired = job.urlIssuedAt !== undefined && this.clock.now() >= job.urlIssuedAt + this.publicUrlTtlMs;
		return job.videoExpired || urlExpired ? this.expiredStatus : undefined;
	}

	protected malformedBodyError(): unknown {
		return { statusCode: 400, message: 'Unexpected token in JSON body', error: 'Bad Request' };
	}

	private createFromCreative(request: SimRequest, reply: Reply, workspace: string): void {
		const body = (request.body ?? {}) as Record<string, unknown>;
		const problem =
			creativeProblem(body.videoCreative) ??
			this.unknownActor(body.videoCreative, workspace) ??
			urlProblem(body.callback, 'callback');
		if (problem) return badRequest(reply, problem);
		const settings = (body.videoCreative as { settings?: { name?: unknown } }).settings;
		const job = this.addJob(workspace, 'creative', body, {
			name: typeof settings?.name === 'string' ? settings.name : '',
			callbackUrl: body.callback as string | undefined,
		});
		reply.json(200, { id: job.id, videoId: job.videoId });
	}

	private unknownActor(creative: unknown, workspace: string): string | undefined {
		const scenes = (creative as { scenes: Array<{ tracks: Array<Record<string, unknown>> }> }).scenes;
		for (const track of scenes.flatMap((scene) => scene.tracks)) {
			if (track.type === 'actor' && !this.knowsActor(track.actor, workspace)) return `Unknown actor ${String(track.actor)}`;
		}
		return undefined;
	}

	private createFromTemplate(request: SimRequest, reply: Reply, workspace: string): void {
		const body = (request.body ?? {}) as Record<string, unknown>;
		if (typeof body.templateJobId !== 'string' || body.templateJobId === '') {
			return badRequest(reply, 'templateJobId must be a non-empty string');
		}
		if (!isStringMap(body.dynamicVariables)) {
			return badRequest(reply, 'dynamicVariables must be an object of strings');
		}
		const problem = urlProblem(body.callbackUrl, 'callbackUrl');
		if (problem) return badRequest(reply, problem);
		const template = this.templates.get(body.templateJobId);
		if (!template || template.workspace !== workspace) {
			return notFound(reply, `Template job ${body.templateJobId} not found`);
		}
		const job = this.addJob(workspace, 'template', body, {
			name: template.name,
			callbackUrl: body.callbackUrl as string | undefined,
		});
		reply.json(200, { id: job.id, videoId: job.videoId });
	}

	private addJob(
		workspace: string,
		kind: Job['kind'],
		body: Record<string, unknown>,
		extra: { name: string; callbackUrl?: string },
	): Job {
		const n = this.nextId++;
		const now = this.clock.now();
		const job: Job = {
			id: `job_${n.toString(36).padStart(6, '0')}`,
			videoId: `vid_${n.toString(36).padStart(6, '0')}`,
			workspace,
			kind,
			request: body,
			name: extra.name,
			callbackUrl: extra.callbackUrl,
			callbackPayload: isObject(body.callbackPayload) ? body.callbackPayload : {},
			dynamicVariables: isStringMap(body.dynamicVariables) ? body.dynamicVariables : {},
			createdAt: now,
			endsAt: now + this.renderMs,
			outcome: 'finished',
			deleted: false,
			callbackSent: false,
			sizeBytes: this.videoSizeBytes,
		};
		job.outcome = this.outcomeOf(job);
		this.jobs.set(job.id, job);
		return job;
	}

	private jobView(job: Job): Record<string, unknown> {
		const now = this.clock.now();
		return {
			...job.request,
			id: job.id,
			videoId: job.videoId,
			status: this.statusOf(job, now),
			progress: this.progressOf(job, now),
			maximumProgress: MAXIMUM_PROGRESS,
			creationDate: this.time(job.createdAt),
			folderId: folderOf(job.workspace),
			isAPIGenerated: true,
			userId: userOf(job.workspace),
		};
	}

	private videoView(job: Job): Record<string, unknown> {
		const finished = this.statusOf(job) === 'finished';
		return {
			id: job.videoId,
			jobId: job.id,
			publicUrl: finished ? this.publicUrl(job) : null,
			thumbnailUrl: finished ? `${this.files.baseUrl}/thumbnails/${job.videoId}.jpg` : null,
			name: job.name,
			createdAt: this.time(job.createdAt),
			videoSizeBytes: finished ? job.sizeBytes : null,
			videoDurationSeconds: finished ? 12.5 : null,
			shareId: `share_${job.videoId}`,
			folderId: folderOf(job.workspace),
			key: `videos/${job.videoId}.mp4`,
			userId: userOf(job.workspace),
			vttSubtitleString: finished ? subtitlesOf(job) : null,
		};
	}

	private publicUrl(job: Job): string {
		return `${this.files.baseUrl}/videos/${job.videoId}.mp4`;
	}

	private finishedJobByVideo(videoId: string): Job | undefined {
		const job = [...this.jobs.values()].find((j) => j.videoId === videoId);
		return job && this.statusOf(job) === 'finished' ? job : undefined;
	}

	private owned(jobId: string, workspace: string): Job | undefined {
		const job = this.jobs.get(jobId);
		return job && job.workspace === workspace ? job : undefined;
	}

	/**
	 * Fires the callback of every job that has ended and has not called back yet; a
	 * failed job only when `callbackOn` is `end` (it never calls back otherwise).
	 */
	private sweep(): void {
		const now = this.clock.now();
		for (const job of this.jobs.values()) {
			if (job.callbackSent || job.deleted || !job.callbackUrl || now < job.endsAt) continue;
			job.callbackSent = true;
			if (job.outcome !== 'finished' && this.callbackOn === 'success') continue;
			const delivery = this.deliver(job);
			this.pendingCallbacks.add(delivery);
			void delivery.finally(() => this.pendingCallbacks.delete(delivery));
		}
	}

	private async deliver(job: Job): Promise<void> {
		const status = this.statusOf(job);
		const body = {
			...job.dynamicVariables,
			...job.callbackPayload,
			status,
			url: status === 'finished' ? this.publicUrl(job) : null,
			videoUrl: `https://app.colossyan.example/share/${job.videoId}`,
			shareUrl: `https://app.colossyan.example/share/${job.videoId}`,
		};
		if (status === 'finished') job.urlIssuedAt = this.clock.now();
		const url = this.dropCallbackQuery ? (job.callbackUrl as string).split('?')[0] : (job.callbackUrl as string);
		for (let attempt = 0; attempt <= this.callbackRetries; attempt++) {
			const record: CallbackDelivery = { url, body, status: 'error' };
			this.callbacks.push(record);
			record.status = await postJson(url, body);
			if (typeof record.status === 'number' && record.status >= 200 && record.status < 300) return;
		}
	}
}

function folderOf(workspace: string): string {
	return `folder_${workspace}`;
}

function userOf(workspace: string): string {
	return `user_${workspace}`;
}

/** WebVTT subtitles of the job's script (the actor tracks' text), one cue per track. */
export function subtitlesOf(job: Pick<Job, 'request' | 'name'>): string {
	const creative = job.request.videoCreative as { scenes?: Array<{ tracks?: Array<{ type?: string; text?: string }> }> } | undefined;
	const lines = (creative?.scenes ?? []).flatMap((scene) => scene.tracks ?? []).filter((t) => t.type === 'actor').map((t) => String(t.text));
	const cues = (lines.length > 0 ? lines : [job.name]).map((line, i) => `${i + 1}\n00:00:0${i}.000 --> 00:00:0${i + 1}.000\n${line}`);
	return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

export function videoSeed(videoId: string): string {
	return `colossyan-${videoId}`;
}

function postJson(url: string, body: unknown): Promise<number | 'error'> {
	const text = JSON.stringify(body);
	return new Promise((resolve) => {
		const req = httpRequest(
			url,
			{ method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			},
		);
		req.on('error', () => resolve('error'));
		req.end(text);
	});
}

function creativeProblem(creative: unknown): string | undefined {
	if (!isObject(creative)) return 'videoCreative must be an object';
	const scenes = creative.scenes;
	if (!Array.isArray(scenes) || scenes.length === 0) return 'videoCreative.scenes must be a non-empty array';
	for (const [index, scene] of scenes.entries()) {
		if (!isObject(scene) || !Array.isArray(scene.tracks)) return `videoCreative.scenes[${index}].tracks must be an array`;
		for (const track of scene.tracks as unknown[]) {
			if (!isObject(track) || !TRACK_TYPES.includes(track.type as string)) {
				return `videoCreative.scenes[${index}].tracks[].type must be one of ${TRACK_TYPES.join(', ')}`;
			}
			if (track.type === 'actor' && (typeof track.text !== 'string' || track.text.trim() === '')) {
				return `videoCreative.scenes[${index}] actor track needs a non-empty text`;
			}
		}
	}
	return undefined;
}

function urlProblem(value: unknown, field: string): string | undefined {
	if (value === undefined) return undefined;
	try {
		const url = new URL(String(value));
		return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `${field} must be an http(s) URL`;
	} catch {
		return `${field} must be an http(s) URL`;
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isStringMap(value: unknown): value is Record<string, string> {
	return isObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

function badRequest(reply: Reply, message: string): void {
	reply.json(400, { statusCode: 400, message, error: 'Bad Request' });
}

function notFound(reply: Reply, message: string): void {
	reply.json(404, { statusCode: 404, message, error: 'Not Found' });
}
