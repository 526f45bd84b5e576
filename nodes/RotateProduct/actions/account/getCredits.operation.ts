import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import type { Credits } from '../../helpers/types';
import { rotateProductJson } from '../../transport';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const credits = await rotateProductJson<Credits>(this, { method: 'GET', path: '/credits', itemIndex });
		return { json: { userId: credits.userId, credits: credits.credits, generationsAffordable: Math.floor(credits.credits / 5) } };
	});
}
