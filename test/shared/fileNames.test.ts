/**
 * The names this package gives files, directly: video names by RotateProduct's
 * zip rules, names unique within one archive, and archive names (the package
 * names every archive itself; no server's Content-Disposition becomes a name).
 */
import { archiveFileName, UniqueFileNames, videoFileName } from '../../nodes/shared/fileNames';

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
