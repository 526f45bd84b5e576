/**
 * Storage blocks are decided from V8's actual young generation (nodes/shared/download.ts),
 * not from flags the process was started with: NODE_OPTIONS never shows in execArgv.
 * Each case runs the compiled decision in a fresh Node, its young generation grown first.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const DOWNLOAD = join(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'download.js');
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** regroupsForStorage() in a fresh Node started with these options (through NODE_OPTIONS, as Docker users set them). */
function decisionWith(nodeOptions: string): boolean {
	const script = `
		const kept = [];
		for (let i = 0; i < 2e6; i++) kept.push({ i, s: 'x' + i });
		process.stdout.write(String(require(${JSON.stringify(DOWNLOAD)}).regroupsForStorage()));
	`;
	const output = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, NODE_OPTIONS: nodeOptions } });
	return output.toString() === 'true';
}

test('a young generation kept small through NODE_OPTIONS (--max-semi-space-size=1 or 2) gets storage blocks', () => {
	expect(decisionWith('--max-semi-space-size=1')).toBe(true);
	expect(decisionWith('--max-semi-space-size=2')).toBe(true);
});

test("a large young generation gets no blocks on Node 24 and later, blocks before (V8's older sizing)", () => {
	expect(decisionWith('--max-semi-space-size=32')).toBe(NODE_MAJOR < 24);
});

(NODE_MAJOR >= 24 ? test : test.skip)('on Node 24, the external-memory V8 flag brings the blocks back with any young generation', () => {
	const script = `process.stdout.write(String(require(${JSON.stringify(DOWNLOAD)}).regroupsForStorage()))`;
	const output = execFileSync(process.execPath, ['--external-memory-accounted-in-global-limit', '-e', script], {
		env: { ...process.env, NODE_OPTIONS: '--max-semi-space-size=32' },
	});
	expect(output.toString()).toBe('true');
});
