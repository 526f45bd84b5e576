/**
 * Per-item execution with n8n's error conventions: an item's failure either
 * stops the node (naming the item) or, with "Continue On Fail", becomes that
 * item's output so the others flow on.
 *
 * How n8n's engine (1.x and 2.x, `handleNodeErrorOutput`) tells an error item:
 * `item.error` is set, or `json` is exactly `{ error }` (or `{ error, message }`;
 * 2.x also `details`). It then merges the input row's json under the error item's
 * (`{ ...row, error }`), as its HTTP Request node's error items show; but an item
 * with `item.error` gets its json replaced by `{ error: message }` after that
 * (1.x and 2.x alike, n8n-core's normalizeNodeErrors), row and all. So under
 * "Continue (using error output)" the item is exactly `{ error }` and names the
 * ids of paid work in its message (test/e2e/cases/errorOutput.ts checks the row
 * arrives in real n8n 1.123.81 and 2.40.7); with "Continue (regular output)" it
 * keeps `error`, `errorDescription` and what is known (e.g. the id of paid work).
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export type NodeError = NodeApiError | NodeOperationError;

/**
 * An output item for a failed input item. `fields` keeps what is known about the
 * item (e.g. the id of a paid job created before a later step failed); its
 * message should name that id too, because n8n keeps only the message on the
 * error output.
 */
export function errorItem(
	node: INode,
	error: unknown,
	itemIndex: number | number[],
	fields: IDataObject = {},
): INodeExecutionData {
	const indexes = Array.isArray(itemIndex) ? itemIndex : [itemIndex];
	const pairedItem = indexes.length === 1 ? { item: indexes[0] } : indexes.map((item) => ({ item }));
	// Exactly `{ error }`: n8n routes it to the error output and puts the input
	// row's fields under it, as for its HTTP Request node (an `item.error` would
	// make n8n replace the json with `{ error }` after routing, row and all).
	if (node.onError === 'continueErrorOutput') return { json: { error: messageOf(error) }, pairedItem };
	const json: IDataObject = { ...fields, error: messageOf(error) };
	const description = (error as { description?: unknown } | undefined)?.description;
	if (typeof description === 'string' && description !== '') json.errorDescription = description;
	return { json, pairedItem };
}

export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Runs `work` for each input item, pairing its output with the item. */
export async function mapItems(
	context: IExecuteFunctions,
	work: (itemIndex: number) => Promise<INodeExecutionData | INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const items = context.getInputData().map((_, itemIndex) => ({ itemIndex }));
	return await eachItem(context, items, async ({ itemIndex }) => await work(itemIndex));
}

/** Runs `work` for each of these items, pairing its output with the item (a failure: see mapItems). */
async function eachItem<Entry extends { itemIndex: number }>(
	context: IExecuteFunctions,
	entries: Entry[],
	work: (entry: Entry) => Promise<INodeExecutionData | INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (const entry of entries) {
		const { itemIndex } = entry;
		try {
			const result = await work(entry);
			for (const item of Array.isArray(result) ? result : [result]) {
				output.push({
					...item,
					pairedItem: item.pairedItem ?? { item: itemIndex },
				});
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
	return new NodeOperationError(context.getNode(), messageOf(error), {
		itemIndex,
	});
}

/**
 * The items of a node's steps (created, failed, finished) in the order of the
 * input items they pair with, as users expect; items of one input keep their order.
 */
export function inItemOrder(items: INodeExecutionData[]): INodeExecutionData[] {
	return [...items].sort((a, b) => firstInputOf(a) - firstInputOf(b));
}

function firstInputOf(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	if (typeof paired === 'number') return paired;
	if (Array.isArray(paired)) return paired[0]?.item ?? 0;
	return paired?.item ?? 0;
}

/**
 * One output item built from several input items (an archive of their ids).
 * When it fails, the failure is theirs: thrown on the first of them, or with
 * Continue On Fail one error item paired with all of them.
 */
export async function itemForItems(
	context: IExecuteFunctions,
	itemIndexes: number[],
	build: () => Promise<INodeExecutionData>,
): Promise<INodeExecutionData> {
	try {
		return await build();
	} catch (error) {
		return failedItems(context, error, itemIndexes);
	}
}

/** The error item of these input items under Continue On Fail; otherwise the error, thrown on the first of them. */
export function failedItems(context: IExecuteFunctions, error: unknown, itemIndexes: number[]): INodeExecutionData {
	if (!context.continueOnFail()) throw withItemIndex(context, error, itemIndexes[0]);
	return errorItem(context.getNode(), error, itemIndexes);
}

/** Input items whose request was built and checked, each with its item. */
export interface CheckedRequest<Request> {
	itemIndex: number;
	request: Request;
}

/**
 * Reads every input item before the first request, so a bad item 2 is found
 * before items 0 and 1 are sent (and, for paid work, paid for): it stops the node
 * (naming the item) or, with Continue On Fail, becomes an error item.
 */
export async function checkEveryItem<Request>(
	context: IExecuteFunctions,
	build: (itemIndex: number) => Request | Promise<Request>,
): Promise<{ checked: Array<CheckedRequest<Request>>; errorItems: INodeExecutionData[] }> {
	const checked: Array<CheckedRequest<Request>> = [];
	const errorItems: INodeExecutionData[] = [];
	const count = context.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			checked.push({ itemIndex, request: await build(itemIndex) });
		} catch (error) {
			if (!context.continueOnFail()) throw withItemIndex(context, error, itemIndex);
			errorItems.push(errorItem(context.getNode(), error, itemIndex));
		}
	}
	return { checked, errorItems };
}

/**
 * A paid or destructive operation, run only through `checkedFirst`: every item is
 * read and checked (no request) before the first request of any item.
 */
export interface ChecksFirst {
	run(context: IExecuteFunctions): Promise<INodeExecutionData[]>;
}

export interface CheckedFirstSpec<Request> {
	/** Per execution: how an item is read and checked (may fetch lists it checks against, never acts). */
	checker(context: IExecuteFunctions): (itemIndex: number) => Request | Promise<Request>;
	/** Acts on the items that passed; `errorItems` are the ones that did not (Continue On Fail), to be output in item order. */
	act(context: IExecuteFunctions, checked: Array<CheckedRequest<Request>>, errorItems: INodeExecutionData[]): Promise<INodeExecutionData[]>;
}

export function checkedFirst<Request>(spec: CheckedFirstSpec<Request>): ChecksFirst {
	return {
		async run(context) {
			const { checked, errorItems } = await checkEveryItem(context, spec.checker(context));
			return await spec.act(context, checked, errorItems);
		},
	};
}

/** `checkedFirst` for an operation that acts on each checked item alone (one request or a few per item). */
export function eachCheckedItem<Request>(
	check: (context: IExecuteFunctions, itemIndex: number) => Request | Promise<Request>,
	act: (context: IExecuteFunctions, request: Request, itemIndex: number) => Promise<INodeExecutionData | INodeExecutionData[]>,
): ChecksFirst {
	return checkedFirst<Request>({
		checker: (context) => (itemIndex) => check(context, itemIndex),
		async act(context, checked, errorItems) {
			const done = await eachItem(context, checked, async ({ request, itemIndex }) => await act(context, request, itemIndex));
			return inItemOrder([...errorItems, ...done]);
		},
	});
}
