// Copies what tsc does not next to the compiled code: icons (n8n resolves `file:`
// icons relative to the .js it loads), codex files (X.node.json beside X.node.js)
// and output schemas (n8n serves <node dir>/__schema__/v<version>/<resource>/<operation>.json).
const { src, dest } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'nodes/**/__schema__/**/*.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = copyIcons;
exports.default = copyIcons;

const { rm, writeFile } = require('node:fs/promises');
const { STAMP_FILE, sourceStamp } = require('./scripts/sourceStamp');

exports.clean = () => rm('dist', { recursive: true, force: true });
// Last step of `npm run build`: what the tests' globalSetup checks dist/ against.
exports.stamp = () => writeFile(STAMP_FILE, `${sourceStamp(__dirname)}\n`);
