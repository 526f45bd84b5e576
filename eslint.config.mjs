// Self-hosted profile: the package has a runtime dependency (archiver), so it
// uses n8n's config without the n8n Cloud rules (`n8n-node cloud-support disable`).
// Tests, simulators and benchmarks are not package code: tsc checks them.
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	...configWithoutCloudSupport,
	{ ignores: ['test/**', 'bench/**', 'scripts/**', 'examples/**', 'gulpfile.js', 'jest.config.js'] },
];
