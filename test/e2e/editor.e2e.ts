/**
 * The package in n8n's real editor, in Debian's Chromium (installed when
 * absent): each of the four nodes is added from the node panel by searching its
 * name, every operation and mode is switched through, and the parameters the
 * editor shows must be exactly the ones the node's description calls for, with
 * no console error, page error or error toast along the way. Then each shipped
 * example is opened and every node of this package in it inspected the same way,
 * and a screenshot of example 1 is saved (E2E_README_SCREENSHOT=1 writes the README's).
 * Each operation's panel is saved too, for a reviewer to look at: e2e-artifacts/editor/<n8n version>/.
 * The package's labels must render in Title Case. E2E_LINES=2.x runs one n8n line only.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeParameters, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { ensureChromium } from './editor/chromium';
import { EditorPage } from './editor/editorPage';
import { check, walkNode } from './editor/walk';
import { loadExamples } from '../../scripts/n8n/examples';
import { N8N_RELEASES, PACKAGE_NAME, PROJECT_ROOT } from '../../scripts/n8n/install';
import type { N8nLine, Stack } from '../../scripts/n8n/stack';
import { startStack } from '../../scripts/n8n/stack';

const LINES = (process.env.E2E_LINES ?? '1.x,2.x').split(',') as N8nLine[];
const OWNER = { email: 'editor@example.com', firstName: 'Editor', lastName: 'Test', password: 'Editor-password-1' };
const ARTIFACTS = join(PROJECT_ROOT, 'e2e-artifacts');

function descriptionOf(file: string, className: string): INodeTypeDescription {
	const exports = require(join(PROJECT_ROOT, 'dist', 'nodes', file)) as Record<string, new () => INodeType>;
	return new exports[className]().description;
}

/** The four nodes, each with the node-panel entry a user searches for and the action or event picked there. */
const NODES = [
	{ label: 'RotateProduct Trigger', file: 'RotateProduct/RotateProductTrigger.node.js', className: 'RotateProductTrigger', search: 'RotateProduct', pick: 'On generation completed', values: {} },
	{ label: 'RotateProduct', file: 'RotateProduct/RotateProduct.node.js', className: 'RotateProduct', search: 'RotateProduct', pick: 'Generate videos', values: { resource: 'generation', operation: 'generate' } },
	{ label: 'Colossyan', file: 'Colossyan/Colossyan.node.js', className: 'Colossyan', search: 'Colossyan', pick: 'Generate a video', values: { resource: 'job', operation: 'generate' } },
	{ label: 'Colossyan Trigger', file: 'Colossyan/ColossyanTrigger.node.js', className: 'ColossyanTrigger', search: 'Colossyan', pick: 'On video failed', values: {} },
] satisfies Array<{ label: string; file: string; className: string; search: string; pick: string; values: INodeParameters }>;

describe.each(LINES.map((line) => [N8N_RELEASES[line].version, line] as const))('n8n %s editor, in Chromium', (version, line) => {
	let stack: Stack;
	let editor: EditorPage;

	beforeAll(async () => {
		const chromium = ensureChromium();
		stack = await startStack({ mode: 'regular', line, log: (text) => process.stdout.write(`${text}\n`) });
		await stack.n8n.setupOwner(OWNER);
		editor = await EditorPage.open(chromium, stack.n8n.baseUrl, OWNER);
		await editor.newWorkflow();
	});

	afterAll(async () => {
		await editor?.close();
		await stack?.stop();
	});

	afterEach(async () => {
		mkdirSync(ARTIFACTS, { recursive: true });
		await editor?.screenshot(join(ARTIFACTS, `editor-${version}-${expect.getState().currentTestName?.replace(/\W+/g, '-') ?? 'step'}.png`));
	});

	test.each(NODES.map((node, index) => [node.label, node, index] as const))('%s: added from the node panel, every operation and mode shows its fields', async (_label, node, index) => {
		const description = descriptionOf(node.file, node.className);
		await editor.addNode(node.search, node.pick, index === 0);
		const shots = join(ARTIFACTS, 'editor', version);
		mkdirSync(shots, { recursive: true });
		const states = await walkNode(editor, description, node.values, shots);
		await editor.closeNdv();
		expect(states.length).toBeGreaterThan(0);
		expect(states.filter((state) => state.shownInputs.length === 0)).toEqual([]);
		expect(states.filter((state) => state.mismatch)).toEqual([]);
		expect(editor.takeProblems()).toEqual([]);
	});

	test('every example workflow opens, and each of its nodes from this package shows the fields its parameters call for', async () => {
		const types = new Map(NODES.map((node) => [`${PACKAGE_NAME}.${descriptionOf(node.file, node.className).name}`, descriptionOf(node.file, node.className)]));
		const checked: string[] = [];
		for (const example of loadExamples(stack.out, stack.n8n.baseUrl)) {
			await editor.openWorkflow(example.id);
			const nodes = example.workflow.nodes as Array<{ name: string; type: string; parameters: INodeParameters }>;
			const ours = await editor.canvasNodes(`${PACKAGE_NAME}.`);
			expect(ours.sort()).toEqual(nodes.filter((node) => types.has(node.type)).map((node) => node.name).sort());
			for (const name of ours) {
				const node = nodes.find((candidate) => candidate.name === name);
				const description = types.get(String(node?.type));
				if (!node || !description) throw new Error(`${example.file}: no node ${name}`);
				await editor.openNode(name);
				const state = await check(editor, description, node.parameters);
				await editor.closeNdv();
				expect({ example: example.file, node: name, ...state.mismatch }).toEqual({ example: example.file, node: name });
				checked.push(`${example.file}: ${name}`);
			}
			expect(editor.takeProblems()).toEqual([]);
		}
		expect(checked.length).toBeGreaterThanOrEqual(6);
	});

	test('an example workflow opens without problems (screenshot for the README)', async () => {
		await editor.openWorkflow('rpcExample01');
		await editor.page.getByTestId('zoom-to-fit').click();
		const file = join(ARTIFACTS, `example-workflow-${version}.png`);
		mkdirSync(ARTIFACTS, { recursive: true });
		await editor.screenshot(file);
		expect(await editor.page.getByTestId('canvas-node').count()).toBeGreaterThanOrEqual(4);
		expect(await editor.errorToasts()).toEqual([]);
		expect(editor.takeProblems()).toEqual([]);
		if (process.env.E2E_README_SCREENSHOT && line === '2.x') copyFileSync(file, join(PROJECT_ROOT, 'examples', 'editor-screenshot.png'));
	});
});
