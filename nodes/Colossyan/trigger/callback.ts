/**
 * Reading one callback: answer bad requests briefly and by status code (the
 * sender learns nothing else), and turn a good one into the trigger's item.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { jobState } from '../helpers/status';

/** Callback bodies are a few fields plus the job's payload and variables; anything near this is not one. */
export const MAX_CALLBACK_BYTES = 1024 * 1024;

export function reply(context: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	const res = context.getResponseObject();
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify({ message }));
	return { noWebhookResponse: true };
}

export function bodySize(context: IWebhookFunctions): number {
	const request = context.getRequestObject() as { rawBody?: Buffer; headers: Record<string, unknown> };
	if (Buffer.isBuffer(request.rawBody)) return request.rawBody.length;
	return Number(request.headers['content-length'] ?? 0);
}

/** The callback as a JSON object with a text `status`, or undefined when it is not one. */
export function callbackBody(context: IWebhookFunctions): IDataObject | undefined {
	const body: unknown = context.getBodyData();
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const status = (body as IDataObject).status;
	return typeof status === 'string' && status !== '' ? (body as IDataObject) : undefined;
}

/** Every field Colossyan sent (payload and variables are merged into the body), plus the state and time. */
export function callbackJson(body: IDataObject): IDataObject {
	return {
		...body,
		state: jobState(body.status),
		url: body.url ?? null,
		videoUrl: body.videoUrl ?? null,
		shareUrl: body.shareUrl ?? null,
		receivedAt: new Date().toISOString(),
	};
}
