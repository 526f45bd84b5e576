/**
 * Runs this package's nodes through n8n's real engine: the package is loaded
 * from dist/ by n8n-core's PackageDirectoryLoader (as n8n loads a community
 * package), workflows run in WorkflowExecute with the real request helpers and
 * binary data service (filesystem mode), polls run in a real PollContext.
 */
import { resolve as resolvePath } from 'node:path';
import { Container } from '@n8n/di';
import {
	BinaryDataService,
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PackageDirectoryLoader,
	PollContext,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialTypes,
	IDataObject,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';

import { HarnessCredentialsHelper } from './credentialsHelper';
import { assertNoSecrets } from './secrets';

const PACKAGE_ROOT = resolvePath(__dirname, '../..');

export type Credentials = Record<string, ICredentialDataDecryptedObject>;

export class PackageTypes implements INodeTypes {
	constructor(readonly loader: PackageDirectoryLoader) {}

	get packageName(): string {
		return this.loader.packageName;
	}

	fullType(nodeName: string): string {
		return `${this.packageName}.${nodeName}`;
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const short = nodeType.slice(nodeType.lastIndexOf('.') + 1);
		const data = this.loader.nodeTypes[short];
		if (!data) throw new Error(`Unknown node type ${nodeType}`);
		return data.type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return this.loader.known.nodes as unknown as IDataObject;
	}

	credential(type: string): ICredentialType {
		const data = this.loader.credentialTypes[type];
		if (!data) throw new Error(`Unknown credential type ${type}`);
		return data.type;
	}
}

/** The package's credential types, as n8n's CredentialTypes service offers them. */
function credentialTypesOf(types: PackageTypes): ICredentialTypes {
	return {
		recognizes: (type) => type in types.loader.credentialTypes,
		getByName: (type) => types.credential(type),
		getSupportedNodes: (type) => types.loader.nodesByCredential[type] ?? [],
		getParentTypes: () => [],
	};
}

let loading: Promise<PackageTypes> | undefined;

/** Loads dist/ once per test file, as n8n loads an installed community package. */
export async function loadPackage(): Promise<PackageTypes> {
	loading ??= (async () => {
		const loader = new PackageDirectoryLoader(PACKAGE_ROOT);
		await loader.loadAll();
		await Container.get(BinaryDataService).init();
		return new PackageTypes(loader);
	})();
	return await loading;
}

export interface NodeUnderTest {
	/** Node name as the package declares it, e.g. `rotateProduct`. */
	type: string;
	parameters: INodeParameters;
	/** Credential types the node is given (default: all given credentials). */
	credentialTypes?: string[];
	continueOnFail?: boolean;
	/** n8n's "On Error" setting; `continueErrorOutput` adds the error output (default from continueOnFail). */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	name?: string;
	typeVersion?: number;
	/** n8n's "Retry On Fail" settings (the engine clamps maxTries to 2–5; waitBetweenTries 0 means 1000 ms). */
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

export interface RunOptions {
	node: NodeUnderTest;
	/** Input items (plain JSON or full items); default one empty item. */
	input?: Array<IDataObject | INodeExecutionData>;
	credentials?: Credentials;
	/** Cancels the execution (as the editor's Stop button does) after this many ms. */
	cancelAfterMs?: number;
	mode?: WorkflowExecuteMode;
	/** Runs the node this many times in the one execution (run index 0, 1, ...), as a loop does; default 1. */
	runs?: number;
}

export interface RunResult {
	run: IRun;
	/** The node's first output. */
	items: INodeExecutionData[];
	/** The node's error output (only with `onError: 'continueErrorOutput'`). */
	errorItems: INodeExecutionData[];
	/** The node's error when it failed (not set with continueOnFail). */
	error: Error | undefined;
	executionId: string;
}

let executionCounter = 0;

export function nextExecutionId(prefix: string): string {
	return `${prefix}-${++executionCounter}`;
}

export function toNode(types: PackageTypes, spec: NodeUnderTest, credentials: Credentials): INode {
	const credentialTypes = spec.credentialTypes ?? Object.keys(credentials);
	return {
		id: 'node-under-test',
		name: spec.name ?? 'Node Under Test',
		type: types.fullType(spec.type),
		typeVersion: spec.typeVersion ?? 1,
		position: [0, 0],
		parameters: spec.parameters,
		continueOnFail: spec.continueOnFail,
		onError: spec.onError ?? (spec.continueOnFail ? 'continueRegularOutput' : undefined),
		retryOnFail: spec.retryOnFail,
		maxTries: spec.maxTries,
		waitBetweenTries: spec.waitBetweenTries,
		credentials: Object.fromEntries(credentialTypes.map((type) => [type, { id: `${type}-id`, name: type }])),
	};
}

export function additionalDataFor(
	types: PackageTypes,
	credentials: Credentials,
	executionId: string,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypesOf(types));
	credentialsHelper.set(credentials);
	return {
		credentialsHelper,
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('not available in the harness');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not available in the harness');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

function toItems(input: Array<IDataObject | INodeExecutionData> | undefined): INodeExecutionData[] {
	const list = input ?? [{}];
	return list.map((entry, index) =>
		'json' in entry && typeof entry.json === 'object'
			? ({ pairedItem: { item: index }, ...entry } as INodeExecutionData)
			: { json: entry as IDataObject, pairedItem: { item: index } },
	);
}

const INPUT_NODE = 'Input';

/** Runs one node, fed with the given items (the output of a node before it), through WorkflowExecute. */
export async function runNode(options: RunOptions): Promise<RunResult> {
	const types = await loadPackage();
	const credentials = options.credentials ?? {};
	const node = toNode(types, options.node, credentials);
	// The items come from a node that ran before, as in a workflow: n8n reads the
	// input rows through it (e.g. merging a row under its error-output item).
	const inputNode: INode = { ...node, id: 'input', name: INPUT_NODE, parameters: {}, credentials: {}, onError: undefined, continueOnFail: undefined };
	const inputItems = toItems(options.input);
	const connections = { [INPUT_NODE]: { main: [[{ node: node.name, type: 'main' as const, index: 0 }]] } };
	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Harness',
		nodes: [inputNode, node],
		connections,
		active: false,
		nodeTypes: types,
		settings: { executionOrder: 'v1' },
	});
	const executionId = String(++executionCounter);
	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflow.id,
		name: 'Harness',
		active: false,
		nodes: [node],
		connections: {},
		settings: {},
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
	const additionalData = additionalDataFor(types, credentials, executionId, hooks);

	const runExecutionData = createRunExecutionData({
		resultData: {
			runData: { [INPUT_NODE]: [{ startTime: Date.now(), executionTime: 0, executionIndex: 0, source: [], data: { main: [inputItems] } }] },
		},
		executionData: {
			// Fed from the Input node, as in a workflow (n8n merges an error item with its input row only then);
			// `runs` puts the node on the stack more than once (the same node twice in one execution).
			nodeExecutionStack: Array.from({ length: options.runs ?? 1 }, () => ({
				node,
				data: { main: [inputItems] },
				source: { main: [{ previousNode: INPUT_NODE }] },
			})),
		},
	});
	const execution = new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(
		workflow,
	);
	if (options.cancelAfterMs !== undefined) {
		const timer = setTimeout(() => execution.cancel(), options.cancelAfterMs);
		void finished.finally(() => clearTimeout(timer));
	}
	const returned = await execution;
	const run = returned ?? (await finished);
	const task = run.data.resultData.runData[node.name]?.[0];
	const result: RunResult = {
		run,
		items: task?.data?.main?.[0] ?? [],
		errorItems: options.node.onError === 'continueErrorOutput' ? (task?.data?.main?.[1] ?? []) : [],
		error: (task?.error ?? run.data.resultData.error) as Error | undefined,
		executionId,
	};
	assertNoSecrets(result.error, 'a node error');
	assertNoSecrets(result.items, 'the node output');
	assertNoSecrets(result.errorItems, 'the node error output');
	return result;
}

/** The bytes n8n stored for a binary property of an output item. */
export async function binaryBuffer(binary: IBinaryData | undefined): Promise<Buffer> {
	if (!binary) throw new Error('no binary data on the item');
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

export async function binaryStream(binary: IBinaryData | undefined): Promise<NodeJS.ReadableStream> {
	if (!binary?.id) throw new Error('no stored binary data on the item');
	return await Container.get(BinaryDataService).getAsStream(binary.id);
}

export interface PollOptions {
	node: NodeUnderTest;
	credentials?: Credentials;
	/** The workflow's static data; pass the same object to the next poll to keep the cursor. */
	staticData?: IDataObject;
	mode?: 'trigger' | 'manual';
}

/** One poll of a polling trigger in a real PollContext (what n8n's scheduler calls). */
export async function pollNode(options: PollOptions): Promise<INodeExecutionData[][] | null> {
	const types = await loadPackage();
	const credentials = options.credentials ?? {};
	const node = toNode(types, options.node, credentials);
	const workflow = new Workflow({
		id: 'harness-poll-workflow',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: types,
		staticData: options.staticData ?? {},
	});
	const additionalData = additionalDataFor(types, credentials, `poll-${++executionCounter}`);
	const mode = options.mode ?? 'trigger';
	const context = new PollContext(workflow, node, additionalData, mode, mode === 'manual' ? 'manual' : 'activate');
	const nodeType = types.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.poll) throw new Error(`${node.type} is not a polling node`);
	try {
		const result = await nodeType.poll.call(context);
		assertNoSecrets(result, 'the poll output');
		return result;
	} catch (error) {
		assertNoSecrets(error, 'a poll error');
		throw error;
	} finally {
		// What n8n persists between polls.
		if (options.staticData) Object.assign(options.staticData, workflow.staticData);
	}
}

/** Calls a node's loadOptions method (a dropdown) in a real LoadOptionsContext. */
export async function loadOptions(
	spec: NodeUnderTest,
	method: string,
	credentials: Credentials,
): Promise<INodePropertyOptions[]> {
	const types = await loadPackage();
	const node = toNode(types, spec, credentials);
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: types });
	const additionalData = additionalDataFor(types, credentials, `options-${++executionCounter}`);
	const context = new LoadOptionsContext(workflow, node, additionalData, '');
	const nodeType = types.getByNameAndVersion(node.type, node.typeVersion);
	const loader = nodeType.methods?.loadOptions?.[method];
	if (!loader) throw new Error(`${spec.type} has no loadOptions method ${method}`);
	return await loader.call(context);
}

/**
 * Tests a credential the way n8n's credentials tester does for a declarative
 * `test` request: the request runs through RoutingNode with the credential's
 * authenticate block applied, and the `rules` turn status codes into messages.
 */
export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const types = await loadPackage();
	const credentialType = types.credential(type);
	const testRequest = credentialType.test;
	if (!testRequest) return { status: 'Error', message: 'No testing function found for this credential.' };
	const hostType: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Credential Test' },
			inputs: [],
			outputs: [],
			credentials: [{ name: type, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: testRequest.request } },
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type]: { id: 'test', name: 'test' } },
	};
	const nodeTypes: INodeTypes = {
		getByName: () => hostType,
		getByNameAndVersion: () => hostType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const credentials = { [type]: data };
	const additionalData = additionalDataFor(types, credentials, `credtest-${++executionCounter}`);
	const decrypted = await additionalData.credentialsHelper.getDecrypted(additionalData, { id: 'test', name: 'test' }, type, 'internal');
	const runExecutionData = createRunExecutionData();
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, hostType, { id: 'test', name: 'test', type, data: decrypted });
	try {
		await routingNode.runNode();
	} catch (error) {
		const result = credentialTestFailure(error, testRequest.rules ?? []);
		assertNoSecrets(result, 'a credential test result');
		return result;
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** The credentials tester's reading of a failed test request (n8n's credentials-tester.service). */
function credentialTestFailure(
	error: unknown,
	rules: NonNullable<ICredentialType['test']>['rules'] & object,
): INodeCredentialTestResult {
	const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }).cause;
	if (cause?.response) {
		for (const rule of rules) {
			if (rule.type === 'responseCode' && cause.response.status === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		return {
			status: 'Error',
			message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}`,
		};
	}
	if (cause?.code) return { status: 'Error', message: cause.code };
	return { status: 'Error', message: String((error as Error).message) };
}
