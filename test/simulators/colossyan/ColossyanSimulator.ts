/**
 * A faithful Colossyan API (API-CONTRACT.md, colossyan-receiving-video.txt) on
 * 127.0.0.1: workspaces by bearer token, jobs from a video creative or a
 * template, the documented job status machine with progress, generated-video
 * details whose publicUrl points at a separate, unauthenticated file host,
 * cancel, avatars and voices, and real callback POSTs when a job ends.
 */
import { request as httpRequest } from 'node:http';

import { SimClock } from '../common/clock';
import type { Reply, SimRequest } from '../common/server';
import { bearerToken, SimulatorServer } from '../common/server';

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
}

export interface CallbackDelivery {
	url: string;
	body: Record<string, unknown>;
	status: number | 'error';
}

export const ACTORS = [
	{ name: 'karen', display_name: 'Karen', preview_url: 'https://cdn.example/karen.jpg', gender: 'female', default_voice: 'voice-karen-en' },
	{ name: 'nathan', display_name: 'Nathan', preview_url: 'https://cdn.example/nathan.jpg', gender: 'male', default_voice: 'voice-nathan-en' },
	{ name: 'amara', display_name: 'Amara', preview_url: 'https://cdn.example/amara.jpg', gender: 'female', default_voice: 'voice-amara-en' },
];

export const VOICES = [
	{ id: 'voice-karen-en', name: 'Karen (English, US)', language: 'en-US', gender: 'female' },
	{ id: 'voice-nathan-en', name: 'Nathan (English, UK)', language: 'en-GB', gender: 'male' },
	{ id: 'voice-amara-en', name: 'Amara (English, US)', language: 'en-US', gender: 'female' },
	{ id: 'voice-lena-de', name: 'Lena (German)', language: 'de-DE', gender: 'female' },
];

/** Serves generated files at their public URLs, with no authentication, recording what it saw. */
export class ColossyanFileHost extends SimulatorServer {
	/** Whether a Range request gets 206 (false: the whole file again, 200). */
	honourRange = true;

	constructor(private readonly files: (videoId: string) => Job | undefined) {
		super();
	}

	protected route(request: SimRequest, reply: Reply): void {
		const [dir, file] = request.segments;
		const job = dir === 'videos' && file ? this.files(file.replace(/\.mp4$/, '')) : undefined;
		if (!job || request.method !== 'GET') return reply.json(404, { message: 'Not Found' });
		const size = job.sizeBytes;
		reply.video(request, { seed: videoSeed(job.videoId), size, honourRange: this.honourRange });
	}
}

export interface ColossyanSimulatorOptions {
	/** How long a job takes from queue to end (simulated ms). */
	renderMs?: number;
	videoSizeBytes?: number;
}

export class ColossyanSimulator extends SimulatorServer {
	readonly clock = new SimClock();

	readonly files = new ColossyanFileHost((videoId) => this.finishedJobByVideo(videoId));

	readonly callbacks: CallbackDelivery[] = [];

	renderMs: number;

	videoSizeBytes: number;

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

		if (method === 'GET' && path === 'assets/actors') return reply.json(200, ACTORS);
		if (method === 'GET' && path === 'assets/voices') return reply.json(200, VOICES);
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
				return reply.empty(200);
			}
		}
		if (method === 'GET' && rest[0] === 'generated-videos' && rest.length === 2) {
			const job = [...this.jobs.values()].find((j) => j.videoId === rest[1] && j.workspace === workspace);
			if (!job) return notFound(reply, `Generated video ${rest[1]} not found`);
			return reply.json(200, this.reportVideo(this.videoView(job)));
		}
		return notFound(reply, 'Cannot find route');
	}

	protected malformedBodyError(): unknown {
		return { statusCode: 400, message: 'Unexpected token in JSON body', error: 'Bad Request' };
	}

	private createFromCreative(request: SimRequest, reply: Reply, workspace: string): void {
		const body = (request.body ?? {}) as Record<string, unknown>;
		const problem = creativeProblem(body.videoCreative) ?? urlProblem(body.callback, 'callback');
		if (problem) return badRequest(reply, problem);
		const settings = (body.videoCreative as { settings?: { name?: unknown } }).settings;
		const job = this.addJob(workspace, 'creative', body, {
			name: typeof settings?.name === 'string' ? settings.name : '',
			callbackUrl: body.callback as string | undefined,
		});
		reply.json(200, { id: job.id, videoId: job.videoId });
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
			createdAt: this.clock.iso(job.createdAt),
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
			createdAt: this.clock.iso(job.createdAt),
			videoSizeBytes: finished ? job.sizeBytes : null,
			videoDurationSeconds: finished ? 12.5 : null,
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

	/** Fires the callback of every job that has ended and has not called back yet. */
	private sweep(): void {
		const now = this.clock.now();
		for (const job of this.jobs.values()) {
			if (job.callbackSent || job.deleted || !job.callbackUrl || now < job.endsAt) continue;
			job.callbackSent = true;
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
		const url = job.callbackUrl as string;
		const record: CallbackDelivery = { url, body, status: 'error' };
		this.callbacks.push(record);
		record.status = await postJson(url, body);
	}
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
