import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { binaryPropertyOption, timeoutOptions } from '../shared/descriptions';
import { DEFAULT_MAX_DOWNLOADS } from './trigger/outbox';
import { pollGenerations } from './trigger/poll';

export class RotateProductTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RotateProduct Trigger',
		name: 'rotateProductTrigger',
		icon: { light: 'file:rotateProduct.svg', dark: 'file:rotateProduct.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "On " + $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when RotateProduct generations finish or fail (checks on a schedule)',
		defaults: { name: 'RotateProduct Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'rotateProductApi', required: true }],
		properties: [
			{
				displayName:
					'RotateProduct has no webhooks, so this trigger checks the generation list on the schedule below. Each generation is reported once per event; the first activation starts from now.',
				name: 'pollingNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Generation Completed', value: 'completed', description: 'The video is ready to download (for 1 hour)' },
					{ name: 'Generation Created', value: 'created', description: 'A new generation appeared in the account' },
					{ name: 'Generation Failed', value: 'failed', description: 'The generation failed or was canceled' },
				],
				default: ['completed'],
				required: true,
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'External ID Starts With',
						name: 'externalIdPrefix',
						type: 'string',
						default: '',
						placeholder: 'shop-a-',
						description: 'Only generations whose external ID starts with this text, so one account can feed several workflows',
					},
					{
						displayName: 'External ID Matches',
						name: 'externalIdPattern',
						type: 'string',
						default: '',
						placeholder: '^sku-\\d+$',
						description: 'Only generations whose external ID matches this regular expression',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Download Video',
						name: 'downloadVideo',
						type: 'boolean',
						default: false,
						description: 'Whether to attach the mp4 of each completed generation as binary data',
					},
					{
						displayName: 'Include Recent on First Run (Minutes)',
						name: 'includeRecentMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'On the first activation, also report generations created this many minutes before it (from the newest page). 0: start from now.',
					},
					{
						displayName: 'Max Downloads Per Poll',
						name: 'maxDownloadsPerPoll',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_MAX_DOWNLOADS,
						description:
							'Used with Download Video: at most this many videos are downloaded per check (and none is started 40 seconds into it); the rest of a backlog is reported, in order, by the next checks',
					},
					// The shared field (same name, so saved workflows keep their value); no displayOptions inside a collection.
					{ ...binaryPropertyOption, description: 'Used with Download Video' },
					...timeoutOptions,
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollGenerations(this);
	}
}
