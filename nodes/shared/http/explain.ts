/**
 * What a non-2xx status means to a user, for each service's `explain`: the
 * statuses every API shares are worded here once; a service passes its own
 * words (what its credential is called, how to fix it) as data, and explains
 * its own special cases (expiry, credits) itself.
 */
import { withDetail } from '../errorText';
import type { ApiRequest, ErrorExplanation } from './types';

/** A service's own words for the statuses about access: a rejected credential, a missing thing. */
export interface AccessWording {
	/** Shown in messages: "RotateProduct". */
	serviceName: string;
	/** What the credential's secret is called: "API key". */
	secretName: string;
	/** What to do about a 401/403. */
	rejectedFix: string;
	/** What to do about a 404. */
	notFoundFix: string;
}

/** 401/403 (the credential) and 404 (the id), or undefined for any other status. */
export function explainAccessStatus(
	wording: AccessWording,
	statusCode: number,
	request: Pick<ApiRequest, 'notFound'>,
	said: string | undefined,
): ErrorExplanation | undefined {
	if (statusCode === 401 || statusCode === 403) {
		return {
			message: withDetail(`${wording.serviceName} rejected the ${wording.secretName}`, said),
			description: wording.rejectedFix,
		};
	}
	if (statusCode === 404) {
		return {
			message: request.notFound ? `Not found: ${request.notFound}` : withDetail(`${wording.serviceName} found nothing there`, said),
			description: wording.notFoundFix,
		};
	}
	return undefined;
}

/**
 * What any HTTP API's 400/422, 429, 5xx and other statuses mean to a user, once
 * explainAccessStatus and the service's own special cases had their say.
 */
export function explainGenericStatus(serviceName: string, statusCode: number, said: string | undefined): ErrorExplanation {
	if (statusCode === 400 || statusCode === 422) {
		return {
			message: withDetail(`${serviceName} refused the request`, said),
			description: 'Correct the value the message names and run the node again.',
		};
	}
	if (statusCode === 429) {
		return {
			message: withDetail(`${serviceName} is limiting the request rate`, said),
			description: 'Wait a minute and run the node again, or send fewer items at once.',
		};
	}
	if (statusCode >= 500) {
		return {
			message: withDetail(`${serviceName} had a server error (${statusCode})`, said),
			description: `This is on ${serviceName}'s side. Try again in a few minutes.`,
		};
	}
	return {
		message: withDetail(`${serviceName} answered with status ${statusCode}`, said),
		description: "Check the node's fields and try again.",
	};
}

/**
 * A non-2xx answer from a file host (a public file URL, a CDN): no credential was
 * sent there, so the words never speak of the API key or token; they say whose
 * answer it was and what to do about a link that expired or is not public.
 */
export function explainFileHostStatus(
	statusCode: number,
	host: string,
	request: Pick<ApiRequest, 'notFound'>,
	said: string | undefined,
): ErrorExplanation {
	const fresh = 'Look the video up again for a fresh link, then run the node again.';
	if (statusCode === 401 || statusCode === 403) {
		return {
			message: withDetail(`The file host ${host} refused the download (status ${statusCode})`, said),
			description: `The file's link may have expired or may not be public. ${fresh}`,
		};
	}
	if (statusCode === 404 || statusCode === 410) {
		const what = request.notFound ? `Not found at the file host ${host}: ${request.notFound}` : `The file host ${host} has no file at that address`;
		return { message: withDetail(`${what} (status ${statusCode})`, said), description: `The file may have been deleted or its link may have expired. ${fresh}` };
	}
	return {
		message: withDetail(`The file host ${host} answered with status ${statusCode}`, said),
		description: statusCode >= 500 || statusCode === 429 ? 'The file host may be busy. Try again in a few minutes.' : fresh,
	};
}
