/** A Colossyan simulator plus a one-call way to run the Colossyan node against it. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { NodeUnderTest, RunResult } from '../harness/engine';
import { runNode } from '../harness/engine';
import type { ColossyanSimulatorOptions, Job } from '../simulators/colossyan/ColossyanSimulator';
import { ColossyanSimulator } from '../simulators/colossyan/ColossyanSimulator';

export const TOKEN = 'col_test_token_primary_0001';
export const OTHER_TOKEN = 'col_test_token_other_0002';
export const TEMPLATE = 'tmpl_onboarding';
export const JOBS = '/api/v1/video-generation-jobs';

export interface ColossyanFixture {
	sim: ColossyanSimulator;
	run(
		parameters: INodeParameters,
		input?: Array<IDataObject | INodeExecutionData>,
		options?: { continueOnFail?: boolean; onError?: NodeUnderTest['onError']; cancelAfterMs?: number; token?: string },
	): Promise<RunResult>;
	/** Creates finished jobs straight through the API (no node), named as given. */
	finishedJobs(names: string[]): Promise<Job[]>;
}

export const avatarVideo: INodeParameters = {
	resource: 'job',
	operation: 'generate',
	generateMode: 'avatar',
	avatar: 'karen',
	voice: 'voice-karen-en',
	script: '=Hello {{ $json.name }}!',
	videoName: '=Welcome {{ $json.name }}',
};

export function useColossyan(options: ColossyanSimulatorOptions = {}): ColossyanFixture {
	const fixture = {} as ColossyanFixture;
	beforeEach(async () => {
		fixture.sim = new ColossyanSimulator({ renderMs: 60_000, ...options });
		await fixture.sim.start();
		fixture.sim.addWorkspace(TOKEN);
		fixture.sim.addWorkspace(OTHER_TOKEN);
		fixture.sim.addTemplate(TOKEN, TEMPLATE, 'Onboarding');
	});
	afterEach(async () => await fixture.sim.stop());
	fixture.run = async (parameters, input, runOptions = {}) =>
		await runNode({
			node: { type: 'colossyan', parameters, continueOnFail: runOptions.continueOnFail, onError: runOptions.onError },
			input,
			cancelAfterMs: runOptions.cancelAfterMs,
			credentials: { colossyanApi: { apiKey: runOptions.token ?? TOKEN, baseUrl: fixture.sim.apiUrl } },
		});
	fixture.finishedJobs = async (names) => {
		const { items, error } = await fixture.run(
			{ ...avatarVideo, videoName: '={{ $json.name }}' },
			names.map((name) => ({ name })),
		);
		if (error) throw error;
		const jobs = items.map((item) => fixture.sim.job(String(item.json.jobId)) as Job);
		for (const job of jobs) fixture.sim.end(job.id);
		fixture.sim.resetLog();
		return jobs;
	};
	return fixture;
}
