/**
 * Colossyan does not publish its error body, so the text is looked for in the
 * usual places (`message`, `error`, `error.message`, `detail`); each status gets
 * a message that says what happened and a description that says what to do.
 */
import { field, firstText, withDetail } from '../../shared/errorText';
import type { ErrorExplanation, HttpFailure } from '../../shared/http';
import { explainGenericStatus } from '../../shared/http';

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

export function explainColossyanError({ statusCode, body, request }: HttpFailure): ErrorExplanation {
	const said = colossyanErrorText(body);
	if (statusCode === 401 || statusCode === 403) {
		return {
			message: withDetail('Colossyan rejected the API token', said),
			description:
				'Open the Colossyan credential and paste a valid token. A token belongs to one workspace: jobs of other workspaces are not visible to it.',
		};
	}
	if (statusCode === 404) {
		return {
			message: request.notFound ? `Not found: ${request.notFound}` : withDetail('Colossyan found nothing there', said),
			description: 'Check the id, and that the credential\'s token belongs to the workspace the job was created in.',
		};
	}
	return explainGenericStatus('Colossyan', statusCode, said);
}
