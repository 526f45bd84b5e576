/**
 * Per-item execution with n8n's error conventions: an item's failure either
 * stops the node (naming the item) or, with "Continue On Fail", becomes that
 * item's output so the others flow on. Error items carry the error itself in
 * `error`, which is how n8n's engine (1.x and 2.x) recognises them and moves
 * them to the error output under "Continue (using error output)"; their `json`
 * is what "Continue (regular output)" shows.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export type NodeError = NodeApiError | NodeOperationError;

/**
 * An output item for a failed input item. `fields` keeps what is known about the
 * item (e.g. the id of a paid job that was created before a later step failed).
 */
export function errorItem(
	node: INode,
	error: unknown,
	itemIndex: number | number[],
	fields: IDataObject = {},
): INodeExecutionData {
	const indexes = Array.isArray(itemIndex) ? itemIndex : [itemIndex];
	const json: IDataObject = { ...fields, error: messageOf(error) };
	const description = (error as { description?: unknown } | undefined)?.description;
	if (typeof description === 'string' && description !== '') json.errorDescription = description;
	return {
		json,
		error: asNodeError(node, error, indexes[0]),
		pairedItem: indexes.length === 1 ? { item: indexes[0] } : indexes.map((item) => ({ item })),
	};
}

/** Whether an output item is an error item (as n8n's engine decides it). */
export function isErrorItem(item: INodeExecutionData): boolean {
	return item.error !== undefined;
}

export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function asNodeError(node: INode, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, messageOf(error), { itemIndex });
}

/** Runs `work` for each input item, pairing its output with the item. */
export async function mapItems(
	context: IExecuteFunctions,
	work: (itemIndex: number) => Promise<INodeExecutionData | INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const count = context.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			const result = await work(itemIndex);
			for (const item of Array.isArray(result) ? result : [result]) {
				output.push({ ...item, pairedItem: item.pairedItem ?? { item: itemIndex } });
			}
		} catch (error) {
			if (!context.continueOnFail()) throw withItemIndex(context, error, itemIndex);
			output.push(errorItem(context.getNode(), error, itemIndex));
		}
	}
	return output;
}

/** Makes sure n8n shows the error on the item it belongs to. */
export function withItemIndex(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof Error && 'context' in error) {
		const errorContext = (error as { context: IDataObject }).context;
		errorContext.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), messageOf(error), { itemIndex });
}
