/**
 * The one zip builder of both nodes: an archive assembled on the fly with
 * archiver. Entries are opened one at a time, only when the archive reaches
 * them, and stored without recompression (mp4 is already compressed); the
 * archive is a stream that n8n writes to binary storage while it is being
 * built, so memory stays flat whatever the number of videos. A broken entry
 * fails the whole archive, naming that entry: never a half-written zip.
 */
import type { Readable } from 'node:stream';
import archiver from 'archiver';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BinaryContext } from './download';
import { BrokenPartError, streamToBinary } from './download';
import { UniqueFileNames } from './fileNames';

export interface ZipEntrySource {
	/** The entry's file name, already unique in the archive (UniqueFileNames). */
	name: string;
	/** Said in the error when this entry breaks, e.g. `generation 42`. */
	what: string;
	/** Opens the entry's body (a checked stream) only when the archive gets to it. */
	open: () => Promise<Readable>;
}

/** What goes into an archive assembled here and what is left out, and why (as RotateProduct's X-Skipped-* headers say). */
export interface ZipPlan<Id, Ready> {
	ready: Ready[];
	skippedNotReady: Id[];
	skippedNotFound: Id[];
}

/** The output fields every archive item ends with: what was left out, and what was asked for. */
export function skippedFields<Id>(plan: Pick<ZipPlan<Id, unknown>, 'skippedNotReady' | 'skippedNotFound'>, requested: Id[]): IDataObject {
	return { skippedNotReady: plan.skippedNotReady, skippedNotFound: plan.skippedNotFound, requested };
}

/** The output item of one archive, paired with every input item whose ids went into it. */
export function archiveItem(json: IDataObject, binaryProperty: string, binary: IBinaryData, itemIndexes: number[]): INodeExecutionData {
	return { json, binary: { [binaryProperty]: binary }, pairedItem: itemIndexes.map((item) => ({ item })) };
}

/** A video to put in an archive; its entry name follows the zip rules of fileNames.ts. */
export interface ZipFileSource {
	/** External id or video name; empty or missing gives `<prefix>-<id>.mp4`. */
	label: string | null | undefined;
	id: string | number;
	what: string;
	open: () => Promise<Readable>;
}

/** Names the files' entries, unique within the archive, in the order given. */
export function zipEntries(files: ZipFileSource[], fallbackPrefix: string): ZipEntrySource[] {
	const names = new UniqueFileNames();
	return files.map((file) => ({ name: names.claim(file.label, file.id, fallbackPrefix), what: file.what, open: file.open }));
}

/** Streams the entries, one archive, into n8n's binary storage. */
export async function zipToBinary(
	context: BinaryContext,
	entries: ZipEntrySource[],
	target: { fileName: string; itemIndex: number },
): Promise<IBinaryData> {
	return await streamToBinary(context, streamZip(entries), {}, {
		fileName: target.fileName,
		mimeType: 'application/zip',
		itemIndex: target.itemIndex,
		what: `the zip of ${entries.length} videos`,
		// Zips skip the regrouping into storage blocks: they meet their time target without it.
		inBlocks: false,
	});
}

/** Returns the archive stream at once; entries are fed in the background. */
export function streamZip(entries: ZipEntrySource[]): Readable {
	const archive = archiver('zip', { store: true });
	void feed(archive, entries);
	return archive;
}

async function feed(archive: archiver.Archiver, entries: ZipEntrySource[]): Promise<void> {
	for (const entry of entries) {
		// The reader gave up (storage failed): open nothing more.
		if (archive.destroyed) return;
		let body: Readable | undefined;
		try {
			body = await entry.open();
			await appendEntry(archive, body, entry.name);
		} catch (error) {
			body?.destroy();
			archive.destroy(new BrokenPartError(`${entry.what} (entry ${entry.name})`, error));
			return;
		}
	}
	try {
		await archive.finalize();
	} catch (error) {
		archive.destroy(error instanceof Error ? error : new Error(String(error)));
	}
}

/** Appends one body and waits until the archive has written it, or until the body or the archive fails. */
async function appendEntry(archive: archiver.Archiver, body: Readable, name: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		if (archive.destroyed) {
			reject(archive.errored ?? new Error('the archive was closed before this entry was written'));
			return;
		}
		let settled = false;
		const settle = (error?: unknown): void => {
			if (settled) return;
			settled = true;
			archive.off('entry', onEntry).off('error', settle).off('close', onClose);
			if (error === undefined) resolve();
			else reject(error);
		};
		const onEntry = (): void => settle();
		const onClose = (): void => settle(archive.errored ?? new Error('the archive was closed before this entry was written'));
		archive.once('entry', onEntry).once('error', settle).once('close', onClose);
		// The body's listener stays: an error after its entry was written concerns nobody, and must not crash.
		body.once('error', settle);
		archive.append(body, { name });
	});
}
