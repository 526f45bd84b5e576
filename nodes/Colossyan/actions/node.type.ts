import type { AllEntities, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ChecksFirst } from '../../shared/items';

export type NodeMap = {
	job: 'generate' | 'getStatus' | 'cancel';
	video: 'delete' | 'download' | 'downloadZip' | 'get';
	asset: 'createInstantAvatar' | 'listAvatars' | 'listVoices';
};

export type ColossyanType = AllEntities<NodeMap>;

/**
 * What an operation module exports. One that spends money or cannot be undone
 * has no `execute`: only `checksFirst` (shared/items.ts), so every item is
 * checked before the first request, and a new one cannot skip that.
 */
export type Operation =
	| { effect: 'read'; execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> }
	| { effect: 'paid' | 'destructive'; checksFirst: ChecksFirst };

export type Operations = { [Resource in keyof NodeMap]: Record<NodeMap[Resource], Operation> };
