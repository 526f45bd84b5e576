/** Debian's Chromium for the editor test, installed with apt when the machine has none. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

import { aptInstall } from '../../../scripts/n8n/services';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function ensureChromium(): string {
	if (!existsSync(CHROMIUM_PATH)) aptInstall('chromium');
	execFileSync(CHROMIUM_PATH, ['--version'], { stdio: 'ignore' });
	return CHROMIUM_PATH;
}
