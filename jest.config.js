/** Tests run the compiled package (dist/) through n8n's real engine: globalSetup builds it first when it is stale. */
module.exports = {
	testEnvironment: 'node',
	globalSetup: '<rootDir>/test/harness/freshDist.ts',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	setupFilesAfterEnv: ['<rootDir>/test/harness/setupEnv.ts'],
	testTimeout: 60_000,
	maxWorkers: 2,
};
