/**
 * File names for downloaded videos, by RotateProduct's documented zip rules
 * (rotateproduct-download-zip.txt), used for single downloads and for zips of
 * both services so a file is called the same wherever it comes from:
 * - a label (external id, video name) is used when set, every character outside
 *   `a-z A-Z 0-9 - _` replaced with `_`;
 * - no label: `<prefix>-<id>.mp4`;
 * - a name already taken gets `-<id>` appended: `mug-2.mp4`, then `mug-2-4982.mp4`.
 */
export function sanitizeFileStem(label: string): string {
	return label.replace(/[^a-zA-Z0-9_-]/g, '_');
}

export function videoFileName(
	label: string | null | undefined,
	id: string | number,
	fallbackPrefix: string,
): string {
	const trimmed = typeof label === 'string' ? label.trim() : '';
	return trimmed === '' ? `${fallbackPrefix}-${id}.mp4` : `${sanitizeFileStem(trimmed)}.mp4`;
}

/** Hands out names that are unique within one archive. */
export class UniqueFileNames {
	private readonly taken = new Set<string>();

	claim(label: string | null | undefined, id: string | number, fallbackPrefix: string): string {
		const wanted = videoFileName(label, id, fallbackPrefix);
		let name = wanted;
		if (this.taken.has(name)) name = wanted.replace(/\.mp4$/, `-${sanitizeFileStem(String(id))}.mp4`);
		for (let n = 2; this.taken.has(name); n++) {
			name = wanted.replace(/\.mp4$/, `-${sanitizeFileStem(String(id))}-${n}.mp4`);
		}
		this.taken.add(name);
		return name;
	}
}

/** `attachment; filename="generations-1715171696.zip"` → `generations-1715171696.zip`. */
export function fileNameFromContentDisposition(header: unknown): string | undefined {
	if (typeof header !== 'string') return undefined;
	const encoded = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
	if (encoded) {
		try {
			return decodeURIComponent(encoded[1].trim().replace(/^"|"$/g, ''));
		} catch {
			// fall through to the plain parameter
		}
	}
	const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
	const value = plain ? (plain[2] ?? plain[1]).trim() : '';
	return value === '' ? undefined : value.replace(/[/\\]/g, '_');
}
