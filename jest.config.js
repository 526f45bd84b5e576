/** Tests run the compiled package (dist/) through n8n's real engine, so `npm test` builds first. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	setupFilesAfterEnv: ['<rootDir>/test/harness/setupEnv.ts'],
	testTimeout: 60_000,
	maxWorkers: 2,
};
