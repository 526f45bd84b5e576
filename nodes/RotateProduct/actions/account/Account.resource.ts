import type { INodeProperties } from 'n8n-workflow';

import * as getCredits from './getCredits.operation';

export { getCredits };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get Credits',
				value: 'getCredits',
				description: 'Get the credits left on the account (5 per generation)',
				action: 'Get credits',
			},
		],
		default: 'getCredits',
	},
	...getCredits.description,
];
