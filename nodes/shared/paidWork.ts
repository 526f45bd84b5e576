/**
 * Paid work that was created must never be lost to a later failure (a status
 * read, the wait, a download, a cancel): the error names every created id with
 * its item, so the user can find them instead of paying for them again.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { ManualExecutionCancelledError, NodeOperationError } from 'n8n-workflow';

import { errorItem, messageOf } from './items';

export interface CreatedWork {
	itemIndex: number;
	id: string | number;
}

/** Whether the execution was cancelled (then nothing more is output: the cancel itself names the work). */
export function isCancelled(context: IExecuteFunctions): boolean {
	return context.getExecutionCancelSignal()?.aborted === true;
}

/** "item 0: generation 12, item 1: generation 13" */
export function createdList(created: CreatedWork[], noun: string): string {
	return created.length === 0 ? 'none' : created.map((c) => `item ${c.itemIndex}: ${noun} ${c.id}`).join(', ');
}

/**
 * The error for a step that failed after paid work was created. `howToCheck`
 * says where the user finds the created work (e.g. "Check them with Get Status").
 */
export function failedAfterCreation(
	context: IExecuteFunctions,
	error: unknown,
	created: CreatedWork[],
	options: {
		noun: string;
		step: string;
		howToCheck: string;
		itemIndex?: number;
	},
): Error {
	const { noun, step, howToCheck } = options;
	if (isCancelled(context)) return cancelledAfterCreation(context, created, noun, howToCheck);
	const cause = (error as { description?: unknown } | undefined)?.description;
	return new NodeOperationError(
		context.getNode(),
		`${step} failed after ${created.length} ${noun}${created.length === 1 ? ' was' : 's were'} created: ${messageOf(error)}`,
		{
			itemIndex: options.itemIndex ?? created[0]?.itemIndex,
			description: [
				`Created and paid (not lost, do not create them again): ${createdList(created, noun)}.`,
				howToCheck,
				'Turn on "Continue On Fail" to get every created item as output with its state.',
				typeof cause === 'string' && cause !== '' ? `(${cause})` : '',
			]
				.filter(Boolean)
				.join(' '),
		},
	);
}

/**
 * A cancel stays a cancel (n8n shows the execution as cancelled), but it names
 * the created work too, and logs it: n8n saves a cancelled execution's data at
 * the moment of the cancel, so the log is where it is sure to be kept.
 */
function cancelledAfterCreation(
	context: IExecuteFunctions,
	created: CreatedWork[],
	noun: string,
	howToCheck: string,
): Error {
	const description = `The execution was cancelled after ${created.length} ${noun}${created.length === 1 ? ' was' : 's were'} created and paid (not lost, do not create them again): ${createdList(created, noun)}. ${howToCheck}`;
	context.logger.warn(description, { node: context.getNode().name });
	const error = new ManualExecutionCancelledError(context.getExecutionId());
	error.description = description;
	return error;
}

/**
 * The error item of created work whose later step failed: `json` keeps its id and
 * state, and the message names the id too (1.x keeps only the message on the
 * error output).
 */
export function createdErrorItem(
	node: INode,
	error: unknown,
	work: CreatedWork & { noun: string },
	json: IDataObject,
): INodeExecutionData {
	const description = (error as { description?: unknown } | undefined)?.description;
	const named = new NodeOperationError(
		node,
		`${work.noun[0].toUpperCase()}${work.noun.slice(1)} ${work.id} was created (paid, not lost), but a later step failed: ${messageOf(error)}`,
		{
			itemIndex: work.itemIndex,
			description: typeof description === 'string' ? description : undefined,
		},
	);
	return errorItem(node, named, work.itemIndex, json);
}
