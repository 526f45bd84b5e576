/**
 * Examples 7 to 9 as users chain them, inside a real n8n, against a real
 * S3-compatible server (s3rver) and a real SMTP server (smtp-server), both on
 * 127.0.0.1: what arrives in the bucket and the mailbox is checked byte for byte.
 * - 7: product list -> Generate (wait) -> Download Zip (one archive) -> n8n's S3 node;
 * - 8: form entry -> Colossyan Generate (callback) -> Send Email, the video attached
 *   or, above the size limit, a link (imported twice: as shipped, and with the
 *   limit below the simulator's video size);
 * - 9: RotateProduct Trigger -> each finished video to the bucket, named by External ID.
 * The case has simulators and RotateProduct/Colossyan credentials of its own
 * (the shipped examples' polling trigger and job counts must not see its work);
 * the S3 and SMTP credentials carry the examples' own ids, so the shipped copies
 * imported beside them resolve too.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { readZip, sha256 } from '../../helpers/zip';
import { videoBuffer } from '../../simulators/common/videoBytes';
import { ColossyanSimulator, videoSeed as colossyanSeed } from '../../simulators/colossyan/ColossyanSimulator';
import { RotateProductSimulator, videoSeed as rotateProductSeed } from '../../simulators/rotateproduct/RotateProductSimulator';
import { EXAMPLES_DIR } from '../../../scripts/n8n/examples';
import { COL_TOKEN, RP_KEY, VIDEO_BYTES } from '../../../scripts/n8n/services';
import type { Stack } from '../../../scripts/n8n/stack';
import { eventually } from './common';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => { run(): Promise<AddressInfo>; close(): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SMTPServer } = require('smtp-server') as { SMTPServer: new (options: Record<string, unknown>) => SmtpServer };

interface SmtpServer {
	listen(port: number, host: string, callback: () => void): void;
	close(callback: () => void): void;
	server: { address(): AddressInfo };
}

const BUCKET = 'product-videos';
const S3_KEY = 'S3RVER'; // s3rver's built-in account
const POLL_INTERVAL_MS = 60_000;
/** The shipped limit of example 8 (bytes); the second copy's limit is below the simulator's video size. */
const SHIPPED_LIMIT = 15_000_000;
const LOW_LIMIT = 100_000;

const IDS = { zip: 'rpcStorage07', attach: 'rpcStorage08a', link: 'rpcStorage08b', trigger: 'rpcStorage09' };
const FORMS = { attach: 'storage-e2e-form-attach', link: 'storage-e2e-form-link' };
const CREDENTIALS = { rotateProduct: 'rpStorageCred001', colossyan: 'colStorageCred01' };

/** One message the SMTP server received, its MIME parts decoded. */
export interface Mail {
	from: string;
	to: string[];
	headers: Record<string, string>;
	parts: MimePart[];
}

interface MimePart {
	headers: Record<string, string>;
	body: Buffer;
}

/** A shipped example, made this case's: its own id, credentials and form path. */
function exampleCopy(file: string, id: string, edit: (text: string) => string = (text) => text): { id: string; workflow: unknown } {
	const text = edit(readFileSync(join(EXAMPLES_DIR, file), 'utf8'))
		.split('rpExampleCred001')
		.join(CREDENTIALS.rotateProduct)
		.split('colExampleCred01')
		.join(CREDENTIALS.colossyan);
	const workflow = JSON.parse(text) as Record<string, unknown>;
	return { id, workflow: { ...workflow, id, name: `${String(workflow.name)} (e2e ${id})` } };
}

export class StorageAndEmailCase {
	readonly rotateProduct = new RotateProductSimulator({ renderMs: 3000, videoSizeBytes: VIDEO_BYTES });
	readonly colossyan = new ColossyanSimulator({ renderMs: 4000, videoSizeBytes: VIDEO_BYTES });
	readonly mails: Mail[] = [];
	private readonly bucketDir = mkdtempSync(join(tmpdir(), 's3rver-'));
	private s3?: InstanceType<typeof S3rver>;
	private smtp?: SmtpServer;

	readonly workflows = [
		{ ...exampleCopy('07-product-list-to-zip-in-s3.json', IDS.zip), active: false },
		exampleCopy('08-form-entry-avatar-video-email.json', IDS.attach, (text) => text.replace('colossyan-new-hire-form', FORMS.attach)),
		exampleCopy('08-form-entry-avatar-video-email.json', IDS.link, (text) =>
			text.replace('colossyan-new-hire-form', FORMS.link).replace(`"rightValue": ${SHIPPED_LIMIT}`, `"rightValue": ${LOW_LIMIT}`),
		),
		exampleCopy('09-rotateproduct-trigger-videos-to-s3.json', IDS.trigger),
	];

	/** The workflows this case activates. */
	readonly activeIds = [IDS.attach, IDS.link, IDS.trigger];

	/** Starts the simulators, the S3 and SMTP servers; returns the credentials n8n must import. */
	async start(): Promise<unknown[]> {
		await this.rotateProduct.start();
		await this.colossyan.start();
		this.rotateProduct.addAccount(RP_KEY);
		this.colossyan.addWorkspace(COL_TOKEN);
		this.s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: this.bucketDir, configureBuckets: [{ name: BUCKET }] });
		const s3Address = await this.s3.run();
		const smtp = new SMTPServer({
			secure: false,
			authOptional: true,
			disabledCommands: ['STARTTLS', 'AUTH'],
			logger: false,
			size: 50 * 1024 * 1024,
			onData: (stream: NodeJS.ReadableStream, session: { envelope: { mailFrom: { address: string } | false; rcptTo: Array<{ address: string }> } }, callback: () => void) => {
				const chunks: Buffer[] = [];
				stream.on('data', (chunk: Buffer) => chunks.push(chunk));
				stream.on('end', () => {
					const { mailFrom, rcptTo } = session.envelope;
					this.mails.push({ from: mailFrom ? mailFrom.address : '', to: rcptTo.map((r) => r.address), ...parseMime(Buffer.concat(chunks)) });
					callback();
				});
			},
		});
		await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
		this.smtp = smtp;
		return [
			{ id: CREDENTIALS.rotateProduct, name: 'RotateProduct (storage test)', type: 'rotateProductApi', data: { apiKey: RP_KEY, baseUrl: this.rotateProduct.apiUrl } },
			{ id: CREDENTIALS.colossyan, name: 'Colossyan (storage test)', type: 'colossyanApi', data: { apiKey: COL_TOKEN, baseUrl: this.colossyan.apiUrl } },
			{
				id: 's3ExampleCred001',
				name: 'S3 account',
				type: 's3',
				data: { endpoint: `http://127.0.0.1:${s3Address.port}`, region: 'us-east-1', accessKeyId: S3_KEY, secretAccessKey: S3_KEY, forcePathStyle: true, ignoreSSLIssues: false },
			},
			{
				id: 'smtpExampleCred1',
				name: 'SMTP account',
				type: 'smtp',
				data: { user: '', password: '', host: '127.0.0.1', port: smtp.server.address().port, secure: false, disableStartTls: true },
			},
		];
	}

	async stop(): Promise<void> {
		await Promise.all([this.rotateProduct.stop(), this.colossyan.stop()]);
		await this.s3?.close();
		await new Promise<void>((resolve) => (this.smtp ? this.smtp.close(resolve) : resolve()));
		rmSync(this.bucketDir, { recursive: true, force: true });
	}

	/** Every object in the bucket: key -> bytes and the content type it was stored with. */
	objects(): Map<string, { bytes: Buffer; contentType: string }> {
		const root = join(this.bucketDir, BUCKET);
		const found = new Map<string, { bytes: Buffer; contentType: string }>();
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const path = join(dir, name);
				if (statSync(path).isDirectory()) walk(path);
				else if (name.endsWith('._S3rver_object')) {
					const key = relative(root, path).slice(0, -'._S3rver_object'.length);
					const metadata = JSON.parse(readFileSync(path.replace(/_object$/, '_metadata.json'), 'utf8')) as Record<string, string>;
					found.set(decodeURIComponent(key), { bytes: readFileSync(path), contentType: metadata['content-type'] });
				}
			}
		};
		walk(root);
		return found;
	}

	tests(stack: () => Stack): void {
		test('(7) product list -> Generate -> one zip -> n8n\'s S3 node: the object holds every video, byte for byte, and its key is on the item', async () => {
			const { n8n } = stack();
			await n8n.execute(IDS.zip);
			const [execution] = await n8n.executions(IDS.zip);
			expect(execution.status).toBe('success');
			const objects = this.objects();
			const keys = [...objects.keys()].filter((key) => key.startsWith('rotateproduct/zips/'));
			expect(keys).toEqual([expect.stringMatching(/^rotateproduct\/zips\/rotateproduct-[\dT-]+-3-videos\.zip$/)]);
			const zip = objects.get(keys[0])!;
			expect(zip.contentType).toBe('application/zip');
			const entries = await readZip(zip.bytes);
			expect(entries.map((entry) => entry.name).sort()).toEqual(['lamp-oak.mp4', 'mug-blue.mp4', 'mug-red.mp4']);
			for (let id = 4980; id < 4983; id++) {
				const entry = entries.find((e) => e.name === `${String(this.rotateProduct.generation(id)?.externalId)}.mp4`);
				expect(entry?.sha256).toBe(sha256(videoBuffer(rotateProductSeed(id), VIDEO_BYTES)));
			}
			const { resultData } = await n8n.executionData(execution.id);
			const last = resultData.runData['Object key']?.[0]?.data?.main?.[0] as Array<{ json: Record<string, unknown> }>;
			expect(last.map((item) => item.json.objectKey)).toEqual(keys);
			expect(last[0].json.bucket).toBe(BUCKET);
		});

		test(`(8) form entry -> avatar video -> Send Email: the attachment is the simulator's video (name, video/mp4, ${VIDEO_BYTES} bytes)`, async () => {
			const { n8n } = stack();
			const before = this.mails.length;
			await submitForm(n8n.baseUrl, FORMS.attach, ['Grace Hopper', 'grace@example.com', 'Compilers']);
			const [mail] = await eventually('the email', () => this.mails.length > before && this.mails.slice(before), 90_000);
			expect(mail.to).toEqual(['grace@example.com']);
			expect(mail.headers.subject).toBe('Welcome to the team, Grace Hopper!');
			const attachments = mail.parts.filter((part) => /attachment/.test(part.headers['content-disposition'] ?? ''));
			expect(attachments).toHaveLength(1);
			const [attachment] = attachments;
			const job = this.colossyan.allJobs().find((j) => j.name === 'Welcome Grace Hopper');
			expect(job).toBeDefined();
			const expected = videoBuffer(colossyanSeed(String(job?.videoId)), VIDEO_BYTES);
			expect(attachment.body.length).toBe(VIDEO_BYTES);
			expect(sha256(attachment.body)).toBe(sha256(expected));
			expect(attachment.headers['content-type']).toMatch(/^video\/mp4\b/);
			// The attachment's name is the binary's fileName as the package set it.
			const [execution] = (await n8n.executions(IDS.attach)).filter((e) => e.status === 'success');
			const { resultData } = await n8n.executionData(execution.id);
			const downloaded = resultData.runData['Download video']?.[0]?.data?.main?.[0] as Array<{ binary: { data: { fileName: string; mimeType: string } } }>;
			expect(downloaded[0].binary.data.mimeType).toBe('video/mp4');
			expect(filenameOf(attachment)).toBe(downloaded[0].binary.data.fileName);
			expect(filenameOf(attachment)).toMatch(/\.mp4$/);
		});

		test(`(8) above the size limit the email carries the video's link, no attachment`, async () => {
			const { n8n } = stack();
			const before = this.mails.length;
			await submitForm(n8n.baseUrl, FORMS.link, ['Linus Torvalds', 'linus@example.com', '']);
			const [mail] = await eventually('the email', () => this.mails.length > before && this.mails.slice(before), 90_000);
			expect(mail.to).toEqual(['linus@example.com']);
			expect(mail.parts.filter((part) => /attachment/.test(part.headers['content-disposition'] ?? ''))).toEqual([]);
			const job = this.colossyan.allJobs().find((j) => j.name === 'Welcome Linus Torvalds');
			const text = mail.parts.map((part) => part.body.toString('utf8')).join('\n');
			expect(text).toContain('too large to attach');
			expect(text).toMatch(new RegExp(`https?://\\S*${String(job?.videoId)}\\S*`));
			expect(this.colossyan.files.count('GET', `/videos/${String(job?.videoId)}.mp4`)).toBe(0); // not downloaded
		});

		test('(9) RotateProduct Trigger -> each finished video in the bucket, named by External ID, within two poll intervals', async () => {
			const wanted = ['mug-blue', 'mug-red', 'lamp-oak'].map((sku) => `rotateproduct/videos/${sku}.mp4`);
			const objects = await eventually(
				'the three videos in the bucket',
				() => {
					const found = this.objects();
					return wanted.every((key) => found.has(key)) && found;
				},
				2 * POLL_INTERVAL_MS + 30_000,
			);
			for (let id = 4980; id < 4983; id++) {
				const object = objects.get(`rotateproduct/videos/${String(this.rotateProduct.generation(id)?.externalId)}.mp4`);
				expect(object?.contentType).toBe('video/mp4');
				expect(sha256(object!.bytes)).toBe(sha256(videoBuffer(rotateProductSeed(id), VIDEO_BYTES)));
			}
			expect([...objects.keys()].filter((key) => key.startsWith('rotateproduct/videos/')).sort()).toEqual([...wanted].sort());
		});
	}
}

/** Submits an n8n Form Trigger as a browser does (multipart, fields in order). */
async function submitForm(baseUrl: string, path: string, values: string[]): Promise<void> {
	const form = new FormData();
	values.forEach((value, index) => form.append(`field-${index}`, value));
	const response = await fetch(`${baseUrl}/form/${path}`, { method: 'POST', body: form });
	if (response.status !== 200) throw new Error(`the form answered ${response.status}: ${await response.text()}`);
}

function filenameOf(part: MimePart): string | undefined {
	const match = /filename="?([^";]+)"?/.exec(part.headers['content-disposition'] ?? '');
	return match?.[1];
}

/** A small MIME reader: headers (unfolded, lower-case names) and leaf parts, bodies decoded. */
function parseMime(raw: Buffer): { headers: Record<string, string>; parts: MimePart[] } {
	const { headers, body } = splitHeaders(raw.toString('latin1'));
	return { headers, parts: leafParts(headers, body) };
}

function splitHeaders(text: string): { headers: Record<string, string>; body: string } {
	const end = text.search(/\r?\n\r?\n/);
	const head = end < 0 ? text : text.slice(0, end);
	const body = end < 0 ? '' : text.slice(end).replace(/^\r?\n\r?\n/, '');
	const headers: Record<string, string> = {};
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return { headers, body };
}

function leafParts(headers: Record<string, string>, body: string): MimePart[] {
	const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
	if (!/^multipart\//i.test(headers['content-type'] ?? '') || !boundary) return [{ headers, body: decodeBody(headers, body) }];
	return body
		.split(`--${boundary}`)
		.slice(1)
		.filter((chunk) => !chunk.startsWith('--'))
		.flatMap((chunk) => {
			const part = splitHeaders(chunk.replace(/^\r?\n/, ''));
			return leafParts(part.headers, part.body.replace(/\r?\n$/, ''));
		});
}

function decodeBody(headers: Record<string, string>, body: string): Buffer {
	const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
	if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
	if (encoding === 'quoted-printable') {
		const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
		return Buffer.from(bytes, 'latin1');
	}
	return Buffer.from(body, 'latin1');
}
