/**
 * Reads the part of the generation list that can still change: from the
 * newest end down to a given id. The list's order is not published, so it is
 * read off the first page (creation times of its first and last rows); with
 * oldest-first the newest rows are on the last page and are read backwards.
 * An idle poll costs one request (newest-first) or two (oldest-first).
 */
import type { IPollFunctions } from 'n8n-workflow';

import { listPage, orderOf } from '../helpers/lookup';
import type { GenerationSummary } from '../helpers/types';
import { MAX_PAGE_SIZE } from '../helpers/types';

export async function readNewestDownTo(
	context: IPollFunctions,
	stopId: number,
): Promise<Map<number, GenerationSummary>> {
	const rows = new Map<number, GenerationSummary>();
	const first = await listPage(context, 1);
	const reachedStop = (page: GenerationSummary[]) => page.length === 0 || minId(page) <= stopId;
	add(rows, first.generations);
	const pages = Math.ceil(first.total / MAX_PAGE_SIZE);
	if (pages <= 1) return rows;
	if (orderOf(first.generations) === 'oldest-first') {
		for (let page = pages; page > 1; page--) {
			const { generations } = await listPage(context, page);
			add(rows, generations);
			if (reachedStop(generations)) break;
		}
		return rows;
	}
	// Newest first: rows created meanwhile push others down a page, so a row may
	// be seen twice (the map keeps one) but none is skipped.
	let page = first.generations;
	for (let next = 2; next <= pages && !reachedStop(page); next++) {
		page = (await listPage(context, next)).generations;
		add(rows, page);
	}
	return rows;
}

function add(rows: Map<number, GenerationSummary>, page: GenerationSummary[]): void {
	for (const row of page) rows.set(row.id, row);
}

function minId(page: GenerationSummary[]): number {
	return Math.min(...page.map((row) => row.id));
}
