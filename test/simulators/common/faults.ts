/** Faults a test can ask a simulator to inject, each for the next `times` matching requests. */
export type Fault =
	/** Answer with this status before processing (429 with Retry-After, 503, ...). */
	| { kind: 'status'; status: number; retryAfter?: string; body?: unknown }
	/** Drop the connection before processing: the service never saw the request. */
	| { kind: 'reset' }
	/** Process the request (charge, create), then drop the connection: the ambiguous case. */
	| { kind: 'resetAfterProcessing' }
	/** Process the request, then answer with this status (a gateway error after the fact). */
	| { kind: 'statusAfterProcessing'; status: number }
	/** Announce the full Content-Length, send `afterBytes` of the body, then drop the connection. */
	| { kind: 'truncate'; afterBytes: number }
	/** Wait before answering. */
	| { kind: 'slow'; delayMs: number }
	/** Answer 200 with a body that is not valid JSON. */
	| { kind: 'malformedJson' }
	/**
	 * Answer with a redirect to `location` (another origin, e.g. a ForeignOrigin's URL) before processing;
	 * a function makes the Location from the request (e.g. the same path and query elsewhere).
	 */
	| { kind: 'redirect'; location: string | ((request: { path: string; query: URLSearchParams }) => string); status?: 301 | 302 | 303 | 307 | 308 }
	/** Answer `status` with the request's own headers echoed in the body, as a careless proxy or debug page does. */
	| { kind: 'echoHeaders'; status: number; as: EchoShape }
	/** Accept the request and never answer: no status, no headers, the connection stays open. */
	| { kind: 'noResponse' }
	/** Process the request, send the status, headers and `afterBytes` of the body, then nothing more (the connection stays open). */
	| { kind: 'stallBody'; afterBytes: number }
	/** Process the request (or, with `status`, answer that error without processing), send status and headers, then the body one byte every `intervalMs`, padded with spaces forever. */
	| { kind: 'trickleBody'; intervalMs: number; status?: number }
	/** Accept the request, then send the status line and one byte of an endless header every `intervalMs`. */
	| { kind: 'trickleHeaders'; intervalMs: number }
	/**
	 * Video files only (Reply.video): the file is a new version for this answer (other bytes,
	 * another ETag and Last-Modified). With `ignoreIfRange` the server honours a Range whatever
	 * If-Range says: a 206 with the right range from the new file. `afterBytes`: then break off.
	 */
	| { kind: 'fileChanged'; ignoreIfRange?: boolean; afterBytes?: number }
	/** Video files only: the answer carries no ETag or Last-Modified (nothing to resume against). `afterBytes`: then break off. */
	| { kind: 'noValidators'; afterBytes?: number }
	/** Video files only: a 206 with the first `bytes` of the file (`bytes 0-<bytes-1>/<size>`), whatever was asked. */
	| { kind: 'partialAnswer'; bytes: number }
	/** Video files only: a 200 with Content-Length 0. */
	| { kind: 'emptyBody' };

/**
 * How an echoing upstream shapes what it saw: `json` `{ message, request: { headers } }`;
 * `nested` the headers deep inside error details and in the message; `text` a plain-text dump;
 * `html` a debug page with header lines in a <pre>; `base64` the Authorization line and the
 * key base64-encoded; `urlencoded` the key inside an echoed, URL-encoded request URL.
 * Every shape also echoes the Authorization value in the answer's own headers
 * (`WWW-Authenticate`, `X-Echo-Authorization`).
 */
export type EchoShape = 'json' | 'nested' | 'text' | 'html' | 'base64' | 'urlencoded';

export interface FaultRule {
	method?: string;
	/** Exact path, or a pattern tested against the path (no query string). */
	path?: string | RegExp;
	/** How many matching requests get the fault (default 1). */
	times?: number;
	/** Not for requests whose query string has this parameter (e.g. a redirect's own target). */
	unlessQuery?: string;
	fault: Fault;
}

export class FaultPlan {
	private readonly rules: Array<FaultRule & { left: number }> = [];

	add(rule: FaultRule): void {
		this.rules.push({ ...rule, left: rule.times ?? 1 });
	}

	clear(): void {
		this.rules.length = 0;
	}

	/** The fault for this request, if any rule still has uses left. */
	take(method: string, path: string, query?: URLSearchParams): Fault | undefined {
		const rule = this.rules.find(
			(candidate) =>
				candidate.left > 0 &&
				(!candidate.method || candidate.method === method) &&
				(!candidate.unlessQuery || !query?.has(candidate.unlessQuery)) &&
				(!candidate.path ||
					(typeof candidate.path === 'string' ? candidate.path === path : candidate.path.test(path))),
		);
		if (!rule) return undefined;
		rule.left--;
		return rule.fault;
	}
}
