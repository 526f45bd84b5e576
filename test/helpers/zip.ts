/** Reads a zip back (yauzl) so tests check entries, names, sizes and bytes. */
import { createHash } from 'node:crypto';
import yauzl from 'yauzl';

export interface ZipEntryInfo {
	name: string;
	size: number;
	/** 0 = stored, 8 = deflated. */
	compressionMethod: number;
	sha256: string;
}

export async function readZip(buffer: Buffer): Promise<ZipEntryInfo[]> {
	const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
		yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))),
	);
	const entries: ZipEntryInfo[] = [];
	await new Promise<void>((resolve, reject) => {
		zip.on('error', reject);
		zip.on('end', resolve);
		zip.on('entry', (entry: yauzl.Entry) => {
			zip.openReadStream(entry, (error, stream) => {
				if (error) return reject(error);
				const hash = createHash('sha256');
				stream.on('data', (chunk: Buffer) => hash.update(chunk));
				stream.on('error', reject);
				stream.on('end', () => {
					entries.push({
						name: entry.fileName,
						size: entry.uncompressedSize,
						compressionMethod: entry.compressionMethod,
						sha256: hash.digest('hex'),
					});
					zip.readEntry();
				});
			});
		});
		zip.readEntry();
	});
	return entries;
}

export function sha256(buffer: Buffer): string {
	return createHash('sha256').update(buffer).digest('hex');
}
