/**
 * The package inside a real n8n (installed from the registry, pinned), in
 * regular mode and in queue mode (main + worker + Redis), one n8n per line and
 * mode for all of these cases (test/e2e/cases/):
 * - the shipped example workflows against the simulators (examples.ts);
 * - Generate with "Continue (using error output)" (errorOutput.ts);
 * - Generate waiting for Colossyan's callback (callbackWait.ts);
 * - the RotateProduct Trigger after a 700-generation Generate (triggerBacklog.ts);
 * - examples 7 to 9 chained with a real S3 server and a real SMTP server (storageAndEmail.ts).
 * E2E_TOPICS (e.g. `storageAndEmail`) runs only the named topics' tests on the stack.
 *
 * The order is the schedule, so that no case sees another's state:
 * 1. n8n loaded the package; example 1 makes the RotateProduct simulator's first generations.
 * 2. Example 2's test creates three generations for the active polling trigger and
 *    leaves n8n's poll intervals (one a minute) to pass while the next cases run:
 *    examples 3 to 5 (the Colossyan simulator's first jobs and callbacks), the error
 *    output (a RotateProduct simulator and credential of its own, so the trigger
 *    never sees its generations), the callback waits (Colossyan renders then last
 *    until a test ends them; their own timeout test waits a minute meanwhile), examples 7
 *    to 9 (simulators of their own; example 9's trigger uploads example 7's videos).
 *    Then example 2's test asserts what it names.
 * 3. The callback wait across a restart of n8n, last: nothing else runs across it.
 */
import type { Stack } from '../../scripts/n8n/stack';
import { startStack } from '../../scripts/n8n/stack';
import { callbackWaitRestartTests, callbackWaitTests, callbackWaitWorkflows } from './cases/callbackWait';
import { describeTopic, RUNS, topicSelected } from './cases/common';
import { ErrorOutputCase } from './cases/errorOutput';
import { TriggerBacklogCase } from './cases/triggerBacklog';
import { exampleColossyanTests, exampleStartTests, pollingTriggerTest, startPollingTrigger } from './cases/examples';
import { StorageAndEmailCase } from './cases/storageAndEmail';

describe.each(RUNS)('n8n %s, %s mode', (_version, mode, line) => {
	const errorOutput = new ErrorOutputCase();
	const triggerBacklog = new TriggerBacklogCase();
	const storage = new StorageAndEmailCase();
	let stack: Stack;
	const current = () => stack;

	beforeAll(async () => {
		const credentials = [...(await errorOutput.start()), ...(await triggerBacklog.start()), ...(await storage.start())];
		stack = await startStack({
			mode,
			line,
			workflows: [...callbackWaitWorkflows, ...errorOutput.workflows, ...triggerBacklog.workflows, ...storage.workflows],
			credentials,
			log: (text) => process.stdout.write(`${text}\n`),
		});
	});

	afterAll(async () => {
		try {
			await stack?.stop();
		} finally {
			await errorOutput.stop();
			await triggerBacklog.stop();
			await storage.stop();
		}
	});

	describeTopic('examples')('the shipped examples: n8n loaded them, example 1', () =>
		exampleStartTests(current, [...callbackWaitWorkflows.map(({ id }) => id), ...triggerBacklog.workflows.map(({ id }) => id), ...storage.activeIds]),
	);

	describe('while the polling trigger works', () => {
		const polling = topicSelected('examples') ? startPollingTrigger(current) : undefined;
		if (topicSelected('triggerBacklog')) triggerBacklog.begin();
		describeTopic('examples')('the shipped examples: 3 to 5 (Colossyan)', () => exampleColossyanTests(current));
		describeTopic('errorOutput')('Generate with "Continue (using error output)"', () => errorOutput.tests(current));
		describeTopic('callbackWait')('Generate waits for the callback', () => callbackWaitTests(current));
		describeTopic('storageAndEmail')('the shipped examples: 7 to 9 (S3 and email)', () => storage.tests(current));
		if (polling) describe('the shipped examples: 2 (the polling trigger)', () => pollingTriggerTest(current, polling));
		describeTopic('triggerBacklog')('the RotateProduct Trigger after a 700-generation Generate', () => triggerBacklog.tests(current));
	});

	describeTopic('callbackWait')('Generate waits for the callback, across a restart', () => callbackWaitRestartTests(current));
});
