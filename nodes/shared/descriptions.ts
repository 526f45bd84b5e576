/** Fields both nodes show the same way. */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	hint: 'The name of the output binary field to put the file in',
};

export interface WaitDefaults {
	/** What finishes, e.g. `generations`, `videos`. */
	what: string;
	timeoutMinutes: number;
	/** What the service says a job takes, e.g. `about 3 minutes`. */
	typicalDuration: string;
	firstIntervalSeconds: number;
	/** Where the first interval comes from, e.g. `RotateProduct recommends checking every 5–10 seconds`. */
	intervalAdvice: string;
}

/** Timeout and first interval of a "wait for completion" step; the interval grows by half each round. */
export const waitFields = (show: IDisplayOptions['show'], defaults: WaitDefaults): INodeProperties[] => {
	const [timeout, interval] = waitFieldTemplates(show, defaults);
	return [
		{ ...timeout, default: defaults.timeoutMinutes },
		{ ...interval, default: defaults.firstIntervalSeconds },
	];
};

const waitFieldTemplates = (show: IDisplayOptions['show'], defaults: WaitDefaults): INodeProperties[] => [
	{
		displayName: 'Timeout (Minutes)',
		name: 'waitTimeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 10,
		description: `How long to wait for the ${defaults.what} to finish. It takes ${defaults.typicalDuration}; those still running then are output with their status.`,
		displayOptions: { show },
	},
	{
		displayName: 'First Check After (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 5,
		description: `${defaults.intervalAdvice}; the interval then grows by half each round (up to a minute)`,
		displayOptions: { show },
	},
];
