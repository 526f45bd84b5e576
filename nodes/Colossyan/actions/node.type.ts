import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	job: 'generate' | 'getStatus' | 'cancel';
	video: 'delete' | 'download' | 'downloadZip' | 'get';
	asset: 'createInstantAvatar' | 'listAvatars' | 'listVoices';
};

export type ColossyanType = AllEntities<NodeMap>;
