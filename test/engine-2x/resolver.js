/**
 * Jest resolver for the 2.x engine run (jest.engine2.config.js): n8n's engine
 * packages resolve from test/engine-2x/node_modules for EVERY requester: the
 * tests, the harness and the compiled package in dist/. One n8n-workflow
 * instance for all, as in a real n8n (the package's `instanceof` checks on
 * n8n's error classes depend on it). Requests made from inside the engine's
 * own folder resolve as usual, so its nested versions stay its own.
 */
const { join, sep } = require('node:path');

const ENGINE_DIR = __dirname;
const ENGINE_MODULES = join(ENGINE_DIR, 'node_modules');
const ENGINE_PACKAGES = /^(n8n-core|n8n-workflow|@n8n\/[^/]+)(\/.*)?$/;

module.exports = (request, options) => {
	const fromEngine = options.basedir === ENGINE_MODULES || options.basedir.startsWith(ENGINE_MODULES + sep);
	if (ENGINE_PACKAGES.test(request) && !fromEngine) {
		return options.defaultResolver(request, { ...options, basedir: ENGINE_DIR });
	}
	return options.defaultResolver(request, options);
};
