/**
 * Limits on how much one execution takes on, said before any request: a clear
 * message beats hours of requests or a crash deep inside.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The error for more ids than `limit`, or undefined when within it. */
export function idLimitError(
	context: IExecuteFunctions,
	count: number,
	limit: number,
	options: { what: string; why: string; itemIndex: number },
): NodeOperationError | undefined {
	if (count <= limit) return undefined;
	return new NodeOperationError(
		context.getNode(),
		`${count.toLocaleString('en-US')} ${options.what} in one execution is more than the ${limit.toLocaleString('en-US')} this operation takes`,
		{
			itemIndex: options.itemIndex,
			description: `${options.why} Nothing was downloaded. Split the input, e.g. with the Loop Over Items node in batches of up to ${limit.toLocaleString('en-US')} IDs.`,
		},
	);
}

/** A long id list for a message: the first few, then how many more. */
export function shortList(ids: Array<string | number>, shown = 20): string {
	if (ids.length === 0) return 'none';
	const head = ids.slice(0, shown).join(', ');
	return ids.length > shown ? `${head} and ${ids.length - shown} more` : head;
}
