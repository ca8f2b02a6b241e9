import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmailPager } from '../../src/channels/paging/email.js';
import { WebhookPager } from '../../src/channels/paging/webhook.js';
import { signAckToken, verifyAckToken } from '../../src/domain/escalation/ack-link.js';
import { emailMessage, smsText, webhookBody, type Page } from '../../src/domain/escalation/page.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';

const KEY = 'k'.repeat(16) + 'current-key-0123456789';
const OLD_KEY = 'o'.repeat(16) + 'previous-key-987654321';
const clock = fixedClock(new Date('2026-03-02T15:04:00Z'));

/** Everything an alert knows that a page must never carry. */
const PATIENT = { name: 'Maria Lopez', phone: '+15551234567', words: 'crushing chest pain', diagnosis: 'cholecystectomy' };

function page(overrides: Partial<Page> = {}): Page {
  return {
    alertId: 'emergency:msg-77',
    shortNumber: 4821,
    severity: 'high',
    category: 'post-op check-in',
    raisedAt: clock.now(),
    ackUrl: 'https://careloop.example.org/ack?t=TOKEN123',
    consoleUrl: 'https://careloop.example.org/console/alerts/emergency:msg-77',
    ...overrides,
  };
}

const everyText = (p: Page) => [smsText(p), ...Object.values(emailMessage(p)), ...(['webhook', 'slack', 'teams'] as const).map((f) => JSON.stringify(webhookBody(p, f)))];

describe('page texts', () => {
  it('say the number, severity, reason, time and link, as the brief words it', () => {
    expect(smsText(page())).toBe('CareLoop alert 4821, high priority (post-op check-in) at 15:04 UTC. Reply ACK 4821 or open https://careloop.example.org/ack?t=TOKEN123');
    expect(smsText(page({ severity: 'critical', timeZone: 'America/New_York' }))).toMatch(/^CareLoop alert 4821, CRITICAL \(post-op check-in\) at 10:04 EST\./);
    expect(emailMessage(page()).subject).toBe('CareLoop alert 4821: high priority (post-op check-in)');
  });

  it('carry no patient data, whatever the alert knew', () => {
    // A Page is built field by field: the patient's details have nowhere to go.
    const alert = { ...PATIENT, id: 'emergency:msg-77', reason: `emergency:cardiac "${PATIENT.words}"` };
    const built = page({ alertId: alert.id });
    expect(Object.keys(built).sort()).toEqual(['ackUrl', 'alertId', 'category', 'consoleUrl', 'raisedAt', 'severity', 'shortNumber']);
    for (const text of everyText(built)) for (const secret of Object.values(PATIENT)) expect(text).not.toContain(secret);
  });

  it('escape HTML in the e-mail and mrkdwn in Slack, and load nothing remote', () => {
    const hostile = page({ category: '<img src=x onerror=alert(1)> & co', ackUrl: 'https://careloop.example.org/ack?a=1&t="x"' });
    const { html } = emailMessage(hostile);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; co');
    expect(html).toContain('href="https://careloop.example.org/ack?a=1&amp;t=&quot;x&quot;"');
    expect(html).not.toMatch(/<img|<link|<script|<style/i);
    const slack = webhookBody(hostile, 'slack') as { blocks: { text?: { text: string } }[] };
    expect(slack.blocks[0]?.text?.text).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; co');
  });
});

describe('acknowledgement tokens', () => {
  const expiresAt = new Date('2026-03-02T16:00:00Z');
  const sign = (key = KEY) => signAckToken({ alertId: 'emergency:msg-77', staffId: 'staff-9', expiresAt }, key);

  it('verify to the alert, the staff member and a unique jti', () => {
    const first = verifyAckToken(sign(), { current: KEY }, clock.now());
    const second = verifyAckToken(sign(), { current: KEY }, clock.now());
    expect(first).toMatchObject({ alertId: 'emergency:msg-77', staffId: 'staff-9' });
    expect('jti' in first && 'jti' in second && first.jti !== second.jti).toBe(true);
  });

  it('expire at their expiry', () => {
    expect(verifyAckToken(sign(), { current: KEY }, new Date(expiresAt.getTime() - 1000))).not.toHaveProperty('error');
    expect(verifyAckToken(sign(), { current: KEY }, expiresAt)).toEqual({ error: 'expired' });
  });

  it('refuse a changed payload or signature, and a token signed with another key', () => {
    const [payload, signature] = sign().split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, s: 'staff-1' })).toString('base64url');
    expect(verifyAckToken(`${forged}.${signature}`, { current: KEY }, clock.now())).toEqual({ error: 'bad_signature' });
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(verifyAckToken(`${payload}.${flipped}`, { current: KEY }, clock.now())).toEqual({ error: 'bad_signature' });
    expect(verifyAckToken(sign(OLD_KEY), { current: KEY }, clock.now())).toEqual({ error: 'bad_signature' });
  });

  it('refuse what is not shaped like a token', () => {
    for (const token of ['', 'abc', 'a.b.c', 'a+b.c/d', `${'a'.repeat(3000)}.b`]) expect(verifyAckToken(token, { current: KEY }, clock.now())).toEqual({ error: 'malformed' });
  });

  it('still verify after a key rotation while the old key is listed as previous', () => {
    const old = sign(OLD_KEY);
    expect(verifyAckToken(old, { current: KEY, previous: [OLD_KEY] }, clock.now())).toMatchObject({ staffId: 'staff-9' });
    expect(() => sign('short')).toThrow(/at least 32 bytes/);
  });
});

/** A local webhook receiver: answers each request with the next scripted reply (200 when none is left). */
interface Received { path: string; contentType: string | undefined; body: unknown }
type Reply = { status: number; headers?: Record<string, string> } | 'hang';
let receiver: http.Server;
let baseUrl: string;
const received: Received[] = [];
const replies: Reply[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(body) as unknown });
      const reply = replies.shift() ?? { status: 200 };
      if (reply === 'hang') return; // never answers; the pager's timeout must end it
      res.writeHead(reply.status, reply.headers).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
  received.length = 0;
  replies.length = 0;
});

/** A pager that records its waits instead of sleeping, and whose log lines are kept. */
function webhookPager(options: { timeoutMs?: number; retries?: number } = {}) {
  const waits: number[] = [];
  const logLines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => logLines.push(line) } as never);
  const pager = new WebhookPager({ allowInsecureLocal: true, clock, logger, sleep: async (ms) => void waits.push(ms), maxRetryAfterMs: 30_000, ...options });
  return { pager, waits, logLines };
}

describe('WebhookPager', () => {
  it('posts each format as JSON in the shape its receiver expects', async () => {
    const { pager } = webhookPager();
    for (const type of ['webhook', 'slack', 'teams'] as const) expect(await pager.send({ type, address: `${baseUrl}/${type}` }, page())).toEqual({ status: 'delivered', attempts: 1 });
    const [generic, slack, teams] = received as [Received, Received, Received];
    expect(received.map((r) => r.contentType)).toEqual(['application/json', 'application/json', 'application/json']);
    expect(generic.body).toMatchObject({ type: 'careloop.page', version: 1, alert: { shortNumber: 4821, severity: 'high', raisedAt: '2026-03-02T15:04:00.000Z' }, links: { ack: page().ackUrl } });
    expect(slack.body).toMatchObject({ text: expect.stringContaining('4821'), unfurl_links: false, blocks: [{ type: 'section' }, { type: 'actions', elements: [{ type: 'button', url: page().ackUrl }, { type: 'button', url: page().consoleUrl }] }] });
    expect(teams.body).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', actions: [{ type: 'Action.OpenUrl', url: page().ackUrl }, { type: 'Action.OpenUrl', url: page().consoleUrl }] } }],
    });
  });

  it('retries a 500 and delivers, with backoff', async () => {
    const { pager, waits } = webhookPager();
    replies.push({ status: 500 });
    expect(await pager.send({ type: 'slack', address: `${baseUrl}/hook` }, page())).toEqual({ status: 'delivered', attempts: 2 });
    expect(received).toHaveLength(2);
    expect(received[1]?.body).toEqual(received[0]?.body);
    expect(waits).toEqual([1_000]);
  });

  it('does not retry a 404', async () => {
    const { pager } = webhookPager();
    replies.push({ status: 404 });
    expect(await pager.send({ type: 'teams', address: `${baseUrl}/gone` }, page())).toEqual({ status: 'failed', attempts: 1, code: 'http_404', retryable: false });
    expect(received).toHaveLength(1);
  });

  it('waits out a 429 for as long as Retry-After says', async () => {
    const { pager, waits } = webhookPager();
    replies.push({ status: 429, headers: { 'retry-after': '7' } });
    expect(await pager.send({ type: 'webhook', address: `${baseUrl}/hook` }, page())).toEqual({ status: 'delivered', attempts: 2 });
    expect(waits).toEqual([7_000]);
  });

  it('hands a Retry-After beyond its cap back to the caller instead of sleeping on it', async () => {
    const { pager, waits } = webhookPager();
    replies.push({ status: 429, headers: { 'retry-after': '120' } });
    const result = await pager.send({ type: 'webhook', address: `${baseUrl}/hook` }, page());
    expect(result).toEqual({ status: 'failed', attempts: 1, code: 'http_429', retryable: true, retryAfter: new Date(clock.now().getTime() + 120_000) });
    expect(waits).toEqual([]);
  });

  it('times out a server that never answers, retries, then fails as retryable', async () => {
    const { pager } = webhookPager({ timeoutMs: 150, retries: 1 });
    replies.push('hang', 'hang');
    expect(await pager.send({ type: 'slack', address: `${baseUrl}/slow` }, page())).toEqual({ status: 'failed', attempts: 2, code: 'timeout', retryable: true });
    expect(received).toHaveLength(2);
  });

  it('sends only to https, or to 127.0.0.1 over http when allowed', async () => {
    const { pager } = webhookPager();
    const strict = new WebhookPager({ sleep: async () => undefined });
    const refused = { status: 'failed', attempts: 0, code: 'url_not_allowed', retryable: false };
    expect(await pager.send({ type: 'webhook', address: 'http://example.org/hook' }, page())).toEqual(refused);
    expect(await pager.send({ type: 'webhook', address: 'not a url' }, page())).toEqual(refused);
    expect(await strict.send({ type: 'webhook', address: `${baseUrl}/hook` }, page())).toEqual(refused);
    expect(received).toHaveLength(0);
  });

  it('logs the host, never the secret path, query or body', async () => {
    const { pager, logLines } = webhookPager({ retries: 1 });
    replies.push({ status: 503 }, { status: 503 });
    const secretUrl = `${baseUrl}/services/T0001/B0002/SeCrEtPaTh?sig=QuErYsEcReT`;
    expect(await pager.send({ type: 'slack', address: secretUrl }, page())).toMatchObject({ status: 'failed', code: 'http_503', retryable: true });
    const log = logLines.join('');
    expect(log).toContain(`127.0.0.1:${new URL(baseUrl).port}`);
    for (const secret of ['SeCrEtPaTh', 'QuErYsEcReT', 'TOKEN123', 'post-op check-in']) expect(log).not.toContain(secret);
  });

  it('retries a refused connection as a network failure', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { pager, waits } = webhookPager({ retries: 2 });
    expect(await pager.send({ type: 'webhook', address: `http://127.0.0.1:${port}/hook` }, page())).toEqual({ status: 'failed', attempts: 3, code: 'network', retryable: true });
    expect(waits).toEqual([1_000, 2_000]);
  });
});

describe('EmailPager', () => {
  let smtp: FakeSmtp;
  const pagers: EmailPager[] = [];
  const emailPager = (overrides: { smtpUrl?: string; allowInsecureLocal?: boolean; retries?: number } = {}) => {
    const pager = new EmailPager({ smtpUrl: smtp.url, from: 'CareLoop <alerts@clinic.example.org>', allowInsecureLocal: true, timeoutMs: 5_000, sleep: async () => undefined, ...overrides });
    pagers.push(pager);
    return pager;
  };
  beforeAll(async () => {
    smtp = await startFakeSmtp();
  });
  afterAll(async () => {
    pagers.forEach((pager) => pager.close());
    await smtp.close();
  });
  beforeEach(() => smtp.reset());

  it('delivers a page the server parses: number and severity in the subject, links, no PHI', async () => {
    expect(await emailPager().send({ address: 'nurse@clinic.example.org' }, page())).toEqual({ status: 'delivered', attempts: 1 });
    const [mail] = await smtp.waitForMessages(1);
    expect(mail?.envelope).toEqual({ from: 'alerts@clinic.example.org', to: ['nurse@clinic.example.org'] });
    expect(mail?.parsed.subject).toBe('CareLoop alert 4821: high priority (post-op check-in)');
    expect(mail?.parsed.text).toContain(page().ackUrl);
    expect(mail?.parsed.html).toContain('href="https://careloop.example.org/ack?t=TOKEN123"');
    expect(mail?.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    for (const secret of Object.values(PATIENT)) expect(mail?.raw).not.toContain(secret);
  });

  it('retries a 451 and is accepted the second time', async () => {
    smtp.failNext(1, 451);
    expect(await emailPager().send({ address: 'nurse@clinic.example.org' }, page())).toEqual({ status: 'delivered', attempts: 2 });
    expect(smtp.rejected).toBe(1);
    expect(smtp.messages).toHaveLength(1);
  });

  it('does not retry a 5xx rejection', async () => {
    smtp.failNext(3, 554);
    expect(await emailPager().send({ address: 'nurse@clinic.example.org' }, page())).toEqual({ status: 'failed', attempts: 1, code: 'smtp_554', retryable: false });
  });

  it('calls a refused connection retryable', async () => {
    const url = smtp.url.replace(/:\d+$/, ':1');
    expect(await emailPager({ smtpUrl: url, retries: 1 }).send({ address: 'nurse@clinic.example.org' }, page())).toEqual({ status: 'failed', attempts: 2, code: 'smtp_connection', retryable: true });
  });

  it('requires TLS unless told the server is a local test one', async () => {
    const result = await emailPager({ allowInsecureLocal: false }).send({ address: 'nurse@clinic.example.org' }, page());
    expect(result).toMatchObject({ status: 'failed', attempts: 1, retryable: false });
    expect(smtp.messages).toHaveLength(0);
  });

  it('says what is wrong with its settings, without the password', () => {
    expect(() => new EmailPager({ smtpUrl: 'http://user:hunter2@mail.example.org', from: 'a@b.org' })).toThrow(/smtp:\/\/ or smtps:\/\//);
    expect(() => new EmailPager({ smtpUrl: 'smtp://user:hunter2@mail.example.org', from: 'nobody' })).toThrow(/`from` must be an e-mail address/);
    expect(() => new EmailPager({ smtpUrl: 'http://user:hunter2@mail.example.org', from: 'a@b.org' })).not.toThrow(/hunter2/);
  });
});
