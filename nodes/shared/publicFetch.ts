/**
 * A GET of a file URL that came from outside (a callback body, or an API
 * answer the trigger fetches unattended): the shared request loop follows
 * redirects itself and the URL guard checks every hop before it is requested;
 * no credential is sent, the response and the body each have a time limit
 * (the node's Request Timeouts option, like every other request),
 * and a body announced larger than expected is refused before it is read.
 */
import type { Readable } from 'node:stream';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiContext } from './context';
import type { ApiResponse, ServiceDefinition } from './http';
import { publicRequest } from './http';
import { contentLength } from './download';
import { shownUrl, whyRefused } from './urlGuard';

export interface GuardedFetch {
	/** Hosts the user allowed despite a private address (self-hosted stores). */
	allowedHosts: readonly string[];
	/** Said in errors, e.g. `the video of this callback`. */
	what: string;
	itemIndex?: number;
	/** Refuse a body larger than this (the size the API announced). */
	maxBytes?: number;
}

export async function guardedFileStream(
	context: ApiContext,
	service: ServiceDefinition,
	url: string,
	fetch: GuardedFetch,
): Promise<ApiResponse<Readable>> {
	const response = await publicRequest<Readable>(context, service, url, {
		encoding: 'stream',
		itemIndex: fetch.itemIndex,
		notFound: `${fetch.what} at ${shownUrl(url)}`,
		checkHop: async (hop) => await checkOrExplain(context, hop.toString(), fetch),
	});
	return limited(context, response, fetch);
}

async function checkOrExplain(context: ApiContext, url: string, fetch: GuardedFetch): Promise<void> {
	const reason = await whyRefused(url, fetch.allowedHosts);
	if (reason) throw refused(context, url, reason, fetch);
}

function refused(context: ApiContext, url: string, reason: string, fetch: GuardedFetch): NodeOperationError {
	return new NodeOperationError(context.getNode(), `Refused to fetch ${shownUrl(url)}: ${reason}. Nothing was downloaded for ${fetch.what}`, {
		itemIndex: fetch.itemIndex,
		description:
			'Only public addresses are fetched. If this host is your own file store, add its name to the "Allowed Hosts" option.',
	});
}

function limited(context: ApiContext, response: ApiResponse<Readable>, fetch: GuardedFetch): ApiResponse<Readable> {
	if (fetch.maxBytes === undefined) return response;
	const announced = contentLength(response.headers);
	if (announced !== undefined && announced > fetch.maxBytes) {
		response.body.destroy();
		throw new NodeOperationError(
			context.getNode(),
			`Refused ${fetch.what}: it announces ${announced} bytes, more than the ${fetch.maxBytes} Colossyan reported`,
			{ itemIndex: fetch.itemIndex, description: 'The file is not the video Colossyan made. Nothing was downloaded.' },
		);
	}
	// A body that then sends more than it announced is cut off by the download's one stream (checkedStream).
	return response;
}
