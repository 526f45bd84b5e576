// What dist/ was built from: a hash of every build input (nodes/, credentials/, the
// tsconfigs and gulpfile). `npm run build` writes it into dist/ last; every Jest
// config's globalSetup (test/harness/freshDist.ts) compares it with the sources, so no
// way of running the tests can test yesterday's build.
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const INPUT_FOLDERS = ['nodes', 'credentials'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'gulpfile.js'];
const STAMP_FILE = join('dist', '.source-stamp');

function inputFiles(root) {
	const files = INPUT_FILES.map((file) => join(root, file)).filter((file) => existsSync(file));
	for (const folder of INPUT_FOLDERS) {
		const top = join(root, folder);
		if (!existsSync(top)) continue;
		for (const entry of readdirSync(top, { recursive: true })) {
			const path = join(top, String(entry));
			if (statSync(path).isFile()) files.push(path);
		}
	}
	return files.map((file) => relative(root, file)).sort();
}

/** The hash of every build input's path and content. */
function sourceStamp(root) {
	const hash = createHash('sha256');
	for (const file of inputFiles(root)) {
		hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
	}
	return hash.digest('hex');
}

/** The stamp the last build wrote, or undefined when dist/ has none. */
function builtStamp(root) {
	const path = join(root, STAMP_FILE);
	return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

module.exports = { STAMP_FILE, builtStamp, sourceStamp };
