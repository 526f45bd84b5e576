/**
 * Serves a webhook trigger of this package on 127.0.0.1 the way n8n's webhook
 * server does: the body is read and parsed by n8n's rules (JSON parse failures
 * are n8n's 422, before the node), the node's `webhook()` runs in n8n-core's
 * real WebhookContext with the request and response, and its answer decides
 * the HTTP response and whether a workflow starts (recorded here).
 */
import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HookContext, WebhookContext } from 'n8n-core';
import type { IDataObject, INodeExecutionData, IWebhookData, IWebhookResponseData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { Credentials, NodeUnderTest } from './engine';
import { additionalDataFor, loadPackage, nextExecutionId, toNode } from './engine';
import { assertNoSecrets } from './secrets';

/** n8n's default N8N_PAYLOAD_SIZE_MAX (16 MiB). */
const PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;
const WEBHOOK_ID = 'harness-webhook-id';

export interface WebhookCall {
	status: number;
	/** The response body as text. */
	response: string;
	/** What the workflow would start with; undefined when no workflow started. */
	workflowData?: INodeExecutionData[][];
}

export interface ServedWebhook {
	/** The production or test URL, as the node panel shows it. */
	url: string;
	calls: WebhookCall[];
	/** The workflows started so far (one per accepted call). */
	started(): INodeExecutionData[][][];
	/** The workflow's static data as the node left it (n8n saves it after each call). */
	staticData(): IDataObject;
	/** Resolves when every call received so far has been handled by the node (its `webhook()` returned). */
	settled(): Promise<void>;
	stop(): Promise<void>;
}

/**
 * `production`: the URL of an active workflow (`/webhook/...`, mode `webhook`);
 * `test`: the editor's "listen for test event" URL (`/webhook-test/...`, mode `manual`).
 */
export async function serveWebhook(
	spec: NodeUnderTest,
	credentials: Credentials = {},
	urlKind: 'production' | 'test' = 'production',
	staticData: IDataObject = {},
): Promise<ServedWebhook> {
	const types = await loadPackage();
	const node = toNode(types, spec, credentials);
	const nodeType = types.getByNameAndVersion(node.type, node.typeVersion);
	const description = nodeType.description.webhooks?.[0];
	if (!nodeType.webhook || !description) throw new Error(`${spec.type} is not a webhook node`);
	const path = `/${urlKind === 'test' ? 'webhook-test' : 'webhook'}/${WEBHOOK_ID}/${String(description.path)}`;
	const mode = urlKind === 'test' ? 'manual' : 'webhook';
	const workflow = new Workflow({ id: 'harness-webhook-workflow', nodes: [node], connections: {}, active: true, nodeTypes: types, staticData });
	const calls: WebhookCall[] = [];
	const pending = new Set<Promise<void>>();

	const handle = async (req: IncomingMessage, res: ServerResponse, call: WebhookCall): Promise<void> => {
		const url = new URL(req.url ?? '/', 'http://harness');
		if (url.pathname !== path || req.method !== description.httpMethod) return respond(res, 404, { code: 404, message: 'The requested webhook is not registered.' });
		const parsed = await readBody(req);
		if ('status' in parsed) return respond(res, parsed.status, { code: parsed.status, message: parsed.message });
		const request = Object.assign(req, {
			body: parsed.body,
			rawBody: parsed.raw,
			query: Object.fromEntries(url.searchParams),
			params: {},
			path: url.pathname,
		});
		const additionalData = { ...additionalDataFor(types, credentials, nextExecutionId('webhook')), httpRequest: request, httpResponse: res };
		const webhookData: IWebhookData = {
			httpMethod: description.httpMethod as IWebhookData['httpMethod'],
			node: node.name,
			path: String(description.path),
			webhookDescription: description,
			workflowId: String(workflow.id),
			workflowExecuteAdditionalData: additionalData as IWebhookData['workflowExecuteAdditionalData'],
			webhookId: WEBHOOK_ID,
		};
		const context = new WebhookContext(workflow, node, additionalData as never, mode, webhookData, [], null);
		let result: IWebhookResponseData;
		try {
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			assertNoSecrets(error, 'a webhook error');
			return respond(res, 500, { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
		}
		assertNoSecrets(result, 'the webhook result');
		// As n8n's executeWebhook: a node that answered the request itself may still start a workflow.
		call.workflowData = result.workflowData;
		if (result.noWebhookResponse) {
			if (!res.writableEnded) await once(res, 'finish');
			return;
		}
		respond(res, 200, result.workflowData ? { message: 'Workflow was started' } : (result.webhookResponse ?? { message: 'Webhook call received' }));
	};

	const server: Server = createServer((req, res) => {
		const call: WebhookCall = { status: 0, response: '' };
		calls.push(call);
		record(res, call);
		const handled = handle(req, res, call).finally(() => pending.delete(handled));
		pending.add(handled);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}${path}`,
		calls,
		started: () => calls.flatMap((call) => (call.workflowData ? [call.workflowData] : [])),
		staticData: () => workflow.staticData,
		settled: async () => {
			while (pending.size > 0) await Promise.all([...pending]);
		},
		stop: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/**
 * What n8n does for a webhook node when a workflow is activated (or a test URL
 * starts listening): `checkExists`, then `create` when it says no, in n8n-core's
 * real HookContext. An error thrown there fails the activation.
 */
export async function activateWebhook(spec: NodeUnderTest, credentials: Credentials = {}): Promise<void> {
	const types = await loadPackage();
	const node = toNode(types, spec, credentials);
	const nodeType = types.getByNameAndVersion(node.type, node.typeVersion);
	const methods = nodeType.webhookMethods?.default;
	if (!methods?.checkExists || !methods.create) throw new Error(`${spec.type} has no webhook lifecycle methods`);
	const workflow = new Workflow({ id: 'harness-webhook-workflow', nodes: [node], connections: {}, active: true, nodeTypes: types, staticData: {} });
	const additionalData = additionalDataFor(types, credentials, nextExecutionId('activation'));
	const context = new HookContext(workflow, node, additionalData, 'webhook', 'activate');
	if (!(await methods.checkExists.call(context))) await methods.create.call(context);
}

/** n8n's body parser: raw body up to the payload limit, JSON and text by content type. */
export async function readBody(req: IncomingMessage): Promise<{ body: unknown; raw: Buffer } | { status: number; message: string }> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > PAYLOAD_SIZE_MAX) return { status: 413, message: 'request entity too large' };
		chunks.push(chunk as Buffer);
	}
	const raw = Buffer.concat(chunks);
	const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (raw.length === 0) return { body: {}, raw };
	if (contentType === 'application/json') {
		try {
			return { body: JSON.parse(raw.toString('utf8')) as unknown, raw };
		} catch {
			return { status: 422, message: 'Failed to parse request body' };
		}
	}
	if (contentType === 'text/plain') return { body: raw.toString('utf8'), raw };
	return { body: {}, raw };
}

function respond(res: ServerResponse, status: number, body: IDataObject | string): void {
	if (res.writableEnded) return;
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
	res.end(text);
}

/** Keeps the status and body of whatever response is sent, by the harness or the node. */
function record(res: ServerResponse, call: WebhookCall): void {
	const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
	res.end = ((...args: unknown[]) => {
		call.status = res.statusCode;
		const [chunk] = args;
		if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) call.response = chunk.toString();
		return end(...args);
	}) as ServerResponse['end'];
}
