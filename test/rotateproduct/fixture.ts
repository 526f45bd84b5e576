/** A RotateProduct simulator plus a one-call way to run the RotateProduct node against it. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { NodeUnderTest, RunResult } from '../harness/engine';
import { runNode } from '../harness/engine';
import type { RotateProductSimulatorOptions } from '../simulators/rotateproduct/RotateProductSimulator';
import { RotateProductSimulator } from '../simulators/rotateproduct/RotateProductSimulator';

export const KEY = 'rp_test_key_primary_0001';
export const OTHER_KEY = 'rp_test_key_other_0002';

export interface RotateProductFixture {
	sim: RotateProductSimulator;
	run(
		parameters: INodeParameters,
		input?: Array<IDataObject | INodeExecutionData>,
		options?: { continueOnFail?: boolean; onError?: NodeUnderTest['onError']; cancelAfterMs?: number; key?: string; baseUrl?: string; noCredential?: boolean },
	): Promise<RunResult>;
}

/** Starts a fresh simulator before each test and stops it after. */
export function useRotateProduct(options: RotateProductSimulatorOptions = {}): RotateProductFixture {
	const fixture = {} as RotateProductFixture;
	beforeEach(async () => {
		fixture.sim = new RotateProductSimulator({ renderMs: 60_000, ...options });
		await fixture.sim.start();
		fixture.sim.addAccount(KEY);
		fixture.sim.addAccount(OTHER_KEY);
	});
	afterEach(async () => await fixture.sim.stop());
	fixture.run = async (parameters, input, runOptions = {}) =>
		await runNode({
			node: { type: 'rotateProduct', parameters, continueOnFail: runOptions.continueOnFail, onError: runOptions.onError },
			input,
			cancelAfterMs: runOptions.cancelAfterMs,
			credentials: runOptions.noCredential
				? {}
				: { rotateProductApi: { apiKey: runOptions.key ?? KEY, baseUrl: runOptions.baseUrl ?? fixture.sim.apiUrl } },
		});
	return fixture;
}

export const GENERATIONS = '/api/v1/generations';

export function products(count: number, from = 0): IDataObject[] {
	return Array.from({ length: count }, (_v, i) => ({
		image: `https://shop.example/img/${from + i}.jpg`,
		sku: `sku-${from + i}`,
	}));
}

export const generateFromProducts: INodeParameters = {
	resource: 'generation',
	operation: 'generate',
	imageUrl: '={{ $json.image }}',
	externalId: '={{ $json.sku }}',
};
