/** The shipped example workflows, made to run here: output folder and n8n's address filled in. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PROJECT_ROOT } from './install';

export const EXAMPLES_DIR = join(PROJECT_ROOT, 'examples');
export const EXAMPLE_OUTPUT = '/tmp/rotateproduct-colossyan-examples';
export const EXAMPLE_HOST = 'https://YOUR-N8N-HOST';
/** The folders the examples write into, below EXAMPLE_OUTPUT. */
export const EXAMPLE_FOLDERS = ['zip', 'trigger', 'colossyan', 'template', 'form'];

export interface Example {
	file: string;
	id: string;
	workflow: Record<string, unknown>;
}

export function loadExamples(outputDir: string, n8nBaseUrl: string): Example[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const text = readFileSync(join(EXAMPLES_DIR, file), 'utf8')
				.split(EXAMPLE_OUTPUT)
				.join(outputDir)
				.split(EXAMPLE_HOST)
				.join(n8nBaseUrl);
			const workflow = JSON.parse(text) as Record<string, unknown>;
			allowSimulatorHosts(workflow);
			return { file, id: String(workflow.id), workflow };
		});
}

/**
 * The simulators stand for Colossyan's public file host but listen on 127.0.0.1,
 * which the Colossyan Trigger's download refuses unless allow-listed.
 */
function allowSimulatorHosts(workflow: Record<string, unknown>): void {
	const nodes = (workflow.nodes ?? []) as Array<{ type?: string; parameters?: Record<string, unknown> }>;
	for (const node of nodes) {
		if (node.type?.endsWith('.colossyanTrigger') && node.parameters?.downloadVideo) node.parameters.allowedHosts = '127.0.0.1';
	}
}

/** The credentials the examples refer to, pointing at the simulators. */
export function exampleCredentials(rotateProduct: { apiUrl: string; key: string }, colossyan: { apiUrl: string; token: string }): unknown[] {
	return [
		{ id: 'rpExampleCred001', name: 'RotateProduct account', type: 'rotateProductApi', data: { apiKey: rotateProduct.key, baseUrl: rotateProduct.apiUrl } },
		{ id: 'colExampleCred01', name: 'Colossyan account', type: 'colossyanApi', data: { apiKey: colossyan.token, baseUrl: colossyan.apiUrl } },
	];
}
