import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	job: 'generate' | 'getStatus' | 'cancel';
	video: 'download' | 'downloadZip' | 'get';
	asset: 'listAvatars' | 'listVoices';
};

export type ColossyanType = AllEntities<NodeMap>;
