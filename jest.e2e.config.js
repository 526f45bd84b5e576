/** The end-to-end suite: a real n8n (installed into a cache on first run), so long timeouts and one file at a time. */
module.exports = {
	testEnvironment: 'node',
	globalSetup: '<rootDir>/test/harness/freshDist.ts',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 20 * 60_000,
	maxWorkers: 1,
	verbose: true,
};
