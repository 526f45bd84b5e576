/**
 * The callback URL of a job whose execution waits for Colossyan: the
 * execution's own resume URL (`$execution.resumeUrl`, n8n's waiting webhook)
 * plus this node's id as path suffix, the item the job belongs to, the
 * settings the continuation needs, and this package's signature over all of it.
 *
 * n8n 2.x puts a random per-execution token in `$execution.resumeUrl`
 * (`?signature=…`) and its waiting-webhook server refuses calls without it
 * (401). n8n 1.123 has no such token for this node (it checks its signed
 * resume URLs only for `sendAndWait` operations; `getSignedResumeUrl` would
 * even break 2.x, which compares `signature` with its token). The package's
 * HMAC protects both: its key is derived from the Colossyan API token (which
 * never leaves n8n) and it covers the execution id and node id, so a URL
 * cannot be forged, altered, or used for another execution.
 */
import { createHmac } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { sameSecret } from '../helpers/callbackToken';
import type { JobRequest } from '../helpers/jobRequest';

const DERIVATION_LABEL = 'n8n-nodes-rotateproduct-colossyan/resume/v1';
export const SIGNATURE_PARAMETER = 'n8nSignature';

/** What every callback URL of one execution carries (read once, from the first item). */
export interface ResumeSettings {
	download: boolean;
	binaryPropertyName: string;
}

export interface ResumeCall extends ResumeSettings {
	itemIndex: number;
}

function signatureOf(apiToken: string, executionId: string, nodeId: string, call: ResumeCall): string {
	const key = createHmac('sha256', apiToken).update(DERIVATION_LABEL).digest();
	const message = JSON.stringify([executionId, nodeId, call.itemIndex, call.download, call.binaryPropertyName]);
	return createHmac('sha256', key).update(message).digest('base64url');
}

function queryOf(call: ResumeCall): Record<string, string> {
	return { item: String(call.itemIndex), download: call.download ? '1' : '0', field: call.binaryPropertyName };
}

/** `$execution.resumeUrl` (with n8n 2.x's token in its query) + `/<node id>`, which n8n matches to this node's restart webhook. */
function baseResumeUrl(context: IExecuteFunctions, parameters: Record<string, string>): URL {
	const url = new URL(String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	url.pathname = `${url.pathname.replace(/\/$/, '')}/${encodeURIComponent(context.getNode().id)}`;
	for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
	return url;
}

export function resumeCallbackUrl(context: IExecuteFunctions, apiToken: string, call: ResumeCall): string {
	const signature = signatureOf(apiToken, context.getExecutionId(), context.getNode().id, call);
	return baseResumeUrl(context, { ...queryOf(call), [SIGNATURE_PARAMETER]: signature }).toString();
}

/** The call's item and settings when its signature is this execution's; undefined for anything else. */
export function verifiedResumeCall(
	query: IDataObject,
	apiToken: string,
	executionId: string,
	nodeId: string,
): ResumeCall | undefined {
	const { item, download, field } = query;
	const signature = query[SIGNATURE_PARAMETER];
	if (typeof item !== 'string' || !/^\d{1,6}$/.test(item)) return undefined;
	if ((download !== '0' && download !== '1') || typeof field !== 'string' || typeof signature !== 'string') return undefined;
	const call: ResumeCall = { itemIndex: Number(item), download: download === '1', binaryPropertyName: field };
	return sameSecret(signature, signatureOf(apiToken, executionId, nodeId, call)) ? call : undefined;
}

/** Colossyan's two job endpoints name the callback differently (`callback`, `callbackUrl`). */
export function withCallback(request: JobRequest, url: string): JobRequest {
	const field = request.path.endsWith('template-jobs') ? 'callbackUrl' : 'callback';
	const body: IDataObject = { ...request.body };
	delete body.callback;
	delete body.callbackUrl;
	return { ...request, body: { ...body, [field]: url } };
}
