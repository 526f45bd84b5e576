import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { waitFields as sharedWaitFields } from '../../shared/descriptions';

export { binaryPropertyOption } from '../../shared/descriptions';

export const waitFields = (show: IDisplayOptions['show']): INodeProperties[] =>
	sharedWaitFields(show, {
		what: 'generations',
		timeoutMinutes: 10,
		typicalDuration: 'about 3 minutes',
		firstIntervalSeconds: 5,
		intervalAdvice: 'RotateProduct recommends checking every 5–10 seconds',
	});
