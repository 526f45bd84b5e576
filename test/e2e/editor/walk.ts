/**
 * Switches a node's open NDV through every resource and operation, and each
 * mode (an options or boolean parameter other parameters depend on) one at a
 * time, checking at every state that the editor shows what the description
 * says it should.
 */
import { join } from 'node:path';

import type { INodeParameters, INodeTypeDescription } from 'n8n-workflow';

import type { EditorPage } from './editorPage';
import { credentialShown, optionsOf, switchParameters, visibleProperties } from './expectedFields';

const COLLECTIONS = new Set(['collection', 'fixedCollection']);

export interface CheckedState {
	values: INodeParameters;
	shownInputs: string[];
	mismatch?: {
		expectedInputs: string[];
		shownInputs: string[];
		missingLabels: string[];
		notTitleCase: string[];
		credential: { expected: boolean; shown: boolean };
		toasts: string[];
	};
}

/** Words n8n's Title Case leaves small ("Wait for Completion", "Poll the Job"); the same list as test/editorRules.test.ts. */
const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'per', 'the', 'to', 'with', 'n8n']);

export function notTitleCase(label: string): boolean {
	const words = label.replace(/\([^)]*\)/g, '').split(/[\s/]+/).filter(Boolean);
	return words.some((word, index) => /^[a-z]/.test(word) && (index === 0 || !SMALL_WORDS.has(word)));
}

/** Compares what the open NDV shows with what the description calls for in state `values`. */
export async function check(editor: EditorPage, description: INodeTypeDescription, values: INodeParameters): Promise<CheckedState> {
	const expected = visibleProperties(description, values);
	const topLevel = new Set(description.properties.map((property) => property.name));
	const expectedInputs = expected.filter((p) => !COLLECTIONS.has(p.type)).map((p) => p.name).sort();
	// Inputs inside a collection (e.g. n8n's own Poll Times) are not top-level parameters.
	const readInputs = async () => (await editor.shownParameters()).filter((name) => topLevel.has(name));
	// The editor re-renders a moment after a change (2.x debounces it): give it up to 3 s to settle.
	let shownInputs = await readInputs();
	for (let attempt = 0; attempt < 20 && shownInputs.join() !== expectedInputs.join(); attempt++) {
		await new Promise((resolve) => setTimeout(resolve, 150));
		shownInputs = await readInputs();
	}
	const labels = await editor.shownLabels();
	// The package's own labels as the editor renders them (n8n's own, e.g. its credential selector's, aside).
	const ours = new Set(description.properties.map((property) => property.displayName.toLowerCase()));
	const notTitle = labels.filter((label) => ours.has(label.toLowerCase()) && notTitleCase(label));
	const missingLabels = expected.filter((p) => COLLECTIONS.has(p.type) && !labels.includes(p.displayName)).map((p) => p.displayName);
	const credential = { expected: credentialShown(description, values), shown: await editor.credentialSelectorShown() };
	const toasts = await editor.errorToasts();
	const same =
		expectedInputs.join() === shownInputs.join() &&
		missingLabels.length === 0 &&
		notTitle.length === 0 &&
		credential.expected === credential.shown &&
		toasts.length === 0;
	return same
		? { values, shownInputs }
		: { values, shownInputs, mismatch: { expectedInputs, shownInputs, missingLabels, notTitleCase: notTitle, credential, toasts } };
}

/** Each mode visible in `values`, varied alone from its default and set back. */
async function walkModes(editor: EditorPage, description: INodeTypeDescription, values: INodeParameters, states: CheckedState[]): Promise<void> {
	const modes = switchParameters(description).filter((name) => name !== 'resource' && name !== 'operation');
	for (const name of modes) {
		const property = visibleProperties(description, values).find((candidate) => candidate.name === name);
		if (!property) continue;
		if (property.type === 'boolean') {
			await editor.toggle(name);
			states.push(await check(editor, description, { ...values, [name]: !property.default }));
			await editor.toggle(name);
			continue;
		}
		const options = optionsOf(description, values, name);
		const initial = options.find((option) => option.value === String(property.default)) ?? options[0];
		for (const option of options.filter((candidate) => candidate !== initial)) {
			await editor.selectOption(name, option.name);
			states.push(await check(editor, description, { ...values, [name]: option.value }));
		}
		await editor.selectOption(name, initial.name);
	}
}

/**
 * Walks the NDV that is open for `description`, starting from `initial` (the action picked in
 * the node panel), and saves a screenshot of each operation's panel into `shots`.
 */
export async function walkNode(editor: EditorPage, description: INodeTypeDescription, initial: INodeParameters, shots: string): Promise<CheckedState[]> {
	const states: CheckedState[] = [];
	const hasResources = description.properties.some((property) => property.name === 'resource');
	if (!hasResources) {
		states.push(await check(editor, description, initial));
		await editor.screenshot(join(shots, `${description.name}.png`));
		await walkModes(editor, description, initial, states);
		return states;
	}
	for (const resource of optionsOf(description, {}, 'resource')) {
		await editor.selectOption('resource', resource.name);
		for (const operation of optionsOf(description, { resource: resource.value }, 'operation')) {
			await editor.selectOption('operation', operation.name);
			const values = { resource: resource.value, operation: operation.value };
			states.push(await check(editor, description, values));
			await editor.screenshot(join(shots, `${description.name}-${resource.value}-${operation.value}.png`));
			await walkModes(editor, description, values, states);
		}
	}
	return states;
}
