/**
 * Who may start the workflow. Colossyan does not sign callbacks, so the
 * trigger accepts only callbacks whose URL carries proof: the signature the
 * Colossyan node adds (same credential), or a secret the user appended.
 */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { hasValidSignature, sameSecret } from '../helpers/callbackToken';
import { colossyanApiToken } from '../transport';

export type Verification = 'signature' | 'sharedSecret' | 'none';

export const SHARED_SECRET_PARAMETER = 'token';
/** A secret in a URL can be guessed offline if short; 16 random characters are out of reach. */
export const MIN_SECRET_LENGTH = 16;

export type VerificationResult = 'verified' | 'refused' | 'weakSecret';

export function verificationOf(context: IWebhookFunctions | IHookFunctions): Verification {
	return context.getNodeParameter('verification', 'signature') as Verification;
}

function configuredSecret(context: IWebhookFunctions | IHookFunctions): string {
	return String(context.getNodeParameter('sharedSecret', '') ?? '');
}

export function weakSecretError(context: IWebhookFunctions | IHookFunctions): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`The Shared Secret of the Colossyan Trigger must be at least ${MIN_SECRET_LENGTH} characters long`,
		{
			description: `Set Shared Secret to a long random value (at least ${MIN_SECRET_LENGTH} characters, e.g. from a password generator) and put the same value after ?${SHARED_SECRET_PARAMETER}= in the callback URL. Until then every callback is refused.`,
		},
	);
}

/** At activation: a secret too short to protect anything stops the workflow from activating. */
export function assertUsableSecret(context: IHookFunctions): void {
	if (verificationOf(context) === 'sharedSecret' && configuredSecret(context).length < MIN_SECRET_LENGTH) {
		throw weakSecretError(context);
	}
}

export async function verify(context: IWebhookFunctions, query: Record<string, unknown>): Promise<VerificationResult> {
	const verification = verificationOf(context);
	if (verification === 'none') return 'verified';
	if (verification === 'sharedSecret') {
		const expected = configuredSecret(context);
		// A short (or empty) configured secret verifies nothing: refuse rather than accept.
		if (expected.length < MIN_SECRET_LENGTH) return 'weakSecret';
		const given = query[SHARED_SECRET_PARAMETER];
		return typeof given === 'string' && sameSecret(given, expected) ? 'verified' : 'refused';
	}
	return hasValidSignature(query, await colossyanApiToken(context)) ? 'verified' : 'refused';
}
