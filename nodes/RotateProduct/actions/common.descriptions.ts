import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { waitFields as sharedWaitFields } from '../../shared/descriptions';
import { GENERATION_POLL } from '../helpers/types';

export { binaryPropertyOption, optionsCollection } from '../../shared/descriptions';

export const waitFields = (show: IDisplayOptions['show']): INodeProperties[] =>
	sharedWaitFields(show, {
		what: 'generations',
		...GENERATION_POLL,
		typicalDuration: 'about 3 minutes',
		intervalAdvice: 'RotateProduct recommends checking every 5–10 seconds',
	});

/** Get Status and Download Video: one generation. */
export const generationIdField: INodeProperties = {
	displayName: 'Generation ID',
	name: 'generationId',
	type: 'string',
	required: true,
	default: '={{ $json.id }}',
	description: 'The ID of a generation, as returned by Generate or Get Many',
};
