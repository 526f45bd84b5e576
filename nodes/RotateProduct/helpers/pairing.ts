/**
 * Which created generation belongs to which item. RotateProduct's docs leave
 * two things open: `failedGenerations[].id` is "the index of the failure" (the
 * item's index in the request, or the failure's own ordinal 0, 1, …), and the
 * order of `generations` is not published. So a generation is given to an item
 * only when every reading agrees:
 * - by the echoed `external_id`, where exactly one item of the request carries it
 *   (or where the items sharing it are identical requests, so any of them is right).
 *   Only an echo that is exactly a string an item sent names a group; an echo
 *   that is null, missing, a number (1 for "1") or any other string names no
 *   item ("unknown echo"), except that null/missing is "no External ID" when no
 *   item of the request has one. An unknown echo goes to the items whose
 *   generations are not accounted for by exact echoes, only where those are
 *   certain (one item, or identical requests); else it is unpaired;
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

/**
 * The group a generation's echo names for certain, or undefined ("unknown
 * echo"). A non-empty string names the items that sent exactly it; null, a
 * missing or empty echo is "no External ID" only when no item of the request
 * has one (else the server may have dropped an item's External ID); anything
 * else (a number, an object) names nothing.
 */
function keyOfGeneration(generation: GenerationSummary, groups: Map<Key, Group>): Key | undefined {
	const value: unknown = generation.external_id;
	if (typeof value === 'string' && value !== '') return groups.has(value) ? value : undefined;
	const blank = value === null || value === undefined || value === '';
	return blank && groups.size === 1 && groups.has(null) ? null : undefined;
}

/** The items grouped by External ID, each group with the generations whose echo names it; `stray`: unknown echoes. */
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
		const key = keyOfGeneration(generation, groups);
		const group = key === undefined ? undefined : groups.get(key);
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
	const readings = [asRequestIndexes(input, groups), asOrdinals(input, groups, stray.length)].filter(
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
	// Each group's exact echoes fit its accepted items; unknown echoes fill the rest (the totals agree).
	for (const group of groups.values()) {
		if (group.items.filter((position) => accepted.has(position)).length < group.generations.length) return undefined;
	}
	return accepted;
}

/**
 * Reading 2: the ids are 0, 1, … (one per failure) and say nothing of which
 * items failed: the echoed External IDs must tell, group by group.
 */
function asOrdinals(input: PairingInput, groups: Map<Key, Group>, unknownEchoes: number): Set<number> | 'unknown' | undefined {
	const ids = failureNumbers(input);
	if (!ids || !ids.every((id) => id < ids.length)) return undefined;
	if (input.items.length - ids.length !== input.generations.length) return undefined;
	const accepted = new Set<number>();
	const open: number[] = [];
	for (const group of groups.values()) {
		if (group.generations.length > group.items.length) return undefined;
		if (group.generations.length === group.items.length) group.items.forEach((position) => accepted.add(position));
		else if (group.generations.length > 0) return 'unknown';
		else open.push(...group.items);
	}
	// Unknown echoes belong to items of the groups without an exact echo: certain only if all of them were accepted.
	if (unknownEchoes === 0) return accepted;
	if (unknownEchoes !== open.length) return 'unknown';
	open.forEach((position) => accepted.add(position));
	return accepted;
}

/** The accepted items in request order with the generations in array order, if that is safe. */
function pairByPosition(input: PairingInput, accepted: Set<number>): Omit<Pairing, 'notCreated'> | undefined {
	const { generations } = input;
	// The array's order is not published: positions count only when it is in creation order.
	for (let i = 1; i < generations.length; i++) if (!(generations[i].id > generations[i - 1].id)) return undefined;
	const positions = [...accepted].sort((a, b) => a - b);
	const paired = positions.map((position, index) => ({ itemIndex: input.items[position].itemIndex, generation: generations[index] }));
	// An exact echo must name the item at its position; an unknown echo contradicts no position.
	const { groups } = groupsOf(input);
	const consistent = positions.every((position, index) => {
		const echoed = keyOfGeneration(generations[index], groups);
		return echoed === undefined || echoed === keyOfItem(input.items[position].request);
	});
	return consistent ? { paired, unpaired: [], unsure: [] } : undefined;
}

/**
 * Pairs what the echoed External IDs settle; the rest is unpaired or unsure.
 * `accepted`, when every reading agrees on it, leaves the rejected items out of
 * the groups, and the unknown echoes are then the generations of the accepted
 * items that no exact echo accounts for ("leftover").
 */
function pairByGroup(input: PairingInput, accepted?: Set<number>): Pairing {
	const { groups: all, stray } = groupsOf(input);
	const pairing: Pairing = { paired: [], notCreated: [], unpaired: [], unsure: [] };
	const unsurePositions: number[] = [];
	const noneCreated: number[] = accepted ? input.items.map((_item, position) => position).filter((position) => !accepted.has(position)) : [];
	const leftover: Group = { items: [], generations: [...stray] };
	const settle = (group: Group): void => {
		const requests = group.items.map((position) => input.items[position]);
		if (group.generations.length === group.items.length && interchangeable(requests.map((item) => item.request))) {
			const inIdOrder = [...group.generations].sort((a, b) => a.id - b.id);
			requests.forEach((item, index) => pairing.paired.push({ itemIndex: item.itemIndex, generation: inIdOrder[index] }));
			return;
		}
		unsurePositions.push(...group.items);
		const candidates = requests.map((item) => item.itemIndex);
		for (const generation of group.generations) pairing.unpaired.push({ generation, candidates });
	};
	for (const whole of all.values()) {
		const group = { items: accepted ? whole.items.filter((position) => accepted.has(position)) : whole.items, generations: whole.generations };
		if (group.items.length === 0 && group.generations.length === 0) continue;
		if (group.generations.length === group.items.length) settle(group);
		else if (accepted) {
			leftover.items.push(...group.items);
			leftover.generations.push(...group.generations);
		} else if (group.generations.length === 0) noneCreated.push(...group.items);
		else settle(group);
	}
	if (accepted) {
		if (leftover.items.length > 0 || leftover.generations.length > 0) settle(leftover);
	} else if (stray.length > 0) {
		// An unknown echo: any item not settled by an exact echo may be its owner.
		unsurePositions.push(...noneCreated.splice(0));
		const candidates = unsurePositions.map((position) => input.items[position].itemIndex).sort((a, b) => a - b);
		for (const generation of stray) pairing.unpaired.push({ generation, candidates });
	}
	pairing.unsure = unsurePositions.map((position) => input.items[position].itemIndex).sort((a, b) => a - b);
	pairing.notCreated = notCreatedOf(input, new Set(input.items.map((_item, position) => position).filter((p) => !noneCreated.includes(p))));
	return pairing;
}

/** What a request asks for (image, end image, description): equal keys make the same video. */
export function videoOf(request: GenerationRequestItem): string {
	return JSON.stringify([request.imageUrl, request.endImageUrl ?? null, request.description ?? null]);
}

/** Requests that would make the same video: whichever generation each gets, it is right. */
export function interchangeable(requests: GenerationRequestItem[]): boolean {
	const [first, ...others] = requests.map(videoOf);
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
