/**
 * The one place the callback wait's state crosses into n8n and back.
 *
 * n8n keeps the waiting node's input items (its stack entry) in the saved
 * execution and hands them back to every callback (`$input`) and, at the
 * timeout, to the next node. n8n also edits the arrays a node returns (with
 * "Continue (using error output)" it empties the output array while sorting the
 * items into its two outputs). So what is saved, what is returned and what is
 * read back are three separate copies: nothing n8n or this package changes
 * later can reach the saved state.
 */
import type { IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import type { WaitingItem } from './finalItems';
import { waitingItemsOf } from './finalItems';

/**
 * A copy sharing nothing mutable with `items` (an error object is kept: n8n only
 * reads it). n8n's own deepCopy: it also copies what an expression hands back.
 */
export function copyItems(items: INodeExecutionData[]): INodeExecutionData[] {
	return items.map((item) => {
		const copy: INodeExecutionData = { ...item, json: deepCopy(item.json) };
		if (item.pairedItem !== undefined) copy.pairedItem = deepCopy(item.pairedItem);
		if (item.binary !== undefined) copy.binary = deepCopy(item.binary);
		return copy;
	});
}

/** Saves `items` as the paused node's input; returns a separate copy for the node's output. */
export function saveWaitingItems(context: IExecuteFunctions, items: INodeExecutionData[]): INodeExecutionData[] {
	context.getExecuteData().data.main = [copyItems(items)];
	return copyItems(items);
}

/** The saved items, as `saveWaitingItems` left them (a copy); undefined when they are not that. */
export function readWaitingItems(context: IWebhookFunctions): WaitingItem[] | undefined {
	const saved = context.evaluateExpression('{{ $input.all() }}', 0);
	return Array.isArray(saved) ? waitingItemsOf(copyItems(saved as INodeExecutionData[])) : undefined;
}
