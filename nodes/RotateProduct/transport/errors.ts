/**
 * RotateProduct's error body: `{ success: false, error: { code, message, meta:
 * { friendlyMessage, title, resource } } }` (API-CONTRACT.md). Each status gets a
 * message that says what happened and a description that says what to do.
 */
import { field, firstText, withDetail } from '../../shared/errorText';
import type { AccessWording, ErrorExplanation, HttpFailure } from '../../shared/http';
import { explainAccessStatus, explainGenericStatus } from '../../shared/http';
import { CREDITS_PER_GENERATION } from '../helpers/types';

export const VALIDATION_ERROR_CODE = 4001;
export const NOT_FOUND_ERROR_CODE = 4006;

export function apiErrorCode(body: unknown): number | undefined {
	const code = field(field(body, 'error'), 'code');
	return typeof code === 'number' ? code : undefined;
}

export function apiErrorText(body: unknown): string | undefined {
	const error = field(body, 'error');
	return firstText(field(field(error, 'meta'), 'friendlyMessage'), field(error, 'message'), body);
}

const ROTATE_PRODUCT_WORDING: AccessWording = {
	serviceName: 'RotateProduct',
	secretName: 'API key',
	rejectedFix:
		'Open the RotateProduct credential and paste a valid API key (created in your RotateProduct account under API settings).',
	notFoundFix:
		"Check the id. Ids belong to the account whose API key the credential holds; another account's ids are not found.",
};

export function explainRotateProductError({ statusCode, body, request }: HttpFailure): ErrorExplanation {
	const said = apiErrorText(body);
	const access = explainAccessStatus(ROTATE_PRODUCT_WORDING, statusCode, request, said);
	if (access) return access;
	if (statusCode === 410) {
		return {
			message: 'Expired: RotateProduct keeps videos for 1 hour after creation',
			description: 'Download videos within the hour (Wait for Completion with Download Video does it in one step), or generate it again.',
		};
	}
	if (statusCode === 402) {
		return {
			message: withDetail('RotateProduct: not enough credits', said),
			description: `Each generation costs ${CREDITS_PER_GENERATION} credits. Top up the account, or generate fewer items.`,
		};
	}
	// A 4001 validation error reads like a 400, whatever status it came with.
	const status = apiErrorCode(body) === VALIDATION_ERROR_CODE ? 400 : statusCode;
	return explainGenericStatus('RotateProduct', status, said);
}
