// Self-hosted profile (`n8n-node cloud-support disable`): the package has one
// runtime dependency, archiver, to build zips client-side, so it cannot be
// verified for n8n Cloud. Tests, simulators and benchmarks are not package code:
// tsc checks them.
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	...configWithoutCloudSupport,
	{
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	{ ignores: ['test/**', 'bench/**', 'scripts/**', 'examples/**', 'gulpfile.js', 'jest.config.js'] },
];
