/** Plain axios for tests that talk to a simulator directly (contract tests). */
import axios from 'axios';
import type { AxiosResponse } from 'axios';

export const client = axios.create({ validateStatus: () => true, proxy: false });

export function bearer(key: string): { headers: Record<string, string> } {
	return { headers: { Authorization: `Bearer ${key}` } };
}

export async function getBuffer(url: string, key?: string, headers: Record<string, string> = {}): Promise<AxiosResponse<Buffer>> {
	return await client.get<Buffer>(url, {
		responseType: 'arraybuffer',
		headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...headers },
	});
}
