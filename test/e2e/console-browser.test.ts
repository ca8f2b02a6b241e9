import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app/start.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { launchChromium } from '../helpers/browser.js';
import { invitePath, totpCode } from '../helpers/console.js';
import { testConfig } from '../helpers/db.js';
import { processEnv } from '../helpers/process.js';

/**
 * The care-team console in Debian's chromium (issue 14): a staff member's invitation, password and TOTP, sign-in;
 * the alert queue updating without a reload, acknowledged with the keyboard alone, resolved with a note (and the API
 * agreeing); the patient page's timeline and charts; the plan and enrolment forms; another team's 403; the idle
 * sign-out. axe-core checks every page against WCAG 2.2 A and AA; each page's screenshot goes to test-output/.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const OUTPUT = path.join(ROOT, 'test-output');
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const PASSWORD = 'a long and memorable passphrase';

const clock = fixedClock(new Date());
const config = testConfig({ PORT: '0', SCHEDULER: 'off' });
let app: RunningApp;
let browser: Browser;
let adminKey: string;
const ids: Record<'teamA' | 'teamB' | 'nurseA' | 'nurseB' | 'admin' | 'patient', string> = { teamA: '', teamB: '', nurseA: '', nurseB: '', admin: '', patient: '' };
let nurse: { context: BrowserContext; page: Page; secret: string };

async function api(method: string, url: string, body?: unknown) {
  const res = await fetch(`${app.url}${url}`, { method, headers: { authorization: `Bearer ${adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> & { id: string } };
}

beforeAll(async () => {
  fs.mkdirSync(OUTPUT, { recursive: true });
  app = await startApp(config, createLogger('silent'), clock);
  browser = await launchChromium();
  adminKey = (await new ApiKeyService(app.db.repositories.apiKeys, clock).create({ name: 'console test', role: 'admin' }, 'test')).key;
  ids.teamA = (await api('POST', '/api/v1/care-teams', { name: 'Orthopaedics', timeZone: 'America/New_York' })).json.id;
  ids.teamB = (await api('POST', '/api/v1/care-teams', { name: 'Cardiology', timeZone: 'America/New_York' })).json.id;
  ids.nurseA = (await api('POST', '/api/v1/staff', { name: 'Nora Alder', role: 'nurse', careTeamId: ids.teamA, email: 'nora@example.org' })).json.id;
  ids.nurseB = (await api('POST', '/api/v1/staff', { name: 'Basil Birch', role: 'nurse', careTeamId: ids.teamB })).json.id;
  ids.admin = (await api('POST', '/api/v1/staff', { name: 'Ada Admin', role: 'admin', careTeamId: ids.teamA })).json.id;
  ids.patient = (await api('POST', '/api/v1/patients', {
    name: 'Ana Diaz', phone: '+15552220101', timeZone: 'America/New_York', language: 'en', dateOfBirth: '1958-04-12', careTeamId: ids.teamA, consent: { sms: true },
  })).json.id;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** No WCAG 2.2 A/AA violation on the page, as axe-core sees it (injected through the debugger, so our CSP stays on). */
async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} } }).then((result) =>
    result.violations.map((v) => v.id + ': ' + v.help + ' (' + v.nodes.map((node) => node.target.join(' ')).join('; ') + ')'))`)) as string[];
  expect(violations, `axe on ${page.url()}`).toEqual([]);
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(OUTPUT, `console-${name}.png`), fullPage: true });

/** Follows an invitation link as the staff member would: username, password, the authenticator's code. */
async function acceptInvitation(page: Page, url: string, username: string, screenshot?: string, base = app.url): Promise<string> {
  await page.goto(`${base}${invitePath(url)}`);
  const secret = (await page.locator('#totp-secret').textContent())!.trim();
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.fill('#confirm', PASSWORD);
  await page.fill('#code', totpCode(secret, clock.now()));
  if (screenshot) {
    await expectAccessible(page);
    await shot(page, screenshot);
  }
  await page.click('button[type=submit]');
  await page.waitForURL(/\/console\/sign-in\?reason=ready$/);
  expect(await page.locator('.notice').textContent()).toContain('Your account is ready');
  return secret;
}

async function signInBrowser(page: Page, username: string, secret: string, base = app.url): Promise<void> {
  clock.advance(30_000); // the set-up used this step's code: a code works once
  if (!page.url().includes('/console/sign-in')) await page.goto(`${base}/console/sign-in`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.fill('#code', totpCode(secret, clock.now()));
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/console`);
}

describe('the care-team console in chromium', () => {
  it('invitation -> password -> TOTP -> sign in, from the API and from the CLI', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const invite = await api('POST', `/api/v1/staff/${ids.nurseA}/invite`);
    expect(invite.status).toBe(201);
    const secret = await acceptInvitation(page, String(invite.json.url), 'nora', 'invite');
    await expectAccessible(page);
    await shot(page, 'sign-in');
    await signInBrowser(page, 'nora', secret);
    expect(await page.locator('h1').textContent()).toBe('Alert queue');
    nurse = { context, page, secret };

    // An admin invited from the command line, as `npm run cli -- staff invite <id>` prints it.
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'cli', '--', 'staff', 'invite', ids.admin], {
      cwd: ROOT, env: processEnv({ MONGODB_URI: config.MONGODB_URI!, MONGODB_DB_NAME: config.MONGODB_DB_NAME, AUDIT_KEY: config.AUDIT_KEY!, LOG_LEVEL: 'silent' }),
    });
    expect(stdout.trim()).toMatch(/^http:\/\/\S+\/console\/invite\?t=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const adminPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const adminSecret = await acceptInvitation(adminPage, stdout.trim(), 'ada');
    await signInBrowser(adminPage, 'ada', adminSecret);
    await adminPage.goto(`${app.url}/console/staff`);
    await expectAccessible(adminPage);
    await adminPage.click(`button[aria-label="Invite Basil Birch"]`);
    expect(await adminPage.locator('#invite-link').textContent()).toMatch(/\/console\/invite\?t=/);
    await shot(adminPage, 'staff');
    await adminPage.goto(`${app.url}/console/rules`);
    await adminPage.locator('#rule-new').waitFor();
    await expectAccessible(adminPage);
    await shot(adminPage, 'rules-admin');
    await adminPage.context().close();
  });

  it('a nurse sees a new alert without reloading, acknowledges it with the keyboard alone, resolves it with a note; the API agrees', { timeout: 120_000 }, async () => {
    const { page } = nurse;
    await page.evaluate('window.notReloaded = true');
    const { alert } = await app.container.alerts.raise({
      kind: 'emergency', severity: 'critical', idempotencyKey: 'console-browser-1', patientId: ids.patient, careTeamId: ids.teamA, reason: 'emergency:cardiac "crushing chest pain"',
    });
    const row = page.locator(`tr[data-alert-id="${alert.id}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    expect(await row.textContent()).toContain('Ana Diaz');
    expect(await page.locator('#live-status').textContent()).toMatch(/new alert/);
    await expectAccessible(page);
    await shot(page, 'queue');

    // Keyboard only: Tab to the row's Acknowledge button, Enter.
    const ackId = await row.locator('button').first().getAttribute('id');
    let focused = '';
    for (let presses = 0; presses < 60 && focused !== ackId; presses++) {
      await page.keyboard.press('Tab');
      focused = (await page.evaluate('document.activeElement ? document.activeElement.id : ""')) as string;
    }
    expect(focused).toBe(ackId);
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=/);
    expect(await page.locator('.notice').textContent()).toContain('Alert acknowledged');
    const acknowledged = await api('GET', `/api/v1/alerts/${encodeURIComponent(alert.id)}`);
    expect(acknowledged.json).toMatchObject({ status: 'acknowledged', acknowledgedBy: { kind: 'staff', staffId: ids.nurseA, via: 'console' } });
    expect(await page.locator(`tr[data-alert-id="${alert.id}"]`).textContent()).toContain('Nora Alder');

    await page.locator(`tr[data-alert-id="${alert.id}"] a`, { hasText: 'Resolve' }).click();
    await page.selectOption('#outcome', 'sent_to_emergency');
    await page.fill('#note', 'Called her; ambulance on the way.');
    await expectAccessible(page);
    await shot(page, 'alert');
    await page.click('#resolve button[type=submit]');
    await page.waitForURL(/done=/);
    const resolved = await api('GET', `/api/v1/alerts/${encodeURIComponent(alert.id)}`);
    expect(resolved.json).toMatchObject({ status: 'resolved', resolution: { outcome: 'sent_to_emergency', note: 'Called her; ambulance on the way.' }, resolvedBy: { kind: 'staff', staffId: ids.nurseA, via: 'console' } });
    // Closed alerts are one filter away.
    await page.check('#state-closed');
    await page.click('.filters button[type=submit]');
    expect(await page.locator(`tr[data-alert-id="${alert.id}"]`).textContent()).toContain('resolved');
  });

  it('the patient page shows the timeline and both charts, with text and data tables', { timeout: 120_000 }, async () => {
    const { container, db } = app;
    const patient = await container.patients.get(ids.patient);
    const now = clock.now();
    const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const plan = await container.medication.create(patient.id, { displayName: 'metoprolol', dose: '25 mg', times: ['09:00'], startDate: day(-6) });
    const past = await container.medication.scheduleDoses(patient, plan, new Date(now.getTime() - 6 * 86_400_000), new Date(now.getTime() - 3_600_000));
    expect(past.length).toBeGreaterThanOrEqual(5);
    for (const [index, dose] of past.entries()) await container.medication.recordDoseEvent(dose.key, { type: index % 3 === 2 ? 'skipped' : 'taken' });
    const readings = [{ pain: 6, temperature_c: 37.4 }, { pain: 5, temperature_c: 38.4 }, { pain: 3, temperature_c: 37.1 }];
    for (const [index, facts] of readings.entries()) {
      await db.repositories.postopCheckIns.create({
        id: `checkin-${index}`, enrolmentId: 'enrolment-1', patientId: patient.id, day: index + 1, localDate: day(index - 3), protocolId: 'knee', protocolVersion: 1, channel: 'sms',
        status: 'completed', sentAt: new Date(now.getTime() + (index - 3) * 86_400_000), finishedAt: new Date(now.getTime() + (index - 3) * 86_400_000 + 600_000),
        answers: [{ questionId: 'pain', question: 'Pain 0-10?', text: String(facts.pain), status: 'answered', at: now, facts: { pain: facts.pain } }], facts, redFlags: [],
      });
    }
    await container.conversations.runtime.record({ channel: 'sms', address: patient.phone, providerMessageId: 'SMconsole0001', text: 'my knee is swollen', media: [] });

    const { page } = nurse;
    await page.goto(`${app.url}/console/patients/${patient.id}`);
    const timeline = await page.locator('#timeline').textContent();
    for (const expected of ['my knee is swollen', 'Dose', 'taken', 'Check-in', 'pain 5', 'temperature 38.4 °C', 'crushing chest pain', 'resolved by Nora Alder (console) (sent to emergency)']) expect(timeline).toContain(expected);
    await page.locator('figure[data-chart="adherence"][data-drawn="yes"] canvas').waitFor();
    await page.locator('figure[data-chart="vitals"][data-drawn="yes"] canvas').waitFor();
    expect(await page.locator('#vitals-caption').textContent()).toMatch(/fever threshold of 38\.0 °C[\s\S]*fever on/);
    expect(await page.locator('#adherence-caption').textContent()).toMatch(/doses taken/);
    expect(await page.locator('figure[data-chart="vitals"] details tbody tr').count()).toBe(3);
    expect(await page.locator('figure[data-chart="adherence"] details tbody tr').count()).toBeGreaterThanOrEqual(5);
    await expectAccessible(page);
    await shot(page, 'patient');
  });

  it('a plan and a patient enrolled through the forms are what the API then returns; errors show next to the field', { timeout: 120_000 }, async () => {
    const { page } = nurse;
    await page.goto(`${app.url}/console/patients/${ids.patient}`);
    await page.click('text=Add a medication plan');
    await page.fill('#displayName', 'water pill');
    await page.fill('#dose', '1 tablet');
    await page.fill('#times', '20:00, 08:00');
    await page.fill('#startDate', new Date(clock.now().getTime() + 86_400_000).toISOString().slice(0, 10));
    await page.click('main button[type=submit]');
    expect(await page.locator('#times-error').textContent()).toContain('ascending');
    expect(await page.locator('#times').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await shot(page, 'plan-form');
    await page.fill('#times', '08:00, 20:00');
    await page.click('main button[type=submit]');
    await page.waitForURL(/done=/);
    const plans = await fetch(`${app.url}/api/v1/patients/${ids.patient}/medication-plans`, { headers: { authorization: `Bearer ${adminKey}` } }).then((res) => res.json() as Promise<{ items: { displayName: string; times: string[]; dose: string }[] }>);
    expect(plans.items).toEqual(expect.arrayContaining([expect.objectContaining({ displayName: 'water pill', dose: '1 tablet', times: ['08:00', '20:00'] })]));

    // Changed through the form: the API returns the change.
    await page.click('a[aria-label="Change the water pill plan"]');
    expect(await page.inputValue('#times')).toBe('08:00, 20:00');
    await page.fill('#times', '07:30, 19:30');
    await page.fill('#dose', '2 tablets');
    await page.click('main button[type=submit]');
    await page.waitForURL(/done=/);
    const changed = await fetch(`${app.url}/api/v1/patients/${ids.patient}/medication-plans`, { headers: { authorization: `Bearer ${adminKey}` } }).then((res) => res.json() as Promise<{ items: { displayName: string; times: string[]; dose: string }[] }>);
    expect(changed.items.find((plan) => plan.displayName === 'water pill')).toMatchObject({ dose: '2 tablets', times: ['07:30', '19:30'] });

    await page.goto(`${app.url}/console/patients/new`);
    await page.fill('#name', 'Ben Ode');
    await page.fill('#phone', '555');
    await page.fill('#dateOfBirth', '1961-02-03');
    await page.check('#smsConsent');
    await page.click('main button[type=submit]');
    expect(await page.locator('#phone-error').count()).toBe(1);
    await expectAccessible(page);
    await shot(page, 'enrol-form');
    await page.fill('#phone', '+15552220102');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/console\/patients\/[0-9a-f]{24}\?done=/);
    const newId = /patients\/([0-9a-f]{24})/.exec(page.url())![1]!;
    expect((await api('GET', `/api/v1/patients/${newId}`)).json).toMatchObject({ name: 'Ben Ode', careTeamId: ids.teamA, consent: { sms: true } });

    // And into post-op check-ins, from the patient page.
    await page.click('text=Enrol in post-op check-ins');
    await page.fill('#procedure', 'left knee replacement');
    const surgery = new Date(clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
    await page.fill('#surgeryDate', surgery);
    await expectAccessible(page);
    await shot(page, 'postop-form');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\?done=/);
    expect(await page.locator('.notice').textContent()).toContain('Enrolled in post-op check-ins');
    const enrolment = await api('GET', `/api/v1/patients/${newId}/postop`);
    expect(enrolment.json).toMatchObject({ procedure: 'left knee replacement', surgeryDate: surgery, protocolId: 'default-postop' });
  });

  it('shows the metrics and the rules pages', { timeout: 60_000 }, async () => {
    const { page } = nurse;
    await page.goto(`${app.url}/console/metrics`);
    expect(await page.locator('#median-ack').textContent()).toMatch(/\d+ min/);
    expect(await page.locator('#ack-in-time').textContent()).toMatch(/100% \(1 of 1\)/);
    expect(await page.locator('#adherence').textContent()).toMatch(/%/);
    // The seeded patient's three answered check-ins (the last days) show in the response chart.
    await page.locator('figure[data-chart="response"][data-drawn="yes"] canvas').waitFor();
    expect(await page.locator('#response-caption').textContent()).toMatch(/100% \(\d of \d\)/);
    // The one alert so far (critical, raised this week) is counted in the last week.
    expect(await page.locator('table.per-week tbody tr:last-child td').allTextContents()).toEqual([expect.any(String), '1', '0', '0']);
    await expectAccessible(page);
    await shot(page, 'metrics');
    await page.goto(`${app.url}/console/rules`);
    await expectAccessible(page);
    await shot(page, 'rules');
  });

  it('a nurse of another team gets 403 on this patient\'s page', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const invite = await api('POST', `/api/v1/staff/${ids.nurseB}/invite`);
    const secret = await acceptInvitation(page, String(invite.json.url), 'basil');
    await signInBrowser(page, 'basil', secret);
    const response = await page.goto(`${app.url}/console/patients/${ids.patient}`);
    expect(response?.status()).toBe(403);
    expect(await page.content()).not.toContain('Ana Diaz');
    expect(await page.locator(`tr[data-alert-id]`).count()).toBe(0);
    await page.goto(`${app.url}/console`);
    expect(await page.content()).not.toContain('Ana Diaz');
    await context.close();
  });

  it('adds a passkey on the account page, signs in with it alone, refuses its replayed answer, and not once it is removed', { timeout: 90_000 }, async () => {
    // WebAuthn needs a host name (an IP address cannot be a relying party id): this test uses localhost.
    const base = app.url.replace('127.0.0.1', 'localhost');
    const staffId = (await api('POST', '/api/v1/staff', { name: 'Pia Park', role: 'nurse', careTeamId: ids.teamA })).json.id;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    const secret = await acceptInvitation(page, String((await api('POST', `/api/v1/staff/${staffId}/invite`)).json.url), 'pia', undefined, base);
    await signInBrowser(page, 'pia', secret, base);

    await page.getByRole('link', { name: 'Your account' }).click();
    expect(await page.locator('#no-passkeys').count()).toBe(1);
    await page.fill('#passkey-name', 'Work laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.waitForURL(`${base}/console/account?done=added`);
    expect(await page.locator('#passkeys tbody tr').allTextContents()).toEqual([expect.stringContaining('Work laptop')]);
    const held = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    expect(held.map((credential) => ({ rpId: credential.rpId, resident: credential.isResidentCredential }))).toEqual([{ rpId: 'localhost', resident: true }]);
    await expectAccessible(page);
    await shot(page, 'account');

    // Signed out, the passkey alone signs in: no username, password or code.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/console\/sign-in\?reason=signed-out$/);
    const answers: string[] = [];
    page.on('request', (request) => {
      if (request.url() === `${base}/console/sign-in/passkey`) answers.push(request.postData() ?? '');
    });
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(`${base}/console`);
    expect(await page.locator('h1').textContent()).toBe('Alert queue');
    expect(await page.locator('.signout span').textContent()).toContain('Pia Park');

    // The same answer posted again (a stolen request) signs nobody in. This authenticator counts its signatures, so
    // the counter gives the replay away; a synced passkey does not count (counter 0), and then the used challenge does.
    expect(answers).toHaveLength(1);
    const replay = async () => {
      const before = (await app.db.repositories.audit.head())!.seq;
      const res = await fetch(`${base}/console/sign-in/passkey`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: answers[0] });
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      return (await app.db.repositories.audit.list({ limit: 100, afterSeq: before })).filter((event) => event.action === 'console.sign_in').map((event) => [event.outcome, event.reason]);
    };
    expect(await replay()).toEqual([['denied', 'passkey: bad_passkey']]);
    await app.db.models.StaffPasskey.updateMany({ staffId }, { $set: { counter: 0 } });
    expect(await replay()).toEqual([['denied', 'passkey: replayed']]);

    // Removed, it no longer signs in, and the page says so.
    await page.goto(`${base}/console/account`);
    await page.getByRole('button', { name: 'Remove Work laptop' }).click();
    await page.waitForURL(`${base}/console/account?done=removed`);
    expect(await page.locator('#no-passkeys').count()).toBe(1);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/console\/sign-in\?reason=signed-out$/);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect.poll(() => page.locator('#passkey-status').textContent()).toContain('did not sign you in');
    expect(page.url()).toContain('/console/sign-in');
    await expectAccessible(page);
    await context.close();
  });

  it('warns before the idle timeout, lets the nurse stay, and signs an idle session out (server clock)', { timeout: 60_000 }, async () => {
    const { page } = nurse;
    await page.goto(`${app.url}/console`);
    clock.advance(13 * 60_000 + 30_000);
    const dialog = page.locator('#idle-warning');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    await shot(page, 'idle-warning');
    await page.keyboard.press('Enter'); // the dialog's only control has the focus
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    clock.advance(10 * 60_000);
    // 23.5 minutes since the page loaded, but 10 since "stay signed in": the session still runs.
    expect(await page.evaluate("fetch('/console/session', { headers: { 'x-console-live': '1' } }).then((res) => res.status)")).toBe(200);
    // The queue refresh and the session check both see the 401; the page goes to the sign-in page once.
    const signInLoads: string[] = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.url().includes('/console/sign-in')) signInLoads.push(request.url());
    });
    clock.advance(6 * 60_000);
    await page.waitForURL(/\/console\/sign-in\?reason=idle$/, { timeout: 15_000 });
    await page.waitForLoadState('load'); // the old page's scripts are gone: no later navigation can come from them
    expect(signInLoads).toEqual([`${app.url}/console/sign-in?reason=idle`]);
    expect(await page.locator('.notice').textContent()).toContain('signed out after 15 minutes');
    await expectAccessible(page);
    await nurse.context.close();
  });
});
