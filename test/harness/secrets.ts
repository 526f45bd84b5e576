/**
 * Every API key handed to the engine is registered here, and every run's errors
 * and output are searched for them: a key that leaks into an error, a
 * description or an output item fails the test that leaked it.
 */
const secrets = new Set<string>();

export function registerSecret(value: unknown): void {
	if (typeof value === 'string' && value.length >= 6) secrets.add(value);
}

/** Everything readable in a value: own properties, non-enumerable Error fields, causes. */
export function allText(value: unknown, depth = 0, seen = new WeakSet<object>()): string {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'object') return String(value);
	if (seen.has(value) || depth > 8) return '';
	seen.add(value);
	const parts: string[] = [];
	const keys = new Set<string>(Object.keys(value));
	if (value instanceof Error) {
		for (const key of Object.getOwnPropertyNames(value)) keys.add(key);
		for (const key of ['message', 'stack', 'description', 'cause', 'context', 'errorResponse']) keys.add(key);
	}
	for (const key of keys) {
		let child: unknown;
		try {
			child = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		if (typeof child === 'function') continue;
		parts.push(`${key}=${allText(child, depth + 1, seen)}`);
	}
	return parts.join('\n');
}

export function leakedSecrets(value: unknown): string[] {
	const text = allText(value);
	return [...secrets].filter((secret) => text.includes(secret));
}

export function assertNoSecrets(value: unknown, where: string): void {
	const leaked = leakedSecrets(value);
	if (leaked.length > 0) {
		throw new Error(`An API key leaked into ${where} (${leaked.length} key(s) found)`);
	}
}
