/**
 * A JSON Schema of what a node actually output, in the shape n8n's own nodes
 * ship under `__schema__/` (the editor shows it as the node's output before it
 * has run, so fields can be mapped into the next node).
 */
export interface JsonSchema {
	type: string;
	properties?: Record<string, JsonSchema>;
	items?: JsonSchema;
}

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

/** Two schemas of the same place as one: object fields united; a known type wins over null. */
function merge(a: JsonSchema | undefined, b: JsonSchema): JsonSchema {
	if (!a || a.type === 'null') return b;
	if (b.type === 'null' || a.type !== b.type) return a.type === 'integer' && b.type === 'number' ? b : a;
	if (a.type === 'object') {
		const properties: Record<string, JsonSchema> = { ...a.properties };
		for (const [key, schema] of Object.entries(b.properties ?? {})) properties[key] = merge(properties[key], schema);
		return { type: 'object', properties: sortKeys(properties) };
	}
	if (a.type === 'array') return b.items ? { type: 'array', items: merge(a.items, b.items) } : a;
	return a;
}

function sortKeys(properties: Record<string, JsonSchema>): Record<string, JsonSchema> {
	return Object.fromEntries(Object.entries(properties).sort(([x], [y]) => x.localeCompare(y)));
}

function schemaOf(value: unknown): JsonSchema {
	const type = typeOf(value);
	if (type === 'object') {
		const properties = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, field]) => [key, schemaOf(field)]));
		return { type, properties: sortKeys(properties) };
	}
	if (type === 'array') {
		const items = (value as unknown[]).map(schemaOf).reduce<JsonSchema | undefined>((all, item) => merge(all, item), undefined);
		return items ? { type, items } : { type };
	}
	return { type };
}

/** The schema of several samples of one output (e.g. every item), merged. */
export function inferSchema(samples: unknown[]): JsonSchema {
	return samples.map(schemaOf).reduce<JsonSchema>((all, sample) => merge(all, sample), { type: 'null' });
}
