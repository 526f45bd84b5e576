/**
 * Per-item execution with n8n's error conventions: an item's failure either
 * stops the node (naming the item) or, with "Continue On Fail", becomes that
 * item's output so the others flow on.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export function errorItem(error: unknown, itemIndex: number | number[]): INodeExecutionData {
	const indexes = Array.isArray(itemIndex) ? itemIndex : [itemIndex];
	const json: IDataObject = { error: messageOf(error) };
	const description = (error as { description?: unknown }).description;
	if (typeof description === 'string' && description !== '') json.errorDescription = description;
	return { json, pairedItem: indexes.length === 1 ? { item: indexes[0] } : indexes.map((item) => ({ item })) };
}

export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
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
			output.push(errorItem(error, itemIndex));
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
