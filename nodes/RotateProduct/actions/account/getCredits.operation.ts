import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import type { Credits } from '../../helpers/types';
import { rotateProductJson } from '../../transport';
import { optionsCollection } from '../common.descriptions';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['account'], operation: ['getCredits'] } }, [
	optionsCollection(),
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const credits = await rotateProductJson<Credits>(this, { method: 'GET', path: '/credits', itemIndex });
		return { json: { userId: credits.userId, credits: credits.credits, generationsAffordable: Math.floor(credits.credits / 5) } };
	});
}
