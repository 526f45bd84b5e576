/** List Avatars: one item per avatar of the workspace. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { listAssets } from '../../helpers/api';
import { optionsCollection } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['asset'], operation: ['listAvatars'] } }, [optionsCollection()]);

export const effect = 'read';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async () => (await listAssets(this, 'actors')).map((json) => ({ json })));
}
