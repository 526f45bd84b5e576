/** Fields both nodes show the same way. */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { PollDefaults } from './waiting';

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	hint: 'The name of the output binary field to put the file in',
};

export interface WaitDefaults extends PollDefaults {
	/** What finishes, e.g. `generations`, `videos`. */
	what: string;
	/** What the service says a job takes, e.g. `about 3 minutes`. */
	typicalDuration: string;
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

/**
 * How long a request may wait for an answer, and a download for its next bytes:
 * two entries of every operation's and trigger's Options, read by the shared
 * transport in every context (http/timeouts.ts); unset, the defaults apply.
 */
export const timeoutOptions: INodeProperties[] = [
	{
		displayName: 'Response Timeout (Seconds)',
		name: 'responseTimeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 60,
		description:
			'How long to wait for the service to start answering a request. A read that times out is retried; a request that spends credits is not (it may have been processed).',
	},
	{
		displayName: 'Stall Timeout (Seconds)',
		name: 'stallTimeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 60,
		description: 'How long a download may go without receiving any data before it fails. Nothing is saved from a stalled download.',
	},
];

/** The Options collection, last in every operation as in n8n's own nodes: `entries` plus the request timeouts, by name. */
export const optionsCollection = (entries: INodeProperties[] = []): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [...entries, ...timeoutOptions].sort((a, b) => a.displayName.localeCompare(b.displayName)),
});
