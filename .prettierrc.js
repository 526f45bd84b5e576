/**
 * The package's formatting, as n8n-nodes-starter's `.prettierrc.js` (shipped by
 * @n8n/node-cli) with one change: printWidth 140, not 100. The code was written
 * to about that width (1.4% of its lines are longer, 9% are longer than 100), so
 * formatting a file changes little. The tree is not reformatted in one sweep:
 * format a file when you change it (`npx prettier --write <file>`).
 */
module.exports = {
	semi: true,
	trailingComma: 'all',
	bracketSpacing: true,
	useTabs: true,
	tabWidth: 2,
	arrowParens: 'always',
	singleQuote: true,
	quoteProps: 'as-needed',
	endOfLine: 'lf',
	printWidth: 140,
	// npm writes package.json with two spaces; YAML cannot indent with tabs.
	overrides: [{ files: ['package.json', '*.yml', '*.yaml'], options: { useTabs: false } }],
};
