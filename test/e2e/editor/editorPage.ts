/**
 * n8n's editor in Debian's Chromium, driven by playwright-core through the
 * `data-test-id` attributes n8n's own end-to-end tests use. Collects every
 * console error and page error while it works, and reads error toasts on demand.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { chromium, selectors } from 'playwright-core';

import type { Owner } from '../../../scripts/n8n/n8nProcess';

/**
 * Errors n8n's editor logs about its own features on any instance like this one,
 * whatever nodes it has: each pattern is one such feature.
 */
const NOT_THE_PACKAGE = [
	// The AI assistant is a licensed feature; an unlicensed instance answers 403.
	/\/rest\/ai\/sessions\/metadata|Failed to fetch sessions metadata/,
	// Opening a workflow asks for its last successful execution: 404 when it never ran.
	/\/rest\/workflows\/\w+\/executions\/last-successful/,
	// Output schemas of n8n's own nodes that ship none (Code, Manual Trigger); this package's still count.
	/\/schemas\/n8n-nodes-base\./,
];

export class EditorPage {
	/** Console errors and uncaught page errors, in the order seen (error toasts: errorToasts()). */
	private readonly problems: string[] = [];

	private constructor(
		private readonly browser: Browser,
		readonly page: Page,
		private readonly baseUrl: string,
	) {}

	static async open(executablePath: string, baseUrl: string, owner: Owner): Promise<EditorPage> {
		selectors.setTestIdAttribute('data-test-id');
		const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		const login = await context.request.post(`${baseUrl}/rest/login`, {
			data: { email: owner.email, emailOrLdapLoginId: owner.email, password: owner.password },
		});
		if (!login.ok()) throw new Error(`login failed: HTTP ${login.status()}`);
		const editor = new EditorPage(browser, await context.newPage(), baseUrl);
		editor.watch();
		return editor;
	}

	/** The problems seen since the last call. */
	takeProblems(): string[] {
		return this.problems.splice(0);
	}

	private watch(): void {
		const origin = new URL(this.baseUrl).origin;
		this.page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
		this.page.on('console', (message) => {
			if (message.type() !== 'error') return;
			// This machine is offline: a resource n8n's editor loads from the internet (n8n.io's
			// API, fonts) fails for that reason alone. Failures of n8n's own origin still count.
			const source = message.location().url;
			if (/^Failed to load resource/.test(message.text()) && source && !source.startsWith(origin)) return;
			if (NOT_THE_PACKAGE.some((pattern) => pattern.test(`${message.text()} ${source}`))) return;
			this.problems.push(`console error: ${message.text()}${source ? ` (${source})` : ''}`);
		});
	}

	async newWorkflow(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.page.getByTestId('canvas-add-button').waitFor();
	}

	async openWorkflow(id: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/${id}`);
		await this.page.getByTestId('canvas-node').first().waitFor();
	}

	/**
	 * Adds a node the way a user does: open the node panel, search the service's
	 * name, open its entry, pick the action or trigger event; leaves its NDV open.
	 */
	async addNode(name: string, pick: string, first: boolean): Promise<void> {
		await this.page.getByTestId(first ? 'canvas-add-button' : 'node-creator-plus-button').click();
		const creator = this.page.getByTestId('node-creator');
		await creator.getByTestId('node-creator-search-bar').fill(name);
		// n8n lists a node and its trigger as one entry named after the service.
		await creator.getByTestId('node-creator-item-name').getByText(name, { exact: true }).first().click();
		const choice = creator.getByText(pick, { exact: true });
		if (!(await choice.isVisible())) await creator.getByText(/^Triggers \(\d+\)$/).click();
		await choice.click();
		await this.ndv().getByTestId('node-parameters').waitFor();
	}

	/** The names of the canvas's nodes whose type starts with `typePrefix`. */
	async canvasNodes(typePrefix: string): Promise<string[]> {
		return await this.page
			.locator(`[data-test-id="canvas-node"][data-node-type^="${typePrefix}"]`)
			.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-node-name') ?? ''));
	}

	/** Opens a canvas node's NDV, as a double-click does. */
	async openNode(name: string): Promise<void> {
		await this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
		await this.ndv().getByTestId('node-parameters').waitFor();
	}

	ndv(): Locator {
		return this.page.getByTestId('ndv');
	}

	/** The names of the parameters the NDV shows (n8n tags each input's container `<name>-parameter-input-options-container`). */
	async shownParameters(): Promise<string[]> {
		const ids = await this.parameters()
			.locator('[data-test-id$="-parameter-input-options-container"]:visible')
			.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-test-id') ?? ''));
		return [...new Set(ids.map((id) => id.replace(/-parameter-input-options-container$/, '')))].sort();
	}

	/** The labels the NDV's Parameters tab shows. */
	async shownLabels(): Promise<string[]> {
		return (await this.parameters().locator('[data-test-id="input-label"]:visible').allInnerTexts()).map((label) => label.trim());
	}

	async credentialSelectorShown(): Promise<boolean> {
		return await this.parameters().getByTestId('node-credentials-select').isVisible();
	}

	private parameters(): Locator {
		return this.ndv().getByTestId('node-parameters');
	}

	/** Picks an option of a dropdown parameter by its display name. */
	async selectOption(parameter: string, option: string): Promise<void> {
		await this.parameters().getByTestId(`parameter-input-${parameter}`).click();
		await this.page.locator('.el-select-dropdown__item:visible').getByText(option, { exact: true }).first().click();
		await this.page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' });
	}

	/** Flips a boolean parameter's switch. */
	async toggle(parameter: string): Promise<void> {
		await this.parameters().getByTestId(`parameter-input-${parameter}`).locator('.el-switch').click();
	}

	/** Escape closes the NDV in every n8n line (1.x has a back arrow, 2.x a close button). */
	async closeNdv(): Promise<void> {
		await this.page.keyboard.press('Escape');
		await this.ndv().waitFor({ state: 'hidden' });
	}

	/** Error toasts on screen now (n8n shows failures, e.g. a failing dropdown loader, as toasts). */
	async errorToasts(): Promise<string[]> {
		return await this.page.locator('.el-notification:has(.el-notification--error)').allInnerTexts();
	}

	async screenshot(path: string): Promise<void> {
		await this.page.screenshot({ path });
	}

	async close(): Promise<void> {
		await this.browser.close();
	}
}
