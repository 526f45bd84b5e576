/**
 * n8n's credentials helper lives in the `n8n` server package, so the harness
 * supplies one. It does what the server's does for this package's credentials:
 * fills in property defaults (getDecrypted) and applies the credential type's
 * `authenticate` block, resolving its expressions through the workflow's real
 * expression engine. Without this, authentication would go untested.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialTypes,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper, isExpression } from 'n8n-workflow';
import { Credentials } from 'n8n-core';

import { registerSecret } from './secrets';

export class HarnessCredentialsHelper extends ICredentialsHelper {
	private byType: Record<string, ICredentialDataDecryptedObject> = {};

	constructor(private readonly credentialTypes: ICredentialTypes) {
		super();
	}

	set(byType: Record<string, ICredentialDataDecryptedObject>): void {
		this.byType = byType;
		for (const data of Object.values(byType)) registerSecret(data.apiKey);
	}

	getParentTypes(): string[] {
		return [];
	}

	/**
	 * n8n 2.x asks this before a node reads a credential. The server's rule: refused only
	 * when the credential type sets `restrictToSupportedNodes` and the node is not listed.
	 */
	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		const type: ICredentialType & { restrictToSupportedNodes?: boolean } = this.credentialTypes.getByName(credentialType);
		return !type.restrictToSupportedNodes || this.credentialTypes.getSupportedNodes(credentialType).includes(nodeType);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions & Record<string, Record<string, unknown>>;
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type !== 'generic') return requestOptions;
		requestOptions.headers ??= {};
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
				const target = (requestOptions[outerKey] ??= {});
				target[resolve(key, credentials, workflow, node)] = resolve(value, credentials, workflow, node);
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<undefined> {
		return undefined;
	}

	async getCredentials(details: INodeCredentialsDetails, type: string): Promise<Credentials> {
		return new Credentials({ id: details.id, name: details.name }, type);
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_details: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.byType[type];
		if (!data) throw new Error(`Credential of type "${type}" is not set`);
		return { ...defaultsOf(this.credentialTypes.getByName(type)), ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes.getByName(type).properties;
	}
}

function defaultsOf(type: ICredentialType): ICredentialDataDecryptedObject {
	const defaults: ICredentialDataDecryptedObject = {};
	for (const property of type.properties) {
		if (property.default !== undefined && property.default !== '') {
			defaults[property.name] = property.default as string;
		}
	}
	return defaults;
}

function resolve(
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
): string {
	if (!isExpression(value)) return String(value);
	const resolved = workflow.expression.getSimpleParameterValue(
		node,
		value as string,
		'internal',
		{ $credentials: credentials },
		undefined,
		'',
	);
	return resolved ? String(resolved) : '';
}
