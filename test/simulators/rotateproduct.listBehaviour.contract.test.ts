/**
 * The RotateProduct simulator's list switches (listBehaviour.ts) do what they
 * say, over HTTP: the property test of the trigger relies on them.
 */
import { bearer, client } from '../helpers/http';
import { RotateProductSimulator } from './rotateproduct/RotateProductSimulator';

const KEY = 'rp_contract_key_list';
const MINUTE = 60_000;

let sim: RotateProductSimulator;

beforeEach(async () => {
	sim = new RotateProductSimulator({ renderMs: MINUTE, timesWithoutOffset: false });
	await sim.start();
	sim.addAccount(KEY);
});
afterEach(async () => await sim.stop());

interface Row {
	id: number;
	status: string;
	created_at?: string;
	updated_at: string;
}

async function list(): Promise<{ total: number; rows: Row[] }> {
	const res = await client.get(`${sim.apiUrl}/generations?page=1&pageSize=100`, bearer(KEY));
	expect(res.status).toBe(200);
	return { total: res.data.total as number, rows: res.data.generations as Row[] };
}

function create(count: number, renderMs: number[]): number[] {
	const now = sim.clock.now();
	return Array.from({ length: count }, (_v, i) => sim.seed(KEY, [{ imageUrl: 'https://a.example/x.jpg' }], { createdAt: now - (count - i) * 1000, renderMs: renderMs[i] })[0].id);
}

test('defaults: newest first by id, true timestamps, everything visible', async () => {
	const ids = create(3, [0, 0, 0]);
	const { rows } = await list();
	expect(rows.map((row) => row.id)).toEqual([...ids].reverse());
	expect(Date.parse(rows[0].created_at ?? '')).toBe(sim.generation(ids[2])?.createdAt);
});

test('sorted by updated_at: a generation that ends moves to the new end', async () => {
	const [slow, fast] = create(2, [10 * MINUTE, 0]);
	sim.listBehaviour.sortKey = 'updated_at';
	expect((await list()).rows.map((row) => row.id)).toEqual([fast, slow]);
	sim.clock.advance(11 * MINUTE);
	expect((await list()).rows.map((row) => row.id)).toEqual([slow, fast]);
});

test('clock skew, jitter and a missing created_at change the timestamps shown, and only them', async () => {
	const [a, b] = create(2, [0, 0]);
	sim.listBehaviour.clockSkewMs = -12 * 60 * MINUTE;
	sim.listBehaviour.createdAtJitterMs.set(a, 5 * MINUTE);
	sim.listBehaviour.createdAtMissing.add(b);
	const { rows } = await list();
	const byId = new Map(rows.map((row) => [row.id, row]));
	expect(Date.parse(byId.get(a)?.created_at ?? '')).toBe((sim.generation(a)?.createdAt ?? 0) + 5 * MINUTE - 12 * 60 * MINUTE);
	expect(byId.get(b)?.created_at).toBeUndefined();
	expect(Date.parse(byId.get(b)?.updated_at ?? '')).toBe((sim.generation(b)?.settlesAt ?? 0) - 12 * 60 * MINUTE);
});

test('an id visible late is missing from the list and the status endpoint until then; retention and remove() delete rows', async () => {
	const [early, late] = create(2, [0, 0]);
	sim.listBehaviour.visibleFrom.set(early, sim.clock.now() + 2 * MINUTE);
	expect((await list()).rows.map((row) => row.id)).toEqual([late]);
	expect((await client.get(`${sim.apiUrl}/generations/${early}/status`, bearer(KEY))).status).toBe(404);
	sim.clock.advance(3 * MINUTE);
	expect((await list()).total).toBe(2);
	sim.listBehaviour.retentionMs = 60 * MINUTE;
	sim.clock.advance(60 * MINUTE);
	expect((await list()).total).toBe(0);
	sim.listBehaviour.retentionMs = undefined;
	expect(sim.remove(late)).toBe(true);
	expect((await list()).rows.map((row) => row.id)).toEqual([early]);
});

async function listPage(page: number, pageSize = 100): Promise<{ total: number; pageSize: number; ids: number[] }> {
	const res = await client.get(`${sim.apiUrl}/generations?page=${page}&pageSize=${pageSize}`, bearer(KEY));
	expect(res.status).toBe(200);
	return { total: res.data.total as number, pageSize: res.data.pageSize as number, ids: (res.data.generations as Row[]).map((row) => row.id) };
}

test('a page size cap: pages hold at most the cap whatever was asked, and are numbered by it', async () => {
	const ids = create(120, Array.from({ length: 120 }, () => 0)).reverse();
	sim.listBehaviour.pageSizeCap = 50;
	const [one, two, three] = [await listPage(1), await listPage(2), await listPage(3)];
	expect([one.ids.length, two.ids.length, three.ids.length]).toEqual([50, 50, 20]);
	expect([...one.ids, ...two.ids, ...three.ids]).toEqual(ids);
	expect(one.total).toBe(120);
	expect((await listPage(1, 10)).ids).toEqual(ids.slice(0, 10)); // below the cap: as asked
	sim.listBehaviour.pageSizeCap = undefined;
	expect((await listPage(1)).ids).toHaveLength(100);
});

test('a reported total: stuck or wrong, the rows stay the true ones', async () => {
	create(30, Array.from({ length: 30 }, () => 0));
	sim.listBehaviour.reportedTotal = () => 7;
	expect(await listPage(1)).toEqual(expect.objectContaining({ total: 7 }));
	expect((await listPage(1)).ids).toHaveLength(30);
	create(5, [0, 0, 0, 0, 0]);
	expect((await listPage(1)).total).toBe(7); // stopped moving
	sim.listBehaviour.reportedTotal = (n) => n + 500;
	expect((await listPage(1)).total).toBe(535);
	sim.listBehaviour.reportedTotal = undefined;
	expect((await listPage(1)).total).toBe(35);
});
