/** Pulls the most human sentence out of an error body whose shape a service did not publish. */
export function firstText(...candidates: unknown[]): string | undefined {
	for (const candidate of candidates) {
		if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim().slice(0, 300);
	}
	return undefined;
}

export function field(value: unknown, key: string): unknown {
	return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

export function withDetail(sentence: string, detail: string | undefined): string {
	return detail && !sentence.includes(detail) ? `${sentence}: ${detail}` : sentence;
}

/** True for an absolute http: or https: URL. */
export function isHttpUrl(text: string): boolean {
	try {
		const { protocol } = new URL(text);
		return protocol === 'http:' || protocol === 'https:';
	} catch {
		return false;
	}
}
