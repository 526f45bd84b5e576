/**
 * Colossyan's times (a job's `creationDate`, a video's `createdAt`) leave the node in
 * one form, ISO in UTC with `Z`, whether Colossyan writes them with an offset or
 * without one (not published): read by the one reader, nodes/shared/time.ts.
 * `npm run test:engine1` runs this on a UTC+14 host, where reading an offset-less
 * time as local time would be 14 hours off.
 */
import { useColossyan } from './fixture';

const col = useColossyan();

describe.each([
	['with an offset', false],
	['without an offset', true],
])('Colossyan times %s', (_name, withoutOffset) => {
	beforeEach(() => {
		col.sim.timesWithoutOffset = withoutOffset;
	});

	test('Get Status and Get Video give the times in UTC, as ISO with Z', async () => {
		const [job] = await col.finishedJobs(['Welcome Ada']);
		const expected = new Date(job.createdAt).toISOString();

		const status = await col.run({ resource: 'job', operation: 'getStatus', jobId: job.id });
		expect(status.items[0].json.createdAt).toBe(expected);

		const video = await col.run({ resource: 'video', operation: 'get', idType: 'video', id: job.videoId });
		expect(video.items[0].json.createdAt).toBe(expected);
	});
});
