/**
 * Jest's globalSetup in every config: the tests load the package from dist/, so a
 * dist/ built from other sources than the tree's would test yesterday's code. When
 * the stamp `npm run build` leaves in dist/ does not match the sources, build now;
 * if the stamp still does not match, refuse to run.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { builtStamp, sourceStamp } = require('../../scripts/sourceStamp') as {
	builtStamp(root: string): string | undefined;
	sourceStamp(root: string): string;
};

const ROOT = resolve(__dirname, '../..');

export default function freshDist(): void {
	if (builtStamp(ROOT) === sourceStamp(ROOT)) return;
	console.log('\ndist/ was not built from these sources: running npm run build first');
	const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (build.status !== 0 || builtStamp(ROOT) !== sourceStamp(ROOT)) {
		throw new Error('dist/ does not match the sources and npm run build did not fix it: refusing to test stale code');
	}
}
