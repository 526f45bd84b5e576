/** The shapes the transport's parts share (kept apart so they import no code from each other). */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import type { ServiceRetryPolicy } from '../retry';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, e.g. `/generations/12/status`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** `stream`: the body comes back as a Readable (downloads). */
	encoding?: 'json' | 'stream';
	/**
	 * A request that spends money (creates generations or jobs). The service's retry
	 * policy says what is retried for it; never what the service may have processed.
	 */
	paid?: boolean;
	/** The item this request is for, so n8n shows the error on that item. */
	itemIndex?: number;
	/** What a 404 means for this request, e.g. `no generation 42 in this account`. */
	notFound?: string;
	/** Extra request headers, e.g. `Range` to resume a download. */
	headers?: Record<string, string>;
}

export interface ApiResponse<Body> {
	body: Body;
	headers: ResponseHeaders;
	statusCode: number;
}

/** A non-2xx answer, handed to the service to explain. */
export interface HttpFailure {
	statusCode: number;
	/** The parsed JSON error body, or its text when it is not JSON (credentials already removed). */
	body: unknown;
	request: ApiRequest;
}

export interface ErrorExplanation {
	message: string;
	description: string;
}

export interface ServiceDefinition {
	/** Shown in messages: "RotateProduct", "Colossyan". */
	name: string;
	credentialType: string;
	explain(failure: HttpFailure): ErrorExplanation;
	/** How its requests are retried: timing, which statuses and network errors, and paid requests. */
	retryPolicy: ServiceRetryPolicy;
}

/**
 * Called before every request of a redirect chain, the first one included, with
 * the URL about to be fetched; throwing refuses it (e.g. an SSRF guard for
 * public file URLs). What it throws reaches the user unchanged.
 */
export type HopCheck = (url: URL) => Promise<void> | void;
