/** The stamp that keeps the tests on today's build moves with any build input and nothing else. */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sourceStamp } = require('../../scripts/sourceStamp') as { sourceStamp(root: string): string };

const ROOT = resolve(__dirname, '../..');

describe('sourceStamp', () => {
	let copy: string;
	beforeEach(() => {
		copy = mkdtempSync(join(tmpdir(), 'stamp-'));
		for (const part of ['nodes', 'credentials', 'tsconfig.json', 'tsconfig.build.json', 'gulpfile.js']) {
			cpSync(join(ROOT, part), join(copy, part), { recursive: true });
		}
	});
	afterEach(() => rmSync(copy, { recursive: true, force: true }));

	test('is the same for the same sources, wherever they are', () => {
		expect(sourceStamp(copy)).toBe(sourceStamp(ROOT));
	});

	test.each([
		['a line in a shared module', 'nodes/shared/http/redirects.ts'],
		['a credential', 'credentials/RotateProductApi.credentials.ts'],
		['an output schema', 'nodes/RotateProduct/__schema__/v1.0.0.json'],
		['the build config', 'tsconfig.build.json'],
	])('changes with %s', (_what, file) => {
		const before = sourceStamp(copy);
		writeFileSync(join(copy, file), '// changed\n', { flag: 'a' });
		expect(sourceStamp(copy)).not.toBe(before);
	});

	test('changes when a source file is added', () => {
		const before = sourceStamp(copy);
		writeFileSync(join(copy, 'nodes/shared/added.ts'), 'export {};\n');
		expect(sourceStamp(copy)).not.toBe(before);
	});

	test('does not change with test files', () => {
		const before = sourceStamp(copy);
		writeFileSync(join(copy, 'unrelated.test.ts'), 'export {};\n');
		expect(sourceStamp(copy)).toBe(before);
	});
});
