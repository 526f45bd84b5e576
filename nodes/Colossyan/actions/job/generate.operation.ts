/**
 * Generate: one Colossyan job per input item, from an avatar and a script, a
 * template, or a raw video creative. Every item is checked before the first
 * paid request; jobs created before a later failure are never lost: they are
 * output, or named in the error.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ChecksFirst } from '../../../shared/items';
import { checkedFirst, inItemOrder } from '../../../shared/items';
import { pausedOutputOf } from '../../../shared/paidLedger';
import type { PreparedJob } from '../../helpers/createJobs';
import { createJobs, createdJobOutput, jobRequestChecker } from '../../helpers/createJobs';
import { finishJobs } from '../../helpers/finishJobs';
import { allEndedAlready, callbackUrls, hiddenWhenCalledBack, pauseUntilCallbacks, waitMethodField, waitsForCallback } from '../../webhook/pause';
import { binaryPropertyOption, optionsCollection, waitFields } from '../common.descriptions';
import { generateFields, generateOptions } from './generate.fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['generate'] } },
	[
		...generateFields,
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description: 'Whether to wait until each video is finished or failed before the node outputs its items',
		},
		waitMethodField,
		...hiddenWhenCalledBack(waitFields({ waitForCompletion: [true] })),
		{
			displayName: 'Download Video',
			name: 'downloadVideo',
			type: 'boolean',
			default: false,
			description: 'Whether to attach each finished video to its item as binary data',
			displayOptions: { show: { waitForCompletion: [true] } },
		},
		{ ...binaryPropertyOption, displayOptions: { show: { waitForCompletion: [true], downloadVideo: [true] } } },
		optionsCollection(generateOptions),
	] satisfies INodeProperties[],
);

export const effect = 'paid';

/** Every item's request is built and checked before the first job is created (shared/items.ts). */
const createChecked = checkedFirst({ checker: jobRequestChecker, act: createAndWait });

export const checksFirst: ChecksFirst = {
	async run(context) {
		// n8n's Retry On Fail of a run that already paused: the same output, nothing sent again.
		return pausedOutputOf(context) ?? (await createChecked.run(context));
	},
};

async function createAndWait(context: IExecuteFunctions, prepared: PreparedJob[], checkErrors: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const callback = waitsForCallback(context) ? await callbackUrls(context) : undefined;
	const { created, errorItems } = await createJobs(context, prepared, callback);
	const failed = [...checkErrors, ...errorItems];
	if (callback && created.length > 0 && !(await allEndedAlready(context, created))) {
		return await pauseUntilCallbacks(context, created, failed);
	}
	const finished =
		created.length > 0 && (context.getNodeParameter('waitForCompletion', 0, false) as boolean)
			? await finishJobs(context, created)
			: created.map(createdJobOutput);
	return inItemOrder([...failed, ...finished]);
}
