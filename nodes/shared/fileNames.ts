/**
 * File names for downloaded videos, by RotateProduct's documented zip rules
 * (rotateproduct-download-zip.txt), used for single downloads and for zips of
 * both services so a file is called the same wherever it comes from:
 * - a label (external id, video name) is used when set, every character outside
 *   `a-z A-Z 0-9 - _` replaced with `_`;
 * - no label: `<prefix>-<id>.mp4` (the id cleaned the same way);
 * - a name already taken, in any letter case, gets `-<id>` appended:
 *   `mug-2.mp4`, then `mug-2-4982.mp4`.
 * Every name this package hands to n8n (binary fileName, json.fileName, zip
 * entries) ends in `safeFileName`, whatever its source: an API, a header, a callback.
 */

/** Long enough for any real name, short enough for every file system (255 bytes). */
export const MAX_FILE_NAME_LENGTH = 150;
/** How much of an id goes into a name (`video-<id>.mp4`, the `-<id>` suffix). */
const MAX_ID_IN_NAME = 64;
/** A label's share, leaving room for `-<id>-<n>.mp4`. */
const MAX_STEM_LENGTH = MAX_FILE_NAME_LENGTH - MAX_ID_IN_NAME - 12;

// Path separators and their look-alikes (∕ ／ ⁄ ＼ …, which some tools fold into `/`),
// control characters, characters Windows refuses, `%` (a consumer may decode
// `%2e%2e%2f`), and the Unicode controls that disguise a name's extension.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[/\\\u0000-\u001f\u007f-\u009f:*?"<>|%\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u2044\u2215\u2216\u29f5\u29f8\u29f9\ufe68\uff0f\uff3c]/g;
/** Names Windows reserves for devices, with any extension (`NUL.mp4` cannot be created). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)(\.|$)/i;
/** File systems limit a name to 255 bytes; stay well below with multi-byte characters. */
const MAX_FILE_NAME_BYTES = 240;

/**
 * The one cleaning every file name passes: no path separators, no control
 * characters, no `..` anywhere and no leading dot, no trailing dots or spaces,
 * at most MAX_FILE_NAME_LENGTH characters with the extension kept.
 */
export function safeFileName(name: string, fallback = 'file'): string {
	let cleaned = name.normalize('NFC').replace(UNSAFE_CHARACTERS, '_').trim();
	// No `..` anywhere (a later join or unzip cannot climb), no hidden or Windows-trimmed names.
	cleaned = cleaned.replace(/\.{2,}/g, '_').replace(/^\./, '_').replace(/[. ]+$/, '');
	if (cleaned === '') cleaned = fallback;
	cleaned = bounded(cleaned);
	return WINDOWS_DEVICE.test(cleaned) ? `_${cleaned}`.slice(0, MAX_FILE_NAME_LENGTH) : cleaned;
}

/** At most MAX_FILE_NAME_LENGTH characters and MAX_FILE_NAME_BYTES bytes, extension kept. */
function bounded(name: string): string {
	const fits = (text: string) => [...text].length <= MAX_FILE_NAME_LENGTH && Buffer.byteLength(text) <= MAX_FILE_NAME_BYTES;
	if (fits(name)) return name;
	const extension = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? '';
	const characters = [...name.slice(0, name.length - extension.length)].slice(0, MAX_FILE_NAME_LENGTH - extension.length);
	while (characters.length > 1 && !fits(characters.join('') + extension)) characters.pop();
	return (characters.join('').replace(/[. ]+$/, '') || '_') + extension;
}

export function sanitizeFileStem(label: string): string {
	return label.replace(/[^a-zA-Z0-9_-]/g, '_');
}

function idInName(id: string | number): string {
	return sanitizeFileStem(String(id)).slice(0, MAX_ID_IN_NAME) || '_';
}

export function videoFileName(
	label: string | null | undefined,
	id: string | number,
	fallbackPrefix: string,
): string {
	const trimmed = typeof label === 'string' ? label.trim() : '';
	const stem = trimmed === '' ? `${fallbackPrefix}-${idInName(id)}` : sanitizeFileStem(trimmed);
	return safeFileName(`${stem.slice(0, MAX_STEM_LENGTH)}.mp4`);
}

/** Hands out names that are unique within one archive, letter case ignored (zips unpack onto case-insensitive disks). */
export class UniqueFileNames {
	private readonly taken = new Set<string>();

	claim(label: string | null | undefined, id: string | number, fallbackPrefix: string): string {
		const wanted = videoFileName(label, id, fallbackPrefix);
		const suffix = idInName(id);
		let name = wanted;
		if (this.isTaken(name)) name = wanted.replace(/\.mp4$/, `-${suffix}.mp4`);
		for (let n = 2; this.isTaken(name); n++) name = wanted.replace(/\.mp4$/, `-${suffix}-${n}.mp4`);
		this.taken.add(name.toLowerCase());
		return name;
	}

	private isTaken(name: string): boolean {
		return this.taken.has(name.toLowerCase());
	}
}

/** An archive's name a person can read: `rotateproduct-2026-12-04T170512-12-videos.zip` (UTC time to the second, videos in it). */
export function archiveFileName(service: string, videos: number, at = new Date()): string {
	const [date, time] = at.toISOString().split('T');
	return safeFileName(`${service}-${date}T${time.slice(0, 8).replace(/:/g, '')}-${videos}-${videos === 1 ? 'video' : 'videos'}.zip`);
}
