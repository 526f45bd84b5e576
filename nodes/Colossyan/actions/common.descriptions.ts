import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { waitFields as sharedWaitFields } from '../../shared/descriptions';
import { JOB_POLL } from '../helpers/types';

export { binaryPropertyOption, optionsCollection } from '../../shared/descriptions';

export const waitFields = (show: IDisplayOptions['show']): INodeProperties[] =>
	sharedWaitFields(show, {
		what: 'videos',
		...JOB_POLL,
		typicalDuration: 'a few minutes per video',
		intervalAdvice: 'How soon to check the first time',
	});

/** Job ID or video ID: Download, Get Video and Download Zip accept either. */
export const idTypeField: INodeProperties = {
	displayName: 'ID Type',
	name: 'idType',
	type: 'options',
	options: [
		{ name: 'Job ID', value: 'job', description: 'The "jobId" that Generate outputs' },
		{ name: 'Video ID', value: 'video', description: 'The "videoId" that Generate outputs' },
	],
	default: 'job',
};

/** Get Status and Cancel: one job. */
export const jobIdField: INodeProperties = {
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	required: true,
	default: '={{ $json.jobId }}',
	description: 'The ID of the video generation job, as Generate outputs it in "jobId"',
};

/** Get Video and Download: a job or video id. */
export const videoIdFields: INodeProperties[] = [
	idTypeField,
	{
		displayName: 'Job or Video ID',
		name: 'id',
		type: 'string',
		required: true,
		default: '={{ $json.jobId }}',
		description: 'The job ID or video ID, as chosen in ID Type',
	},
];
