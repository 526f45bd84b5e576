/**
 * The Jest suite on n8n's 2.x engine (npm run test:engine2, under Node 24): the same
 * tests as jest.config.js, with n8n-core, n8n-workflow and @n8n/* resolved from
 * test/engine-2x (pinned to what n8n 2.40.7 ships) for the tests, the harness and dist/.
 */
const base = require('./jest.config.js');

module.exports = {
	...base,
	displayName: 'engine 2.x',
	resolver: '<rootDir>/test/engine-2x/resolver.js',
	globals: { N8N_ENGINE_LINE: '2.x' },
};
