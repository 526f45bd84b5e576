/** Which generations a trigger reports: by event, and optionally by external id. */
import type { IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { GenerationSummary } from '../helpers/types';

export type TriggerEvent = 'completed' | 'failed' | 'created';

export interface TriggerFilter {
	events: Set<TriggerEvent>;
	matches: (generation: GenerationSummary) => boolean;
}

export function readFilter(context: IPollFunctions): TriggerFilter {
	const events = new Set(context.getNodeParameter('events', ['completed']) as TriggerEvent[]);
	const filters = context.getNodeParameter('filters', {}) as { externalIdPrefix?: string; externalIdPattern?: string };
	const prefix = filters.externalIdPrefix ?? '';
	const pattern = compile(context, filters.externalIdPattern ?? '');
	return {
		events,
		matches: (generation) => {
			if (prefix === '' && !pattern) return true;
			const externalId = generation.external_id ?? '';
			return externalId.startsWith(prefix) && (!pattern || pattern.test(externalId));
		},
	};
}

function compile(context: IPollFunctions, source: string): RegExp | undefined {
	if (source === '') return undefined;
	try {
		return new RegExp(source);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), `External ID Pattern is not a valid regular expression: ${(error as Error).message}`, {
			description: 'Write a JavaScript regular expression without slashes, e.g. ^shop-a-\\d+$',
		});
	}
}
