/** Colossyan's objects as API-CONTRACT.md describes them (fields not published are optional). */
import type { IDataObject } from 'n8n-workflow';

import type { PollDefaults } from '../../shared/waiting';

/** Waiting for jobs: a video takes a few minutes. */
export const JOB_POLL: PollDefaults = { firstIntervalSeconds: 10, timeoutMinutes: 15 };

export type JobStatus =
	| 'in_queue'
	| 'preprocessing'
	| 'preprocessing_finished'
	| 'generating'
	| 'finished'
	| 'failed'
	| 'deleted';

/** A status the contract does not list yet: passed on as it comes, typed apart so JobStatus's names are still checked. */
export type UnlistedStatus = string & { readonly unlisted?: never };

/** `POST /video-generation-jobs` and `/template-jobs` answer with both ids. */
export interface CreatedJob {
	id: string;
	videoId: string;
}

/** `GET /video-generation-jobs/:id`: the status fields plus the job itself. */
export interface VideoJob extends IDataObject {
	id: string;
	videoId?: string;
	status: JobStatus | UnlistedStatus;
	progress?: number;
	maximumProgress?: number;
	/** When the job was created; the docs show no time zone, so it is read by shared/time.ts. */
	creationDate?: string;
}

/**
 * `GET /generated-videos/:id`. `publicUrl` is where the file is, without
 * authentication, and it is temporary: download it, do not store it.
 */
export interface GeneratedVideo extends IDataObject {
	id: string;
	jobId?: string;
	publicUrl?: string | null;
	thumbnailUrl?: string | null;
	name?: string;
	createdAt?: string;
	videoSizeBytes?: number | null;
	videoDurationSeconds?: number | null;
	shareId?: string;
	folderId?: string;
	key?: string;
	userId?: string;
	/** The subtitles, as WebVTT text. */
	vttSubtitleString?: string | null;
}

/** An entry of `GET /assets/actors`. */
export interface Avatar extends IDataObject {
	name: string;
	display_name?: string;
	gender?: string;
	default_voice?: string;
}

/**
 * An entry of `GET /assets/voices` (no official schema). Real answers:
 * `{ name, displayName, languages[], genders[], ... }` with `name` the speakerId;
 * an older guess (`id`, `language`, `gender`) is still read.
 */
export interface Voice extends IDataObject {
	name?: string;
	displayName?: string;
	languages?: string[];
	genders?: string[];
	id?: string;
	language?: string;
	gender?: string;
}

/** Instant Avatar genders, as `POST /assets/actors` takes them. */
export const AVATAR_GENDERS = ['Male', 'Female'] as const;
export type AvatarGender = (typeof AVATAR_GENDERS)[number];

/** `POST /assets/actors` answers 201 `{ name }`: the avatar's identifier for Generate's `actor`. */
export interface CreatedAvatar {
	name: string;
}
