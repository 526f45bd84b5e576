/**
 * Example 2's trigger (Generation Completed, Download Video) inside a real n8n,
 * after a 700-generation Generate: issue #29 saw n8n's overlapping polls report
 * the same 700 three more times, hundreds of items without their file ("No
 * bridge acquired for this context"), and downloads going on after deactivation.
 * Here, with a RotateProduct simulator and credential of its own (the examples'
 * trigger never sees these generations): every generation reaches the workflow
 * exactly once, each item with its video, each video downloaded once, no poll
 * reporting more than its download bound, and n8n never logs the isolate error.
 *
 * Runs beside the other cases like example 2's test: `begin()` in a beforeAll of
 * the describe the other cases run in, `tests()` last in it.
 */
import { RotateProductSimulator } from '../../simulators/rotateproduct/RotateProductSimulator';
import { RP_KEY, VIDEO_BYTES } from '../../../scripts/n8n/services';
import type { Stack } from '../../../scripts/n8n/stack';
import { eventually } from './common';

const WORKFLOW = 'rpcTriggerBacklog01';
const CREDENTIAL = 'rpTriggerBacklog001';
const CREDENTIAL_NAME = 'RotateProduct (trigger backlog test)';
const TRIGGER = 'When a video is ready';
const BACKLOG = 700;
/** The option raised from 25, so the backlog fits the suite's time: 2 polls at least, each within its 40 s download budget. */
const MAX_DOWNLOADS = 350;
const POLL_INTERVAL_MS = 60_000;
const VIDEO = /^\/api\/v1\/generations\/\d+$/;

/** Example 2's trigger, then a No Op in place of its Write File (the files are checked in n8n's saved executions). */
const workflow = {
	id: WORKFLOW,
	name: 'e2e: the RotateProduct Trigger after a 700-generation Generate',
	nodes: [
		{
			parameters: {
				events: ['completed'],
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				options: { downloadVideo: true, maxDownloadsPerPoll: MAX_DOWNLOADS },
			},
			name: TRIGGER,
			type: 'n8n-nodes-rotateproduct-colossyan.rotateProductTrigger',
			typeVersion: 1,
			position: [0, 0],
			id: 'when-a-video-is-ready',
			credentials: { rotateProductApi: { id: CREDENTIAL, name: CREDENTIAL_NAME } },
		},
		{ parameters: {}, name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], id: 'received' },
	],
	connections: { [TRIGGER]: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
	active: true,
};

interface SavedItem {
	json: { id?: number; externalId?: string; event?: string; downloadError?: string };
	binary?: { data?: { fileName?: string; id?: string; data?: string; bytes?: number } };
}

export class TriggerBacklogCase {
	readonly rotateProduct = new RotateProductSimulator({ renderMs: 0, videoSizeBytes: VIDEO_BYTES });

	readonly workflows = [{ id: WORKFLOW, workflow, active: true }];

	private ids: number[] = [];

	/** Starts the simulator; returns the credential n8n must import. */
	async start(): Promise<unknown[]> {
		await this.rotateProduct.start();
		this.rotateProduct.addAccount(RP_KEY);
		return [{ id: CREDENTIAL, name: CREDENTIAL_NAME, type: 'rotateProductApi', data: { apiKey: RP_KEY, baseUrl: this.rotateProduct.apiUrl } }];
	}

	async stop(): Promise<void> {
		await this.rotateProduct.stop();
	}

	/** A beforeAll: the 700 generations of one Generate, finished at once, after the trigger's activation. */
	begin(): void {
		beforeAll(() => {
			const items = Array.from({ length: BACKLOG }, (_v, i) => ({ imageUrl: `https://img.example/backlog-${i}.jpg`, externalId: `backlog-${i}` }));
			this.ids = this.rotateProduct.seed(RP_KEY, items, { renderMs: 0 }).map((generation) => generation.id);
		});
	}

	tests(stack: () => Stack): void {
		test('700 finished generations: each reported once, with its video, downloaded once; no poll over its bound; no isolate error', async () => {
			const { n8n } = stack();
			expect(this.ids).toHaveLength(BACKLOG);
			const received = async (): Promise<SavedItem[][]> => {
				const executions = await n8n.executions(WORKFLOW);
				const outputs: SavedItem[][] = [];
				for (const execution of executions.filter((e) => e.status === 'success')) {
					const { resultData } = await n8n.executionData(execution.id);
					outputs.push(((resultData.runData[TRIGGER]?.[0]?.data?.main ?? [])[0] ?? []) as SavedItem[]);
				}
				return outputs;
			};
			await eventually('all 700 reported', async () => (await received()).flat().length >= BACKLOG || undefined, 12 * POLL_INTERVAL_MS);
			// Two more polls: nothing comes twice.
			await new Promise((resolve) => setTimeout(resolve, 2 * POLL_INTERVAL_MS + 5000));
			const outputs = await received();
			const items = outputs.flat();
			expect(items.map((item) => item.json.id).sort((a, b) => Number(a) - Number(b))).toEqual(this.ids);
			expect(outputs.filter((output) => output.length > MAX_DOWNLOADS).map((output) => output.length)).toEqual([]);
			// Stored by reference (filesystem, database) or, where n8n 1.x has no database mode (queue), inline.
			const withoutVideo = items.filter((item) => (!item.binary?.data?.id && !item.binary?.data?.data) || item.json.downloadError !== undefined);
			expect(withoutVideo.map((item) => `${String(item.json.id)}: ${String(item.json.downloadError)}`)).toEqual([]);
			for (const item of items) {
				expect(item.binary?.data?.fileName).toBe(`${String(item.json.externalId)}.mp4`);
				if (item.binary?.data?.bytes !== undefined) expect(item.binary.data.bytes).toBe(VIDEO_BYTES);
				// Inline only where there is no storage id (then `data` names the storage mode, e.g. filesystem-v2).
				if (!item.binary?.data?.id && item.binary?.data?.data !== undefined) expect(Buffer.from(item.binary.data.data, 'base64').length).toBe(VIDEO_BYTES);
			}
			// Each video downloaded once: no poll downloaded what another had.
			const downloads = this.rotateProduct.requests.filter((request) => request.method === 'GET' && VIDEO.test(request.path)).map((request) => request.path);
			expect(downloads).toHaveLength(BACKLOG);
			expect(new Set(downloads).size).toBe(BACKLOG);
			expect(n8n.logOf('start')).not.toMatch(/No bridge acquired/);
		}, 16 * POLL_INTERVAL_MS);
	}
}
