import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	hint: 'The name of the output binary field to put the file in',
};

export const waitFields = (show: IDisplayOptions['show']): INodeProperties[] => [
	{
		displayName: 'Timeout (Minutes)',
		name: 'waitTimeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 10,
		description:
			'How long to wait for the generations to finish. Generation takes about 3 minutes; those still running then are output with their status.',
		displayOptions: { show },
	},
	{
		displayName: 'First Check After (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 5,
		description:
			'RotateProduct recommends checking every 5–10 seconds; the interval then grows by half each round (up to a minute)',
		displayOptions: { show },
	},
];
