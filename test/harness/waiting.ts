/**
 * Paused executions, driven the way n8n drives them. An execution that puts
 * itself to wait is "saved" as JSON (nothing of it stays in memory: each call
 * starts from a fresh copy, as n8n loads it from its database), and an HTTP
 * server on 127.0.0.1 plays n8n's waiting-webhook endpoint
 * (`/webhook-waiting/<execution>/<suffix>`, packages/cli/src/webhooks/waiting-webhooks.ts
 * and webhook-helpers.ts of n8n 1.123): 404 for an unknown execution, 409 for
 * one running or finished, the waiting node disabled and its last run popped,
 * its restart webhook matched by method and path, `webhook()` run in n8n-core's
 * real WebhookContext; only `workflowData` resumes the execution (saved again),
 * anything else leaves the saved execution as it was. `timeOut()` resumes it as
 * n8n's wait tracker does when `waitTill` passes.
 */
import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import type { INode, INodeExecutionData, IRun, IRunExecutionData, IWebhookData, IWebhookResponseData } from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import type { Credentials, NodeUnderTest } from './engine';
import { additionalDataFor, loadPackage, toNode } from './engine';
import { assertNoSecrets } from './secrets';
import { readBody } from './webhook';

export type StoredStatus = 'running' | 'waiting' | 'success' | 'error';

export interface StoredExecution {
	id: string;
	status: StoredStatus;
	/** The saved run data, as JSON (what n8n's database holds). */
	data: string;
	waitTill?: string;
	/** How many times the execution was started or resumed. */
	starts: number;
}

export interface ResumeCall {
	status: number;
	body: string;
	resumed: boolean;
}

export interface WaitingServer {
	baseUrl: string;
	executions: Map<string, StoredExecution>;
	calls: ResumeCall[];
	/** Starts a one-node workflow fed with `input`; resolves when it is saved (waiting or finished). */
	start(node: NodeUnderTest, input: INodeExecutionData[], credentials: Credentials): Promise<StoredExecution>;
	/** Resolves once every call in flight is handled and the execution is no longer running. */
	settled(id: string): Promise<StoredExecution>;
	/** The saved run data. */
	runData(id: string): IRunExecutionData;
	/** The node's output in the saved execution. */
	output(id: string): INodeExecutionData[];
	/** Every main output of the node in the saved execution (with "Continue (using error output)": success, error). */
	outputs(id: string): INodeExecutionData[][];
	/** The input the paused node is saved with (what n8n hands back to its callbacks and to a timeout). */
	savedInput(id: string): INodeExecutionData[];
	timeOut(id: string): Promise<StoredExecution>;
	stop(): Promise<void>;
}

const WORKFLOW_ID = 'harness-waiting-workflow';
/** Unique in the test process, as n8n's execution ids are in its database. */
let executionCounter = 0;

export async function startWaitingServer(): Promise<WaitingServer> {
	const types = await loadPackage();
	const executions = new Map<string, StoredExecution>();
	const nodes = new Map<string, { node: INode; credentials: Credentials }>();
	const settledWaiters = new Map<string, Array<() => void>>();
	const calls: ResumeCall[] = [];
	const pending = new Set<Promise<void>>();
	let baseUrl = '';

	const workflowOf = (id: string) => {
		const { node } = nodes.get(id)!;
		return new Workflow({ id: WORKFLOW_ID, name: 'Harness', nodes: [{ ...node }], connections: {}, active: true, nodeTypes: types, settings: { executionOrder: 'v1' } });
	};
	const additionalData = (id: string) => ({
		...additionalDataFor(types, nodes.get(id)!.credentials, id),
		webhookWaitingBaseUrl: `${baseUrl}/webhook-waiting`,
	});

	/** Runs (or resumes) the execution in WorkflowExecute and saves the outcome. */
	const execute = async (id: string, runExecutionData: IRunExecutionData): Promise<void> => {
		const stored = executions.get(id)!;
		Object.assign(stored, { status: 'running', starts: stored.starts + 1 });
		const workflow = workflowOf(id);
		const hooks = new ExecutionLifecycleHooks('webhook', id, { id: WORKFLOW_ID, name: 'Harness', nodes: workflow.nodes, connections: {}, settings: {}, active: true, isArchived: false, createdAt: new Date(), updatedAt: new Date() } as never);
		// n8n-workflow 2.x has no createDeferredPromise; a plain promise works on both engines.
		const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
		const data = { ...additionalData(id), hooks };
		const returned = await new WorkflowExecute(data, 'webhook', runExecutionData).processRunExecutionData(workflow);
		const run = returned ?? (await finished);
		assertNoSecrets(run.data.resultData, 'the saved execution');
		save(id, run);
	};

	const save = (id: string, run: IRun) => {
		const stored = executions.get(id)!;
		stored.data = JSON.stringify(run.data);
		stored.waitTill = run.waitTill ? new Date(run.waitTill).toISOString() : undefined;
		stored.status = run.waitTill ? 'waiting' : run.data.resultData.error ? 'error' : 'success';
		for (const resolve of settledWaiters.get(id) ?? []) resolve();
		settledWaiters.delete(id);
	};

	const handle = async (req: IncomingMessage, res: ServerResponse, call: ResumeCall): Promise<void> => {
		const url = new URL(req.url ?? '/', baseUrl);
		const [root, id, suffix] = url.pathname.split('/').filter(Boolean);
		const stored = root === 'webhook-waiting' ? executions.get(id ?? '') : undefined;
		if (!stored) return respond(res, 404, { message: `The execution "${id}" does not exist.` });
		if (stored.status === 'running') return respond(res, 409, { message: `The execution "${id}" is running already.` });
		if (stored.status !== 'waiting') return respond(res, 409, { message: `The execution "${id}" has finished already.` });
		// Loaded from the "database": a fresh copy; changes are saved only when the execution resumes.
		const runExecutionData = JSON.parse(stored.data) as IRunExecutionData;
		const lastNode = String(runExecutionData.resultData.lastNodeExecuted);
		runExecutionData.executionData!.nodeExecutionStack[0].node.disabled = true;
		runExecutionData.waitTill = undefined;
		runExecutionData.resultData.runData[lastNode].pop();
		const workflow = workflowOf(id);
		const node = workflow.getNode(lastNode)!;
		const nodeType = types.getByNameAndVersion(node.type, node.typeVersion);
		const description = (nodeType.description.webhooks ?? []).find(
			(webhook) =>
				webhook.restartWebhook === true &&
				webhook.httpMethod === req.method &&
				String(workflow.expression.getSimpleParameterValue(node, webhook.path, 'webhook', {})) === decodeURIComponent(suffix ?? ''),
		);
		if (!description || !nodeType.webhook) return respond(res, 404, { message: 'no waiting webhook with a matching path/method' });
		const parsed = await readBody(req);
		if ('status' in parsed) return respond(res, parsed.status, { message: parsed.message });
		const request = Object.assign(req, { body: parsed.body, rawBody: parsed.raw, query: Object.fromEntries(url.searchParams), params: {} });
		const data = { ...additionalData(id), httpRequest: request, httpResponse: res };
		const webhookData = { httpMethod: description.httpMethod, node: node.name, path: suffix, webhookDescription: description, workflowId: WORKFLOW_ID, workflowExecuteAdditionalData: data } as unknown as IWebhookData;
		const context = new WebhookContext(workflow, node, data as never, 'webhook', webhookData, [], runExecutionData);
		let result: IWebhookResponseData;
		try {
			result = await nodeType.webhook.call(context);
		} catch (error) {
			// n8n then runs the execution with the error, which ends it as failed.
			assertNoSecrets(error, 'a webhook error');
			respond(res, 500, { message: 'Workflow Webhook Error: Workflow could not be started!' });
			runExecutionData.resultData.error = { message: (error as Error).message } as never;
			call.resumed = true;
			save(id, { data: runExecutionData, waitTill: undefined } as IRun);
			return;
		}
		assertNoSecrets(result, 'the webhook result');
		if (!result.noWebhookResponse) respond(res, 200, result.workflowData ? { message: 'Workflow was started' } : (result.webhookResponse ?? { message: 'Webhook call received' }));
		if (!result.workflowData) return;
		call.resumed = true;
		runExecutionData.executionData!.nodeExecutionStack[0].data.main = result.workflowData;
		await execute(id, runExecutionData);
	};

	const server: Server = createServer((req, res) => {
		const call: ResumeCall = { status: 0, body: '', resumed: false };
		calls.push(call);
		record(res, call);
		const handling = handle(req, res, call);
		pending.add(handling);
		void handling.finally(() => pending.delete(handling));
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const settled = async (id: string): Promise<StoredExecution> => {
		// Calls still being handled first (a node may answer before its webhook() returns).
		while (pending.size > 0) await Promise.all([...pending]);
		const stored = executions.get(id)!;
		if (stored.status === 'running') await new Promise<void>((resolve) => settledWaiters.set(id, [...(settledWaiters.get(id) ?? []), resolve]));
		return stored;
	};
	const runData = (id: string) => JSON.parse(executions.get(id)!.data) as IRunExecutionData;

	return {
		get baseUrl() {
			return baseUrl;
		},
		executions,
		calls,
		start: async (spec, input, credentials) => {
			const id = `waiting-${++executionCounter}`;
			const node = toNode(types, spec, credentials);
			nodes.set(id, { node, credentials });
			executions.set(id, { id, status: 'running', data: '', starts: 0 });
			const data = createRunExecutionData({ executionData: { nodeExecutionStack: [{ node, data: { main: [input] }, source: null }] } });
			await execute(id, data);
			return executions.get(id)!;
		},
		settled,
		runData,
		output: (id) => {
			const data = runData(id);
			const name = nodes.get(id)!.node.name;
			const task = data.resultData.runData[name]?.at(-1);
			return task?.data?.main?.[0] ?? [];
		},
		outputs: (id) => {
			const data = runData(id);
			const task = data.resultData.runData[nodes.get(id)!.node.name]?.at(-1);
			return (task?.data?.main ?? []).map((items) => items ?? []);
		},
		savedInput: (id) => runData(id).executionData?.nodeExecutionStack[0]?.data.main[0] ?? [],
		timeOut: async (id) => {
			const stored = executions.get(id)!;
			if (stored.status !== 'waiting') throw new Error(`execution ${id} is ${stored.status}, not waiting`);
			await execute(id, JSON.parse(stored.data) as IRunExecutionData);
			return stored;
		},
		stop: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

function respond(res: ServerResponse, status: number, body: object): void {
	if (res.writableEnded || res.headersSent) return;
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}

function record(res: ServerResponse, call: ResumeCall): void {
	const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
	res.end = ((...args: unknown[]) => {
		call.status = res.statusCode;
		const [chunk] = args;
		if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) call.body = chunk.toString();
		return end(...args);
	}) as ServerResponse['end'];
}
