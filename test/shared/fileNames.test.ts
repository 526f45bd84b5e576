/**
 * The names this package gives files, directly: Content-Disposition (RFC 5987
 * `filename*` first), video names by RotateProduct's zip rules, names unique
 * within one archive, and archive names.
 */
import { archiveFileName, fileNameFromContentDisposition, UniqueFileNames, videoFileName } from '../../nodes/shared/fileNames';

describe('fileNameFromContentDisposition', () => {
	test('filename* (RFC 5987) is percent-decoded and wins over filename', () => {
		expect(fileNameFromContentDisposition(`attachment; filename="fallback.zip"; filename*=UTF-8''caf%C3%A9%20menu.zip`)).toBe('café menu.zip');
		expect(fileNameFromContentDisposition(`attachment; filename*=UTF-8''generations-%E2%82%AC.zip; filename="fallback.zip"`)).toBe('generations-€.zip');
	});

	test('filename* alone, with or without a charset and language, gives the name', () => {
		expect(fileNameFromContentDisposition(`attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.zip`)).toBe('résumé.zip');
		expect(fileNameFromContentDisposition(`attachment; filename*=utf-8'en'clips%2001.zip`)).toBe('clips 01.zip');
		expect(fileNameFromContentDisposition(`attachment; filename*="plain.zip"`)).toBe('plain.zip');
	});

	test('a filename* that is not valid percent-encoding falls back to filename', () => {
		expect(fileNameFromContentDisposition(`attachment; filename*=UTF-8''%E2%28bad.zip; filename="fallback.zip"`)).toBe('fallback.zip');
	});

	test('filename, quoted or not; no name gives undefined', () => {
		expect(fileNameFromContentDisposition('attachment; filename="generations-1715171696.zip"')).toBe('generations-1715171696.zip');
		expect(fileNameFromContentDisposition('attachment; filename=clips.zip; size=3')).toBe('clips.zip');
		expect(fileNameFromContentDisposition('attachment')).toBeUndefined();
		expect(fileNameFromContentDisposition('attachment; filename=""')).toBeUndefined();
		expect(fileNameFromContentDisposition(undefined)).toBeUndefined();
	});

	test('a decoded name that climbs or hides is cleaned into one plain segment', () => {
		expect(fileNameFromContentDisposition(`attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd`)).toBe('____etc_passwd');
	});
});

describe('zip entry names', () => {
	test('a label is cleaned to a-z A-Z 0-9 - _; no label gives <prefix>-<id>.mp4', () => {
		expect(videoFileName('Mug 2 (blue)', 42, 'generation')).toBe('Mug_2__blue_.mp4');
		expect(videoFileName('  ', 42, 'generation')).toBe('generation-42.mp4');
		expect(videoFileName(null, 'vid_1', 'video')).toBe('video-vid_1.mp4');
	});

	test('a name taken in any letter case gets -<id>, then -<id>-<n>', () => {
		const names = new UniqueFileNames();
		expect(names.claim('mug', 1, 'generation')).toBe('mug.mp4');
		expect(names.claim('MUG', 2, 'generation')).toBe('MUG-2.mp4');
		expect(names.claim('mug', 2, 'generation')).toBe('mug-2-2.mp4');
		expect(names.claim('mug-2', 3, 'generation')).toBe('mug-2-3.mp4');
		expect(names.claim(undefined, 4, 'generation')).toBe('generation-4.mp4');
		expect(names.claim('generation-4', 4, 'generation')).toBe('generation-4-4.mp4');
	});

	test('two archives do not share their names', () => {
		expect(new UniqueFileNames().claim('mug', 1, 'generation')).toBe('mug.mp4');
		expect(new UniqueFileNames().claim('mug', 2, 'generation')).toBe('mug.mp4');
	});
});

describe('archiveFileName', () => {
	test('<service>-<UTC date and time>-<count>-videos.zip, readable by a person', () => {
		expect(archiveFileName('rotateproduct', 12, new Date('2026-12-04T17:05:12.345Z'))).toBe('rotateproduct-2026-12-04T170512-12-videos.zip');
		expect(archiveFileName('colossyan', 1, new Date('2026-01-02T03:04:05Z'))).toBe('colossyan-2026-01-02T030405-1-video.zip');
	});
});
