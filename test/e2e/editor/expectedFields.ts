/**
 * What n8n's editor should show for a node in a given state, computed from the
 * built node's own description with n8n-workflow's display rules: the editor
 * test compares it with what the real editor renders.
 */
import type { INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

/** Parameter types that render no input of their own. */
const WITHOUT_INPUT = new Set(['notice', 'hidden', 'callout']);

function versionOf(description: INodeTypeDescription): { typeVersion: number } {
	const version = description.version;
	return { typeVersion: Array.isArray(version) ? Math.max(...version) : version };
}

/** The top-level parameters shown for `values`, defaults filled in as the editor does. */
export function visibleProperties(description: INodeTypeDescription, values: INodeParameters): INodeProperties[] {
	const node = versionOf(description);
	const nodeValues = currentValues(description, values);
	const shown = description.properties.filter(
		(property) => !WITHOUT_INPUT.has(property.type) && NodeHelpers.displayParameter(nodeValues, property, node, description),
	);
	return shown.filter((property, index) => shown.findIndex((other) => other.name === property.name) === index);
}

/** Whether the node's credential selector shows for `values`. */
export function credentialShown(description: INodeTypeDescription, values: INodeParameters): boolean {
	const nodeValues = currentValues(description, values);
	return (description.credentials ?? []).some((credential) => NodeHelpers.displayParameter(nodeValues, credential, versionOf(description), description));
}

/** Options and boolean parameters that decide which other parameters show: the node's operations and modes. */
export function switchParameters(description: INodeTypeDescription): string[] {
	const referenced = new Set(
		[...description.properties, ...(description.credentials ?? [])].flatMap((property) => [
			...Object.keys(property.displayOptions?.show ?? {}),
			...Object.keys(property.displayOptions?.hide ?? {}),
		]),
	);
	const switches = description.properties.filter((p) => (p.type === 'options' || p.type === 'boolean') && referenced.has(p.name));
	return [...new Set(switches.map((p) => p.name))];
}

/** The options (display name and value) of the `name` parameter visible for `values`. */
export function optionsOf(description: INodeTypeDescription, values: INodeParameters, name: string): Array<{ name: string; value: string }> {
	const property = visibleProperties(description, values).find((candidate) => candidate.name === name);
	return (property?.options ?? []).map((option) => {
		const { name: label, value } = option as { name: string; value: string };
		return { name: label, value: String(value) };
	});
}

/** The current values of the visible switch parameters (defaults where unset). */
export function currentValues(description: INodeTypeDescription, values: INodeParameters): INodeParameters {
	const node = versionOf(description);
	return NodeHelpers.getNodeParameters(description.properties, values, true, false, node, description) ?? {};
}
