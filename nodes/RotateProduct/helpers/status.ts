/**
 * RotateProduct's docs use three vocabularies for one lifecycle (polling page:
 * rotating/completed/failed; status page: processing/succeeded/failed;
 * lifecycle page: starting/rotating/successful/failed/canceled). Everything
 * downstream works with the normalised state.
 */
import type { IDataObject } from 'n8n-workflow';

import { isoServerTime } from '../../shared/time';
import type { JobState } from '../../shared/state';
import type { GenerationSummary } from './types';

const DONE = new Set(['completed', 'succeeded', 'successful']);
const FAILED = new Set(['failed', 'canceled', 'cancelled']);

export function generationState(status: unknown): JobState {
	const word = typeof status === 'string' ? status.toLowerCase() : '';
	if (DONE.has(word)) return 'done';
	if (FAILED.has(word)) return 'failed';
	return 'running';
}

export function isSettled(generation: GenerationSummary): boolean {
	return generationState(generation.status) !== 'running';
}

/** The item a node outputs for a generation: stable camelCase names plus the raw status. */
export function generationJson(generation: GenerationSummary): IDataObject {
	return {
		id: generation.id,
		externalId: generation.external_id ?? null,
		state: generationState(generation.status),
		status: generation.status,
		createdAt: isoServerTime(generation.created_at),
		updatedAt: isoServerTime(generation.updated_at),
	};
}
