/**
 * Colossyan does not publish its error body, so the text is looked for in the
 * usual places (`message`, `error`, `error.message`, `detail`); each status gets
 * a message that says what happened and a description that says what to do.
 */
import { field, firstText } from '../../shared/errorText';
import type { AccessWording, ErrorExplanation, HttpFailure } from '../../shared/http';
import { explainAccessStatus, explainGenericStatus } from '../../shared/http';

export function colossyanErrorText(body: unknown): string | undefined {
	const message = field(body, 'message');
	return firstText(
		Array.isArray(message) ? message.join('; ') : message,
		field(field(body, 'error'), 'message'),
		field(body, 'error'),
		field(body, 'detail'),
		body,
	);
}

const COLOSSYAN_WORDING: AccessWording = {
	serviceName: 'Colossyan',
	secretName: 'API token',
	rejectedFix:
		'Open the Colossyan credential and paste a valid token. A token belongs to one workspace: jobs of other workspaces are not visible to it.',
	notFoundFix: "Check the id, and that the credential's token belongs to the workspace the job was created in.",
};

export function explainColossyanError({ statusCode, body, request }: HttpFailure): ErrorExplanation {
	const said = colossyanErrorText(body);
	return explainAccessStatus(COLOSSYAN_WORDING, statusCode, request, said) ?? explainGenericStatus('Colossyan', statusCode, said);
}
