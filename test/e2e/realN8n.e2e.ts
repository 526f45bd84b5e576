/**
 * The package inside a real n8n (installed from the registry, pinned), in
 * regular mode and in queue mode (main + worker + Redis), one n8n per line and
 * mode for all of these cases (test/e2e/cases/):
 * - the shipped example workflows against the simulators (examples.ts);
 * - Generate with "Continue (using error output)" (errorOutput.ts);
 * - Generate waiting for Colossyan's callback (callbackWait.ts);
 * - the RotateProduct Trigger after a 700-generation Generate (triggerBacklog.ts).
 *
 * The order is the schedule, so that no case sees another's state:
 * 1. n8n loaded the package; example 1 makes the RotateProduct simulator's first generations.
 * 2. Example 2's test creates three generations for the active polling trigger and
 *    leaves n8n's poll intervals (one a minute) to pass while the next cases run:
 *    examples 3 to 5 (the Colossyan simulator's first jobs and callbacks), the error
 *    output (a RotateProduct simulator and credential of its own, so the trigger
 *    never sees its generations), the callback waits (Colossyan renders then last
 *    until a test ends them; their own timeout test waits a minute meanwhile).
 *    Then example 2's test asserts what it names.
 * 3. The callback wait across a restart of n8n, last: nothing else runs across it.
 */
import type { Stack } from '../../scripts/n8n/stack';
import { startStack } from '../../scripts/n8n/stack';
import { callbackWaitRestartTests, callbackWaitTests, callbackWaitWorkflows } from './cases/callbackWait';
import { RUNS } from './cases/common';
import { ErrorOutputCase } from './cases/errorOutput';
import { TriggerBacklogCase } from './cases/triggerBacklog';
import { exampleColossyanTests, exampleStartTests, pollingTriggerTest, startPollingTrigger } from './cases/examples';

describe.each(RUNS)('n8n %s, %s mode', (_version, mode, line) => {
	const errorOutput = new ErrorOutputCase();
	const triggerBacklog = new TriggerBacklogCase();
	let stack: Stack;
	const current = () => stack;

	beforeAll(async () => {
		const credentials = [...(await errorOutput.start()), ...(await triggerBacklog.start())];
		stack = await startStack({
			mode,
			line,
			workflows: [...callbackWaitWorkflows, ...errorOutput.workflows, ...triggerBacklog.workflows],
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
		}
	});

	describe('the shipped examples: n8n loaded them, example 1', () =>
		exampleStartTests(current, [...callbackWaitWorkflows.map(({ id }) => id), ...triggerBacklog.workflows.map(({ id }) => id)]));

	describe('while the polling trigger works', () => {
		const polling = startPollingTrigger(current);
		triggerBacklog.begin();
		describe('the shipped examples: 3 to 5 (Colossyan)', () => exampleColossyanTests(current));
		describe('Generate with "Continue (using error output)"', () => errorOutput.tests(current));
		describe('Generate waits for the callback', () => callbackWaitTests(current));
		describe('the shipped examples: 2 (the polling trigger)', () => pollingTriggerTest(current, polling));
		describe('the RotateProduct Trigger after a 700-generation Generate', () => triggerBacklog.tests(current));
	});

	describe('Generate waits for the callback, across a restart', () => callbackWaitRestartTests(current));
});
