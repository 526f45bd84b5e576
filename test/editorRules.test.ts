/**
 * One dialect in the editor: the rules n8n's own nodes follow, held for every
 * parameter, option and operation of the four built nodes (dist/) and both
 * credentials, so a new operation that breaks one fails here, not in a user's eyes.
 */
import { join } from 'node:path';

import type { ICredentialType, INodeParameters, INodeProperties, INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

const DIST = join(__dirname, '..', 'dist');

function load<T>(file: string, className: string): T {
	const exports = require(join(DIST, file)) as Record<string, new () => T>;
	return new exports[className]();
}

const NODES: INodeTypeDescription[] = [
	['nodes/RotateProduct/RotateProduct.node.js', 'RotateProduct'],
	['nodes/RotateProduct/RotateProductTrigger.node.js', 'RotateProductTrigger'],
	['nodes/Colossyan/Colossyan.node.js', 'Colossyan'],
	['nodes/Colossyan/ColossyanTrigger.node.js', 'ColossyanTrigger'],
].map(([file, className]) => load<INodeType>(file, className).description);
const [rotateProduct, , colossyan] = NODES;
const ACTION_NODES = [rotateProduct, colossyan];

const CREDENTIALS: ICredentialType[] = [
	load<ICredentialType>('credentials/RotateProductApi.credentials.js', 'RotateProductApi'),
	load<ICredentialType>('credentials/ColossyanApi.credentials.js', 'ColossyanApi'),
];

/** Every property, nested ones (collection entries, fixedCollection values) included. */
function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => {
		const nested = (property.options ?? []).flatMap((option) => {
			if ('displayName' in option && 'type' in option) return allProperties([option]);
			if ('values' in option) return allProperties(option.values);
			return [];
		});
		return [property, ...nested];
	});
}

/** Every option of an options or multiOptions parameter. */
function choices(properties: INodeProperties[]): INodePropertyOptions[] {
	return allProperties(properties)
		.filter((property) => property.type === 'options' || property.type === 'multiOptions')
		.flatMap((property) => (property.options ?? []) as INodePropertyOptions[]);
}

/** Each resource and operation of an action node: the values the editor switches between. */
function operationsOf(description: INodeTypeDescription): Array<{ resource: string; operation: INodePropertyOptions }> {
	const resources = (description.properties.find((p) => p.name === 'resource')?.options ?? []) as INodePropertyOptions[];
	return resources.flatMap((resource) =>
		description.properties
			.filter((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[] | undefined)?.includes(String(resource.value)))
			.flatMap((p) => (p.options ?? []) as INodePropertyOptions[])
			.map((operation) => ({ resource: String(resource.value), operation })),
	);
}

/** The top-level parameters the editor shows for `values`, in order (notices aside). */
function shown(description: INodeTypeDescription, values: INodeParameters): INodeProperties[] {
	const node = { typeVersion: 1 };
	const current = NodeHelpers.getNodeParameters(description.properties, values, true, false, node, description) ?? {};
	return description.properties.filter((p) => p.type !== 'notice' && NodeHelpers.displayParameter(current, p, node, description));
}

/** Words n8n's Title Case leaves small, as in "Reuse Recent Generations", "Poll the Job", "One Archive per 100 IDs". */
const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'per', 'the', 'to', 'with', 'n8n']);

function notTitleCase(label: string): boolean {
	const words = label.replace(/\([^)]*\)/g, '').split(/[\s/]+/).filter(Boolean);
	return words.some((word, index) => /^[a-z]/.test(word) && (index === 0 || !SMALL_WORDS.has(word)));
}

/** Text a user reads: labels, option names, descriptions, hints, notices. Expressions and quoted field names aside. */
function userText(description: INodeTypeDescription): Array<{ where: string; text: string }> {
	const texts = allProperties(description.properties).flatMap((p) => [
		{ where: `${description.name}.${p.name}`, text: `${p.displayName} ${p.description ?? ''} ${p.hint ?? ''}` },
	]);
	const options = choices(description.properties).map((o) => ({ where: `${description.name} option ${o.name}`, text: `${o.name} ${o.description ?? ''} ${o.action ?? ''}` }));
	return [{ where: description.name, text: `${description.displayName} ${description.description}` }, ...texts, ...options].map(({ where, text }) => ({
		where,
		text: text.replace(/\{\{[^}]*\}\}/g, '').replace(/"[^"]*"/g, '').replace(/<a [^>]*>/g, ''),
	}));
}

describe('one dialect for both nodes, as n8n writes it', () => {
	test.each(NODES.map((d) => [d.displayName, d] as const))('%s: labels and option names are in Title Case', (_name, description) => {
		const labels = allProperties(description.properties)
			.filter((p) => p.type !== 'notice')
			.map((p) => p.displayName);
		const names = choices(description.properties).map((o) => o.name);
		expect([...labels, ...names].filter(notTitleCase)).toEqual([]);
	});

	test.each(NODES.map((d) => [d.displayName, d] as const))('%s: every collection says "Add <Thing>" in Title Case; the options one says "Add Option"', (_name, description) => {
		const collections = allProperties(description.properties).filter((p) => p.type === 'collection' || p.type === 'fixedCollection');
		expect(collections.length).toBeGreaterThan(0);
		expect(collections.filter((p) => !/^Add( [A-Z][a-z]+)+$/.test(p.placeholder ?? ''))).toEqual([]);
		expect(collections.filter((p) => p.name === 'options' && (p.displayName !== 'Options' || p.placeholder !== 'Add Option'))).toEqual([]);
	});

	test.each(NODES.map((d) => [d.displayName, d] as const))('%s: "ID" and "IDs" in capitals, and n8n never miscased, wherever a user reads', (_name, description) => {
		const wrong = userText(description).filter(({ text }) => /\b(id|Id|ids|Ids|iD)\b|\bN8[nN]\b|\bn8N\b/.test(text));
		expect(wrong).toEqual([]);
	});

	test.each(NODES.map((d) => [d.displayName, d] as const))('%s: no hint hides behind an expression default (n8n shows the expression\'s value there instead)', (_name, description) => {
		const hidden = allProperties(description.properties).filter((p) => p.hint && typeof p.default === 'string' && p.default.startsWith('='));
		expect(hidden.map((p) => p.name)).toEqual([]);
	});

	test('the same operation has the same name in both nodes', () => {
		const names = (description: INodeTypeDescription) => new Map(operationsOf(description).map(({ operation }) => [String(operation.value), operation.name]));
		const rp = names(rotateProduct);
		const co = names(colossyan);
		expect({ generate: rp.get('generate'), getStatus: rp.get('getStatus'), downloadZip: rp.get('downloadZip'), download: rp.get('downloadVideo') }).toEqual({
			generate: co.get('generate'),
			getStatus: co.get('getStatus'),
			downloadZip: co.get('downloadZip'),
			download: co.get('download'),
		});
		expect(rp.get('downloadVideo')).toBe('Download Video');
	});
});

describe.each(ACTION_NODES.map((d) => [d.displayName, d] as const))('%s: every operation', (_name, description) => {
	const operations = operationsOf(description);

	test('shows its Options last, with the request timeouts in them (no separate timeouts section)', () => {
		expect(operations.length).toBeGreaterThan(0);
		const wrong = operations.flatMap(({ resource, operation }) => {
			const fields = shown(description, { resource, operation: operation.value });
			const last = fields[fields.length - 1];
			const timeouts = ((last?.options ?? []) as INodeProperties[]).map((o) => o.name);
			const ok = last?.name === 'options' && timeouts.includes('responseTimeoutSeconds') && timeouts.includes('stallTimeoutSeconds');
			return ok ? [] : [`${resource}:${operation.value} ends with ${last?.name ?? 'nothing'}`];
		});
		expect(wrong).toEqual([]);
		expect(description.properties.filter((p) => p.name === 'requestTimeouts')).toEqual([]);
	});

	test('has a canvas subtitle in words: its action, never the parameter values', () => {
		const subtitle = String(description.subtitle);
		const body = /^=\{\{(.*)\}\}$/s.exec(subtitle)?.[1];
		expect(body).toBeDefined();
		const evaluate = new Function('$parameter', `return (${body});`) as ($parameter: INodeParameters) => unknown;
		const seen = operations.map(({ resource, operation }) => evaluate({ resource, operation: operation.value }));
		expect(seen).toEqual(operations.map(({ operation }) => operation.action));
		expect(seen.every((text) => typeof text === 'string' && /^[A-Z][a-z]+ [a-z]/.test(text))).toBe(true);
	});
});

describe('the triggers', () => {
	test.each(NODES.filter((d) => d.group.includes('trigger')).map((d) => [d.displayName, d] as const))('%s: request timeouts in its Options, last', (_name, description) => {
		const fields = shown(description, {});
		const last = fields[fields.length - 1];
		expect(last?.name).toBe('options');
		expect(((last?.options ?? []) as INodeProperties[]).map((o) => o.name)).toEqual(expect.arrayContaining(['responseTimeoutSeconds', 'stallTimeoutSeconds']));
	});
});

describe.each(CREDENTIALS.map((c) => [c.displayName, c] as const))('%s credential', (_name, credential) => {
	test('speaks to users: no developer tools or local addresses in its dialog', () => {
		const texts = credential.properties.map((p) => `${p.displayName} ${p.description ?? ''} ${p.hint ?? ''}`);
		expect(texts.filter((text) => /npm|simulator|localhost|127\.0\.0\.1|\bjest\b/i.test(text))).toEqual([]);
	});

	test('its documentation link is not the unpublished npm page', () => {
		expect(String(credential.documentationUrl)).not.toMatch(/npmjs\.com/);
	});
});
