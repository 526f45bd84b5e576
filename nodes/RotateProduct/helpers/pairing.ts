/**
 * Which created generation belongs to which item. RotateProduct's docs leave
 * two things open: `failedGenerations[].id` is "the index of the failure" (the
 * item's index in the request, or the failure's own ordinal 0, 1, …), and the
 * order of `generations` is not published. So a generation is given to an item
 * only when every reading agrees:
 * - by the echoed `external_id`, where exactly one item of the request carries it
 *   (or where the items sharing it are identical requests, so any of them is right);
 * - by position, only when the accepted items are the same under both readings
 *   of `failedGenerations` (and agree with the echoed External IDs), and the
 *   array is in creation order (ascending ids).
 * Anything else is never guessed: those generations come out "unpaired", naming
 * the items they may belong to, and those items get an error saying why.
 */
import type { GenerationRequestItem, GenerationSummary } from './types';

export interface PairingInput {
	/** The items of the request, in request order (`itemIndex`: the n8n item). */
	items: Array<{ itemIndex: number; request: GenerationRequestItem }>;
	generations: GenerationSummary[];
	failures: Array<{ id: unknown; error: unknown }>;
}

export interface Pairing {
	paired: Array<{ itemIndex: number; generation: GenerationSummary }>;
	/** Items certainly not created, with RotateProduct's reason where it can be told. */
	notCreated: Array<{ itemIndex: number; message: string }>;
	/** Generations whose item cannot be told, with the items they may belong to. */
	unpaired: Array<{ generation: GenerationSummary; candidates: number[] }>;
	/** Items that may or may not have one of the unpaired generations. */
	unsure: number[];
}

export const DISTINCT_IDS_FIX =
	'Give every item a distinct External ID (e.g. the SKU): created generations are then matched to items by it, whatever order RotateProduct answers in.';

type Key = string | null;

interface Group {
	items: number[];
	generations: GenerationSummary[];
}

export function pairGenerations(input: PairingInput): Pairing {
	const accepted = acceptedPositions(input);
	const positional = accepted === undefined ? undefined : pairByPosition(input, accepted);
	if (positional) return { ...positional, notCreated: notCreatedOf(input, accepted as Set<number>) };
	return pairByGroup(input, accepted);
}

/** The key an item is echoed under: its External ID, or null without one. */
function keyOfItem(request: GenerationRequestItem): Key {
	return request.externalId ?? null;
}

function keyOfGeneration(generation: GenerationSummary): Key {
	const value = generation.external_id;
	return typeof value === 'string' && value !== '' ? value : null;
}

function groupsOf(input: PairingInput): { groups: Map<Key, Group>; stray: GenerationSummary[] } {
	const groups = new Map<Key, Group>();
	input.items.forEach((item, position) => {
		const key = keyOfItem(item.request);
		const group = groups.get(key) ?? { items: [], generations: [] };
		group.items.push(position);
		groups.set(key, group);
	});
	const stray: GenerationSummary[] = [];
	for (const generation of input.generations) {
		const group = groups.get(keyOfGeneration(generation));
		if (group) group.generations.push(generation);
		else stray.push(generation);
	}
	return { groups, stray };
}

/**
 * The request positions that were accepted, when both readings of
 * `failedGenerations[].id` (that are possible at all) give the same set;
 * undefined when they differ or neither fits the answer.
 */
function acceptedPositions(input: PairingInput): Set<number> | undefined {
	const { groups, stray } = groupsOf(input);
	if (stray.length > 0) return undefined;
	const readings = [asRequestIndexes(input, groups), asOrdinals(input, groups)].filter(
		(reading): reading is Set<number> | 'unknown' => reading !== undefined,
	);
	if (readings.length === 0 || readings.includes('unknown')) return undefined;
	const [first, ...others] = readings as Array<Set<number>>;
	return others.every((other) => sameSet(first, other)) ? first : undefined;
}

function failureNumbers(input: PairingInput): number[] | undefined {
	const numbers = input.failures.map((failure) => (typeof failure.id === 'number' ? String(failure.id) : failure.id));
	if (!numbers.every((id) => typeof id === 'string' && /^\d+$/.test(id))) return undefined;
	const parsed = numbers.map(Number);
	return new Set(parsed).size === parsed.length ? parsed : undefined;
}

/** Reading 1: each id is the rejected item's index in the request. Undefined when the answer rules it out. */
function asRequestIndexes(input: PairingInput, groups: Map<Key, Group>): Set<number> | undefined {
	const ids = failureNumbers(input);
	if (!ids || ids.some((id) => id >= input.items.length)) return undefined;
	const rejected = new Set(ids);
	const accepted = new Set(input.items.map((_item, position) => position).filter((position) => !rejected.has(position)));
	if (accepted.size !== input.generations.length) return undefined;
	for (const group of groups.values()) {
		if (group.items.filter((position) => accepted.has(position)).length !== group.generations.length) return undefined;
	}
	return accepted;
}

/**
 * Reading 2: the ids are 0, 1, … (one per failure) and say nothing of which
 * items failed: the echoed External IDs must tell, group by group.
 */
function asOrdinals(input: PairingInput, groups: Map<Key, Group>): Set<number> | 'unknown' | undefined {
	const ids = failureNumbers(input);
	if (!ids || !ids.every((id) => id < ids.length)) return undefined;
	if (input.items.length - ids.length !== input.generations.length) return undefined;
	const accepted = new Set<number>();
	for (const group of groups.values()) {
		if (group.generations.length > group.items.length) return undefined;
		if (group.generations.length === group.items.length) group.items.forEach((position) => accepted.add(position));
		else if (group.generations.length > 0) return 'unknown';
	}
	return accepted;
}

/** The accepted items in request order with the generations in array order, if that is safe. */
function pairByPosition(input: PairingInput, accepted: Set<number>): Omit<Pairing, 'notCreated'> | undefined {
	const { generations } = input;
	// The array's order is not published: positions count only when it is in creation order.
	for (let i = 1; i < generations.length; i++) if (!(generations[i].id > generations[i - 1].id)) return undefined;
	const positions = [...accepted].sort((a, b) => a - b);
	const paired = positions.map((position, index) => ({ itemIndex: input.items[position].itemIndex, generation: generations[index] }));
	const consistent = positions.every(
		(position, index) => keyOfItem(input.items[position].request) === keyOfGeneration(generations[index]),
	);
	return consistent ? { paired, unpaired: [], unsure: [] } : undefined;
}

/**
 * Pairs what the echoed External IDs settle; the rest is unpaired or unsure.
 * `accepted`, when every reading agrees on it, leaves the rejected items out of the groups.
 */
function pairByGroup(input: PairingInput, accepted?: Set<number>): Pairing {
	const { groups: all, stray } = groupsOf(input);
	const groups = new Map<Key, Group>();
	for (const [key, group] of all) {
		groups.set(key, { items: accepted ? group.items.filter((position) => accepted.has(position)) : group.items, generations: group.generations });
	}
	const rejectedForSure = accepted ? input.items.map((_item, position) => position).filter((position) => !accepted.has(position)) : [];
	const pairing: Pairing = { paired: [], notCreated: [], unpaired: [], unsure: [] };
	const unsurePositions: number[] = [];
	const noneCreated: number[] = [...rejectedForSure];
	for (const group of groups.values()) {
		if (group.items.length === 0 && group.generations.length === 0) continue;
		const requests = group.items.map((position) => input.items[position]);
		if (group.generations.length === 0) {
			noneCreated.push(...group.items);
		} else if (group.generations.length === group.items.length && interchangeable(requests.map((item) => item.request))) {
			const inIdOrder = [...group.generations].sort((a, b) => a.id - b.id);
			requests.forEach((item, index) => pairing.paired.push({ itemIndex: item.itemIndex, generation: inIdOrder[index] }));
		} else {
			unsurePositions.push(...group.items);
			const candidates = requests.map((item) => item.itemIndex);
			for (const generation of group.generations) pairing.unpaired.push({ generation, candidates });
		}
	}
	// An External ID echoed differently than sent: any item not created may be its owner.
	if (stray.length > 0) unsurePositions.push(...noneCreated.splice(0));
	const strayCandidates = unsurePositions.map((position) => input.items[position].itemIndex).sort((a, b) => a - b);
	for (const generation of stray) pairing.unpaired.push({ generation, candidates: strayCandidates });
	pairing.unsure = unsurePositions.map((position) => input.items[position].itemIndex).sort((a, b) => a - b);
	pairing.notCreated = notCreatedOf(input, new Set(input.items.map((_item, position) => position).filter((p) => !noneCreated.includes(p))));
	return pairing;
}

/** Requests that would make the same video: whichever generation each gets, it is right. */
function interchangeable(requests: GenerationRequestItem[]): boolean {
	const [first, ...others] = requests.map((request) =>
		JSON.stringify([request.imageUrl, request.endImageUrl ?? null, request.description ?? null]),
	);
	return others.every((other) => other === first);
}

/**
 * The items outside `accepted`, each with RotateProduct's reason when the
 * reason can be told (every possible reading of the ids gives the same one),
 * else with every reason of the answer.
 */
function notCreatedOf(input: PairingInput, accepted: Set<number>): Pairing['notCreated'] {
	const rejected = input.items.map((_item, position) => position).filter((position) => !accepted.has(position));
	const reasons = input.failures.map((failure) => String(failure.error ?? 'no reason given'));
	const byIndex = reasonByRequestIndex(input, rejected);
	return rejected.map((position) => {
		const itemIndex = input.items[position].itemIndex;
		const own = byIndex?.get(position);
		if (own !== undefined) return { itemIndex, message: `RotateProduct rejected item ${itemIndex}: ${own}` };
		return {
			itemIndex,
			message: `RotateProduct created no generation for item ${itemIndex}${reasons.length ? ` (its reasons for this request: ${summarise(reasons)})` : ''}`,
		};
	});
}

/** Each rejected position's reason under the request-index reading, if that reading names exactly them. */
function reasonByRequestIndex(input: PairingInput, rejected: number[]): Map<number, string> | undefined {
	const ids = failureNumbers(input);
	if (!ids || !sameSet(new Set(ids), new Set(rejected))) return undefined;
	return new Map(ids.map((id, index) => [id, String(input.failures[index].error ?? 'no reason given')]));
}

function summarise(reasons: string[]): string {
	const shown = reasons.slice(0, 5).join('; ');
	return reasons.length > 5 ? `${shown}; and ${reasons.length - 5} more` : shown;
}

function sameSet(a: Set<number>, b: Set<number>): boolean {
	return a.size === b.size && [...a].every((value) => b.has(value));
}
