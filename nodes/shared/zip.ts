/**
 * A zip assembled on the fly with archiver: entries are opened one at a time and
 * stored without recompression (mp4 is already compressed), and the archive is
 * a stream, so n8n writes it to binary storage while it is being built.
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import archiver from 'archiver';

export interface ZipEntrySource {
	name: string;
	/** Opens the entry's body only when the archive gets to it. */
	open: () => Promise<Readable>;
}

/** Returns the archive stream at once; entries are fed in the background. */
export function streamZip(entries: ZipEntrySource[]): Readable {
	const archive = archiver('zip', { store: true });
	void feed(archive, entries);
	return archive;
}

async function feed(archive: archiver.Archiver, entries: ZipEntrySource[]): Promise<void> {
	try {
		for (const entry of entries) {
			const body = await entry.open();
			const appended = once(archive, 'entry');
			archive.append(body, { name: entry.name });
			await Promise.race([appended, rejectOnError(body)]);
		}
		await archive.finalize();
	} catch (error) {
		archive.destroy(error instanceof Error ? error : new Error(String(error)));
	}
}

function rejectOnError(stream: Readable): Promise<never> {
	return new Promise((_resolve, reject) => stream.once('error', reject));
}
