/** RotateProduct's JSON shapes (API-CONTRACT.md). */
import type { PollDefaults } from '../../shared/waiting';

/** Waiting for generations: RotateProduct recommends checking every 5–10 seconds; a video takes about 3 minutes. */
export const GENERATION_POLL: PollDefaults = { firstIntervalSeconds: 5, timeoutMinutes: 10 };

export interface GenerationSummary {
	id: number;
	external_id?: string | null;
	status: string;
	created_at?: string;
	updated_at?: string;
	user_id?: string;
}

export interface BulkGenerateResponse {
	success: boolean;
	data: {
		generations: GenerationSummary[];
		/** `id`: "the index of the failure" (the item's index in the request, or the failure's ordinal: helpers/pairing.ts reads both). */
		failedGenerations?: Array<{ id: string; error: string }>;
	};
}

export interface GenerationList {
	page: number;
	pageSize: number;
	total: number;
	generations: GenerationSummary[];
}

export interface Credits {
	userId: string;
	credits: number;
}

/** A type, not an interface: it is sent as a JSON body (IDataObject) without a cast. */
export type GenerationRequestItem = {
	imageUrl: string;
	endImageUrl?: string;
	description?: string;
	externalId?: string;
};

/** The published price of one generation (API-CONTRACT.md: 5 credits per generation). */
export const CREDITS_PER_GENERATION = 5;
export const MAX_GENERATIONS_PER_REQUEST = 600;
/** RotateProduct keeps a generation's video for 1 hour after creation (server time). */
export const VIDEO_RETENTION_MS = 60 * 60 * 1000;
export const MAX_IDS_PER_ZIP = 100;
export const MAX_PAGE_SIZE = 100;
