/**
 * Download Video for a callback. The body is untrusted input: when it names the
 * video (`videoId` or `jobId`) and the trigger holds the credential, Colossyan's
 * API confirms the video is finished and gives its own `publicUrl` and size,
 * and the body's `url` is not used. Otherwise the body's `url` is the only lead.
 * Either way the URL guard decides (public addresses only, unless the host is
 * in Allowed Hosts, on every redirect hop), and any failure is reported on the
 * item: the callback is never lost.
 */
import type { IBinaryData, IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { streamToBinary } from '../../shared/download';
import { videoFileName } from '../../shared/fileNames';
import { isPlainId } from '../../shared/ids';
import { messageOf } from '../../shared/items';
import { guardedFileStream } from '../../shared/publicFetch';
import { parseAllowedHosts } from '../../shared/urlGuard';
import { lookupVideo } from '../helpers/video';
import type { VideoReference } from '../helpers/video';
import { COLOSSYAN } from '../transport';
import { verificationOf } from './verify';

interface VideoSource {
	url: string;
	id: string;
	name?: string | null;
	sizeBytes?: number;
}

export async function attachVideo(context: IWebhookFunctions, json: IDataObject): Promise<Record<string, IBinaryData> | undefined> {
	const property = context.getNodeParameter('binaryPropertyName', 'data') as string;
	try {
		const source = await videoSource(context, json);
		if (!source) return undefined;
		const response = await guardedFileStream(context, COLOSSYAN, source.url, {
			allowedHosts: parseAllowedHosts(context.getNodeParameter('allowedHosts', '')),
			what: `video ${source.id}`,
			maxBytes: source.sizeBytes,
		});
		const binary = await streamToBinary(context, response.body, response.headers, {
			fileName: videoFileName(source.name, source.id, 'video'),
			mimeType: 'video/mp4',
			what: `video ${source.id}`,
			knownBytes: source.sizeBytes,
		});
		return { [property]: binary };
	} catch (error) {
		json.downloadError = messageOf(error);
		return undefined;
	}
}

/** Where the file is, confirmed through the API when the callback lets us identify it. */
async function videoSource(context: IWebhookFunctions, json: IDataObject): Promise<VideoSource | undefined> {
	const reference = referenceIn(json);
	json.videoConfirmedByApi = false;
	if (reference === 'invalid') {
		json.downloadError = 'The callback names a videoId or jobId that is not a plain ID (dots, slashes or control characters); nothing was downloaded';
		return undefined;
	}
	if (reference && verificationOf(context) === 'signature') {
		const found = await lookupVideo(context, reference);
		if (!found.ready) {
			const status = found.job ? ` (job status: ${String(found.job.status)})` : '';
			json.downloadError = `Colossyan does not confirm ${reference.by} ${reference.id} as a finished video${status}; nothing was downloaded`;
			return undefined;
		}
		json.videoConfirmedByApi = true;
		const size = found.video.videoSizeBytes;
		return {
			url: String(found.video.publicUrl),
			id: found.video.id,
			name: found.video.name,
			sizeBytes: typeof size === 'number' && size > 0 ? size : undefined,
		};
	}
	const url = typeof json.url === 'string' ? json.url : '';
	if (url === '') {
		json.downloadError = 'The callback has no file URL to download';
		return undefined;
	}
	return { url, id: fileIdOf(url) };
}

function referenceIn(json: IDataObject): VideoReference | 'invalid' | undefined {
	for (const [field, by] of [['videoId', 'video'], ['jobId', 'job']] as const) {
		const value = json[field];
		if (value === undefined || value === null || value === '') continue;
		return isPlainId(value) ? { by, id: value } : 'invalid';
	}
	return undefined;
}

/** `https://cdn/videos/abc.mp4` → `abc` (cleaned again by the file-name rules). */
function fileIdOf(url: string): string {
	try {
		const last = new URL(url).pathname.split('/').pop() ?? '';
		return decodeURIComponent(last).replace(/\.mp4$/i, '') || 'callback';
	} catch {
		return 'callback';
	}
}
