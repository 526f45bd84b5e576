import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	generation: 'generate' | 'getStatus' | 'downloadVideo' | 'downloadZip' | 'list';
	account: 'getCredits';
};

export type RotateProductType = AllEntities<NodeMap>;
