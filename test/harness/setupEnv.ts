/**
 * Runs before every test file: n8n's engine reads its settings from the
 * environment when first imported, so they are set here, first. Binary data is
 * stored on disk in a temp folder (filesystem mode), as a self-hosted n8n does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const userFolder = mkdtempSync(join(tmpdir(), 'n8n-nodes-test-'));
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
process.env.N8N_AVAILABLE_BINARY_DATA_MODES = 'filesystem';
process.env.N8N_ENCRYPTION_KEY = 'harness-encryption-key';
process.env.N8N_LOG_LEVEL = 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

afterAll(async () => {
	// n8n-core starts an interval when its SSH client pool is first used; a real
	// n8n stops it on shutdown, and so does the harness, so Jest can exit.
	const { Container } = await import('@n8n/di');
	const { SSHClientsManager } = await import('n8n-core/dist/execution-engine/ssh-clients-manager');
	Container.get(SSHClientsManager).onShutdown();
	rmSync(userFolder, { recursive: true, force: true });
});
