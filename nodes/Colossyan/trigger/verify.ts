/**
 * Who may start the workflow. Colossyan does not sign callbacks, so the
 * trigger accepts only callbacks whose URL carries proof: the signature the
 * Colossyan node adds (same credential), or a secret the user appended.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { hasValidSignature, sameSecret } from '../helpers/callbackToken';

export type Verification = 'signature' | 'sharedSecret' | 'none';

export const SHARED_SECRET_PARAMETER = 'token';

export async function isVerified(context: IWebhookFunctions, query: Record<string, unknown>): Promise<boolean> {
	const verification = context.getNodeParameter('verification', 'signature') as Verification;
	if (verification === 'none') return true;
	if (verification === 'sharedSecret') {
		const expected = String(context.getNodeParameter('sharedSecret', '') ?? '');
		const given = query[SHARED_SECRET_PARAMETER];
		// An empty configured secret verifies nothing: refuse rather than accept all.
		return expected !== '' && typeof given === 'string' && sameSecret(given, expected);
	}
	const credentials = await context.getCredentials('colossyanApi');
	return hasValidSignature(query, String(credentials.apiKey ?? ''));
}
