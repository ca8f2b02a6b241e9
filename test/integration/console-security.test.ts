import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContainer } from '../../src/app/container.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { buildServer } from '../../src/http/server.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { samplePatient, type TestApi } from '../helpers/api.js';
import { form, invitePath, setUpAccount, signIn, totpCode, type StaffLogin } from '../helpers/console.js';
import { openTestDatabase } from '../helpers/db.js';

/**
 * The console's security (issue 14): invitations, sign-in with password and TOTP, sessions (cookie flags, idle and
 * absolute limits, revocation), CSRF on every form, team scoping, brute-force slowing with audit, and no patient
 * data in the logs. Real server (fastify inject), real database, a clock moved by hand.
 */
const clock = fixedClock(new Date('2026-03-10T15:00:00Z'));
const logLines: string[] = [];
let api: TestApi & { clock: typeof clock };
let adminKey: string;
let teamA: string;
let teamB: string;
let nurseA: StaffLogin;
let nurseB: StaffLogin;
let patientId: string;
const PATIENT = { name: 'Zelda Quartermain', phone: '+15558880123' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

beforeAll(async () => {
  const { db, config } = await openTestDatabase({ clock });
  const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _encoding, done) => (logLines.push(chunk.toString()), done()) }));
  const container = buildContainer({ config, logger, db, clock });
  const server = await buildServer(container, { version: 'test' });
  afterAll(() => server.close());
  const keys = new ApiKeyService(db.repositories.apiKeys, clock);
  const call: TestApi['call'] = (key, method, url, body) => server.inject({ method, url, headers: key ? { authorization: `Bearer ${key}` } : {}, ...(body === undefined ? {} : { payload: body as object }) });
  api = { server, db, container, dbConfig: config, clock, keyFor: async (role) => (await keys.create({ name: role, role }, 'test')).key, call };
  adminKey = await api.keyFor('admin');
  const team = async (name: string) => (await call(adminKey, 'POST', '/api/v1/care-teams', { name, timeZone: 'America/New_York' })).json<{ id: string }>().id;
  teamA = await team('Surgery A');
  teamB = await team('Surgery B');
  const staff = async (name: string, careTeamId: string, email: string) =>
    (await call(adminKey, 'POST', '/api/v1/staff', { name, role: 'nurse', careTeamId, email })).json<{ id: string }>().id;
  nurseA = await setUpAccount(api, adminKey, await staff('Nora Alder', teamA, 'nora@example.org'), 'nora');
  nurseB = await setUpAccount(api, adminKey, await staff('Basil Birch', teamB, 'basil@example.org'), 'basil');
  patientId = (await call(adminKey, 'POST', '/api/v1/patients', samplePatient(teamA, PATIENT))).json<{ id: string }>().id;
});

const get = (url: string, cookie?: string) => api.server.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const post = (url: string, fields: Record<string, string>, cookie?: string) => api.server.inject({ method: 'POST', url, headers: { ...FORM, ...(cookie ? { cookie } : {}) }, payload: form(fields) });
const auditActions = async (action: string) => (await api.db.models.AuditEvent.find({ action }).lean()) as unknown as { outcome: string; status?: number; reason?: string; actor: { kind: string; staffId?: string } }[];

describe('console sign-in', () => {
  it('sets a session cookie that is HttpOnly, Secure, SameSite=Strict and host-only, and serves every page with a strict CSP', async () => {
    const { setCookie, cookie } = await signIn(api, nurseA);
    expect(setCookie).toMatch(/^__Host-careloop-console=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict; Max-Age=43200$/);
    const res = await get('/console', cookie);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    // Nothing is loaded from anywhere but this server.
    expect(res.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(res.body).not.toMatch(/<script>|<script(?![^>]*\bsrc=)(?![^>]*application\/json)[^>]*>|\sstyle=|\son[a-z]+=/);
  });

  it('refuses a sign-in or invitation form posted from another site (login CSRF)', async () => {
    clock.advance(30_000);
    const fields = form({ username: 'nora', password: nurseA.password, code: totpCode(nurseA.secret, clock.now()) });
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }]) {
      const res = await api.server.inject({ method: 'POST', url: '/console/sign-in', headers: { ...FORM, ...headers }, payload: fields });
      expect(res.statusCode).toBe(403);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect((await api.server.inject({ method: 'POST', url: '/console/invite', headers: { ...FORM, ...headers }, payload: form({ t: 'x' }) })).statusCode).toBe(403);
    }
    const sameSite = await api.server.inject({ method: 'POST', url: '/console/sign-in', headers: { ...FORM, origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' }, payload: fields });
    expect(sameSite.statusCode).toBe(303);
  });

  it('needs the password and a fresh TOTP code; a code works once', async () => {
    clock.advance(30_000);
    const code = totpCode(nurseA.secret, clock.now());
    expect((await post('/console/sign-in', { username: 'nora', password: 'wrong password here', code })).statusCode).toBe(401);
    expect((await post('/console/sign-in', { username: 'nora', password: nurseA.password, code: '000000' === code ? '111111' : '000000' })).statusCode).toBe(401);
    expect((await post('/console/sign-in', { username: 'nora', password: nurseA.password, code })).statusCode).toBe(303);
    expect((await post('/console/sign-in', { username: 'nora', password: nurseA.password, code })).statusCode).toBe(401); // replayed
    const denied = (await auditActions('console.sign_in')).filter((event) => event.outcome === 'denied');
    expect(denied.map((event) => event.reason)).toEqual(expect.arrayContaining(['bad_password', 'bad_code']));
  });

  it('slows brute force per username (429 with Retry-After, unchecked) and audits it', async () => {
    clock.advance(60_000);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) statuses.push((await post('/console/sign-in', { username: 'basil', password: `guess number ${attempt}`, code: '123456' })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Even the right password and code are refused until the minute is over.
    const blocked = await post('/console/sign-in', { username: 'basil', password: nurseB.password, code: totpCode(nurseB.secret, clock.now()) });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const events = await auditActions('console.sign_in');
    expect(events.filter((event) => event.status === 429)).toHaveLength(1); // the first refusal of the window
    clock.advance(61_000);
    await signIn(api, nurseB);
  });

  it('an invitation link works once, and not after it expires', async () => {
    const invite = await api.call(adminKey, 'POST', `/api/v1/staff/${nurseB.staffId}/invite`);
    const path = invitePath(invite.json<{ url: string }>().url);
    expect((await get(path)).statusCode).toBe(200);
    clock.advance(73 * 3_600_000);
    expect((await get(path)).body).toContain('It has expired.');
    expect((await api.call(adminKey, 'POST', '/api/v1/staff/0123456789abcdef01234567/invite')).statusCode).toBe(404);

    // A new invitation replaces the account (a lost phone); the same link a second time is refused.
    nurseB = await setUpAccount(api, adminKey, nurseB.staffId, 'basil.birch');
    const second = await api.call(adminKey, 'POST', `/api/v1/staff/${nurseB.staffId}/invite`);
    const token = new URL(second.json<{ url: string }>().url).searchParams.get('t')!;
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec((await get(invitePath(second.json<{ url: string }>().url))).body)![1]!;
    const fields = { t: token, username: 'basil.b', password: 'another long passphrase', confirm: 'another long passphrase', code: totpCode(secret, clock.now()) };
    expect((await post('/console/invite', fields)).statusCode).toBe(303);
    clock.advance(30_000);
    const reused = await post('/console/invite', { ...fields, code: totpCode(secret, clock.now()) });
    expect(reused.statusCode).toBe(400);
    expect(reused.body).toContain('has been used already');
    nurseB = { ...nurseB, username: 'basil.b', password: 'another long passphrase', secret };
    // Field errors come back next to the field.
    const weak = await post('/console/invite', { ...fields, password: 'short', confirm: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toMatch(/<p class="error" id="password-error">use at least 12 characters<\/p>/);
  });
});

describe('console sessions', () => {
  it('refuses a form without the CSRF token (403) and changes nothing', async () => {
    const { cookie, csrf } = await signIn(api, nurseA);
    const { alert } = await api.container.alerts.raise({ kind: 'handoff', severity: 'normal', idempotencyKey: 'csrf-test', patientId, careTeamId: teamA, reason: 'asked for a nurse' });
    const url = `/console/alerts/${encodeURIComponent(alert.id)}/acknowledge`;
    expect((await post(url, {}, cookie)).statusCode).toBe(403);
    expect((await post(url, { _csrf: 'x'.repeat(43) }, cookie)).statusCode).toBe(403);
    expect((await api.container.alerts.get(alert.id)).status).not.toBe('acknowledged');
    expect((await post(url, { _csrf: csrf }, cookie)).statusCode).toBe(303);
    expect((await api.container.alerts.get(alert.id)).acknowledgedBy).toEqual({ kind: 'staff', staffId: nurseA.staffId, via: 'console' });
  });

  it('signs out after 15 idle minutes (live refreshes do not count) and after 12 hours in all', async () => {
    const { cookie } = await signIn(api, nurseA);
    clock.advance(14 * 60_000);
    expect((await api.server.inject({ method: 'GET', url: '/console/alerts/rows', headers: { cookie, 'x-console-live': '1' } })).statusCode).toBe(200);
    const status = await api.server.inject({ method: 'GET', url: '/console/session', headers: { cookie, 'x-console-live': '1' } });
    expect(status.json()).toEqual({ idleRemainingMs: 60_000 });
    clock.advance(60_000);
    const idle = await get('/console', cookie);
    expect(idle.statusCode).toBe(302);
    expect(idle.headers.location).toBe('/console/sign-in?reason=idle');

    // Kept active every 10 minutes, a session still ends 12 hours after sign-in.
    const fresh = await signIn(api, nurseA);
    for (let minutes = 10; minutes < 12 * 60; minutes += 10) {
      clock.advance(10 * 60_000);
      expect((await get('/console', fresh.cookie)).statusCode, `after ${minutes} minutes`).toBe(200);
    }
    clock.advance(10 * 60_000);
    const expired = await get('/console', fresh.cookie);
    expect(expired.statusCode).toBe(302);
    expect(expired.headers.location).toBe('/console/sign-in');
  });

  it('a revoked session is refused at once', async () => {
    const { cookie } = await signIn(api, nurseA);
    expect((await get('/console', cookie)).statusCode).toBe(200);
    const revoked = await api.call(adminKey, 'DELETE', `/api/v1/staff/${nurseA.staffId}/sessions`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json<{ revoked: number }>().revoked).toBeGreaterThanOrEqual(1);
    expect((await get('/console', cookie)).statusCode).toBe(302);
    expect((await api.server.inject({ method: 'GET', url: '/console/alerts/rows', headers: { cookie, 'x-console-live': '1' } })).statusCode).toBe(401);
  });

  it('signing out ends the session', async () => {
    const { cookie, csrf } = await signIn(api, nurseA);
    expect((await post('/console/sign-out', { _csrf: csrf }, cookie)).headers.location).toBe('/console/sign-in?reason=signed-out');
    expect((await get('/console', cookie)).statusCode).toBe(302);
  });
});

describe('who sees what', () => {
  it('a nurse of another team gets 403 on the patient page and the alert, audited as denied; the own team gets the page, audited', async () => {
    const b = await signIn(api, nurseB);
    const denied = await get(`/console/patients/${patientId}`, b.cookie);
    expect(denied.statusCode).toBe(403);
    expect(denied.body).not.toContain(PATIENT.name);
    const { alert } = await api.container.alerts.raise({ kind: 'handoff', severity: 'normal', idempotencyKey: 'scope-test', patientId, careTeamId: teamA, reason: 'asked for a nurse' });
    expect((await get(`/console/alerts/${encodeURIComponent(alert.id)}`, b.cookie)).statusCode).toBe(403);
    expect((await get('/console/alerts/rows?scope=all', b.cookie)).body).not.toContain(PATIENT.name);
    const a = await signIn(api, nurseA);
    const page = await get(`/console/patients/${patientId}`, a.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(PATIENT.name);
    const reads = await auditActions('console.patient_read');
    expect(reads.map((event) => [event.outcome, event.actor.staffId])).toEqual(expect.arrayContaining([['denied', nurseB.staffId], ['success', nurseA.staffId]]));
  });

  it('a message from the patient page goes through the outbound gateway: sent with consent, refused after an opt-out', async () => {
    // 23:00 in New York: the patient's quiet hours hold for the care team too.
    clock.advance(((27 - clock.now().getUTCHours()) % 24) * 3_600_000);
    const { cookie, csrf } = await signIn(api, nurseA);
    const late = await post(`/console/patients/${patientId}/messages`, { _csrf: csrf, text: 'Late message' }, cookie);
    expect(decodeURIComponent(late.headers.location as string)).toContain("Not sent: it is the patient's quiet hours");
    clock.advance(12 * 3_600_000); // 11:00
    const morning = await signIn(api, nurseA);
    const sent = await post(`/console/patients/${patientId}/messages`, { _csrf: morning.csrf, text: 'Please call the clinic about your knee.' }, morning.cookie);
    expect(sent.statusCode).toBe(303);
    expect(decodeURIComponent(sent.headers.location as string), 'the outcome shown').toContain('Message sent.');
    const outbound = (await api.db.repositories.messages.forPatient(patientId, { limit: 10 })).items.filter((message) => message.direction === 'outbound');
    expect(outbound.map((message) => [message.text, message.purpose])).toContainEqual(['Please call the clinic about your knee.', 'care_team_messages']);

    await api.db.repositories.contacts.setOptedOut('sms', PATIENT.phone, true, clock.now());
    const refused = await post(`/console/patients/${patientId}/messages`, { _csrf: morning.csrf, text: 'Second message' }, morning.cookie);
    expect(decodeURIComponent(refused.headers.location as string)).toContain('Not sent: the patient has opted out of text messages.');
    const after = (await api.db.repositories.messages.forPatient(patientId, { limit: 10 })).items.filter((message) => message.text === 'Second message');
    expect(after.map((message) => message.status)).toEqual(['blocked']);
    expect((await post(`/console/patients/${patientId}/messages`, { text: 'no token' }, morning.cookie)).statusCode).toBe(403);
    await api.db.repositories.contacts.setOptedOut('sms', PATIENT.phone, false, clock.now());
  });

  it('assigns an alert to a colleague of its team (acknowledging it), who then owns it; never to another team', async () => {
    const colleague = (await api.call(adminKey, 'POST', '/api/v1/staff', { name: 'Olive Oak', role: 'nurse', careTeamId: teamA })).json<{ id: string }>().id;
    const { cookie, csrf } = await signIn(api, nurseA);
    const { alert } = await api.container.alerts.raise({ kind: 'handoff', severity: 'normal', idempotencyKey: 'assign-test', patientId, careTeamId: teamA, reason: 'asked for a nurse' });
    const page = await get(`/console/alerts/${encodeURIComponent(alert.id)}`, cookie);
    expect(page.body).toContain('<option value="' + colleague + '">Olive Oak (nurse)</option>');
    expect(page.body).not.toContain('Basil Birch');
    const url = `/console/alerts/${encodeURIComponent(alert.id)}/assign`;
    expect((await post(url, { staffId: colleague }, cookie)).statusCode).toBe(403); // no CSRF token
    expect((await post(url, { _csrf: csrf, staffId: nurseB.staffId }, cookie)).statusCode).toBe(400);
    const done = await post(url, { _csrf: csrf, staffId: colleague }, cookie);
    expect(decodeURIComponent(done.headers.location as string)).toContain('Alert assigned to Olive Oak.');
    const viaApi = (await api.call(adminKey, 'GET', `/api/v1/alerts/${encodeURIComponent(alert.id)}`)).json<{ status: string; assignedTo: string; timeline: { type: string; staffId?: string }[] }>();
    expect(viaApi).toMatchObject({ status: 'acknowledged', assignedTo: colleague });
    expect(viaApi.timeline.map((event) => event.type)).toEqual(expect.arrayContaining(['acknowledged', 'assigned']));
    const rows = (await get('/console/alerts/rows?scope=teams', cookie)).body;
    expect(rows).toMatch(new RegExp(`data-alert-id="${alert.id}"[\\s\\S]*?Olive Oak`));
    expect((await api.call(adminKey, 'POST', `/api/v1/alerts/${encodeURIComponent(alert.id)}/assign`, { staffId: nurseB.staffId })).statusCode).toBe(400);
  });

  it('admins change escalation rules with the API\'s validation; nurses only read them', async () => {
    const adminStaff = (await api.call(adminKey, 'POST', '/api/v1/staff', { name: 'Ada Admin', role: 'admin', careTeamId: teamA })).json<{ id: string }>().id;
    const admin = await signIn(api, await setUpAccount(api, adminKey, adminStaff, 'ada'));
    const rule = { name: 'Missed doses are high for Surgery A', condition: { all: [{ event: 'missed_doses' }] }, severity: 'high', careTeamId: teamA };
    const count = async () => (await api.call(adminKey, 'GET', '/api/v1/escalation-rules')).json<{ items: { name: string; version: number }[] }>().items;
    const before = (await count()).length;

    const notJson = await post('/console/rules', { _csrf: admin.csrf, json: '{ name: ' }, admin.cookie);
    expect(notJson.statusCode).toBe(400);
    expect(notJson.body).toContain('<p class="error" id="rule-new-error">this is not valid JSON</p>');
    const invalid = await post('/console/rules', { _csrf: admin.csrf, json: JSON.stringify({ ...rule, severity: 'urgent' }) }, admin.cookie);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toMatch(/id="rule-new-error">escalation rule is not valid: [^<]*severity/);
    expect((await count()).length).toBe(before);

    const created = await post('/console/rules', { _csrf: admin.csrf, json: JSON.stringify(rule) }, admin.cookie);
    expect(created.statusCode).toBe(303);
    const stored = (await api.call(adminKey, 'GET', '/api/v1/escalation-rules')).json<{ items: { id: string; name: string; version: number }[] }>().items.find((item) => item.name === rule.name)!;
    expect(stored.version).toBe(1);
    const replaced = await post(`/console/rules/${stored.id}`, { _csrf: admin.csrf, json: JSON.stringify({ ...rule, severity: 'critical' }) }, admin.cookie);
    expect(decodeURIComponent(replaced.headers.location as string)).toContain('saved as version 2');
    expect((await api.call(adminKey, 'GET', `/api/v1/escalation-rules/${stored.id}`)).json()).toMatchObject({ version: 2, severity: 'critical' });

    const nurse = await signIn(api, nurseA);
    const page = await get('/console/rules', nurse.cookie);
    expect(page.body).toContain(rule.name);
    expect(page.body).not.toContain('<textarea');
    expect((await post(`/console/rules/${stored.id}`, { _csrf: nurse.csrf, json: JSON.stringify(rule) }, nurse.cookie)).statusCode).toBe(403);

    // Post-op protocols: the next version, validated as the API does; check-ins already sent keep theirs.
    const current = (await api.call(adminKey, 'GET', '/api/v1/postop-protocols/default-postop')).json<{ protocol: { version: number } & Record<string, unknown> }>().protocol;
    const { version, ...fields } = current;
    expect((await post('/console/protocols/default-postop', { _csrf: nurse.csrf, json: JSON.stringify(fields) }, nurse.cookie)).statusCode).toBe(403);
    const broken = await post('/console/protocols/default-postop', { _csrf: admin.csrf, json: JSON.stringify({ ...fields, days: [] }) }, admin.cookie);
    expect(broken.statusCode).toBe(400);
    expect(broken.body).toMatch(/id="protocol-default-postop-error">invalid post-op protocol; days: /);
    const next = await post('/console/protocols/default-postop', { _csrf: admin.csrf, json: JSON.stringify({ ...fields, sendHour: '10:00' }) }, admin.cookie);
    expect(decodeURIComponent(next.headers.location as string)).toContain(`saved as version ${version + 1}`);
    expect((await api.call(adminKey, 'GET', '/api/v1/postop-protocols/default-postop')).json()).toMatchObject({ protocol: { version: version + 1, sendHour: '10:00' } });
  });

  it('an open alert stays in the queue however many newer alerts were resolved since', async () => {
    const { alert: old } = await api.container.alerts.raise({ kind: 'triage', severity: 'high', idempotencyKey: 'buried', patientId, careTeamId: teamA, reason: 'urgent symptom check' });
    clock.advance(60_000);
    const later = Array.from({ length: 210 }, (_, index) => ({ ...old, id: `handoff:resolved-${index}`, kind: 'handoff' as const, status: 'resolved' as const, createdAt: new Date(clock.now().getTime() + index), updatedAt: clock.now() }));
    for (const alert of later) await api.db.repositories.alerts.insert(alert);
    const { cookie } = await signIn(api, nurseA);
    const rows = (await get('/console/alerts/rows?scope=teams&state=open', cookie)).body;
    expect(rows).toContain(`data-alert-id="${old.id}"`);
    expect(rows).not.toContain('handoff:resolved-');
  });

  it('logs no patient name, phone number or message text during a console session', async () => {
    const { cookie, csrf } = await signIn(api, nurseA);
    await get('/console', cookie);
    await get(`/console/patients/${patientId}`, cookie);
    await post(`/console/patients/${patientId}/plans`, { _csrf: csrf, displayName: 'water pill', dose: '1 tablet', times: '08:00', startDate: '2026-03-11' }, cookie);
    await post('/console/patients', { _csrf: csrf, name: 'Yorick Penhallow', phone: '+15558880999', dateOfBirth: '1950-01-01', timeZone: 'America/New_York', language: 'en', careTeamId: teamA }, cookie);
    const logs = logLines.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const phi of [PATIENT.name, PATIENT.phone, 'Yorick', '+15558880999', 'water pill', 'call the clinic', nurseA.password]) expect(logs).not.toContain(phi);
  });
});

describe('console passkeys', () => {
  const JSON_HEADERS = { 'content-type': 'application/json' };
  const postJson = (url: string, payload: string, headers: Record<string, string> = {}) => api.server.inject({ method: 'POST', url, headers: { ...JSON_HEADERS, ...headers }, payload });
  const clientData = (type: string, challenge: string) => Buffer.from(JSON.stringify({ type, challenge, origin: 'http://localhost' })).toString('base64url');

  it('adding one needs a session and the CSRF token; options ask for a discoverable, user-verified passkey of this site', async () => {
    clock.advance(61_000);
    expect((await postJson('/console/account/passkeys/options', '{}', { 'x-console-live': '1' })).statusCode).toBe(401);
    const { cookie, csrf } = await signIn(api, nurseA);
    expect((await postJson('/console/account/passkeys/options', '{}', { cookie })).statusCode).toBe(403);
    const options = await postJson('/console/account/passkeys/options', '{}', { cookie, 'x-csrf-token': csrf });
    expect(options.statusCode).toBe(200);
    expect(options.json()).toMatchObject({ rp: { id: 'localhost' }, user: { name: 'nora', displayName: 'Nora Alder' }, attestation: 'none', authenticatorSelection: { residentKey: 'required', userVerification: 'required' } });
    const page = await get('/console/account', cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script src="/console/assets/webauthn.js" defer></script>');
  });

  it('refuses malformed, forged, oversized or injected answers with a 4xx and stores nothing', async () => {
    const { cookie, csrf } = await signIn(api, nurseA);
    const headers = { cookie, 'x-csrf-token': csrf };
    const forged = (challenge: string) => ({ id: 'abc', rawId: 'abc', type: 'public-key', response: { clientDataJSON: clientData('webauthn.create', challenge), attestationObject: 'o2NmbXRkbm9uZQ' } });
    const bodies = [
      'not json',
      '{"name":"Laptop"}',
      JSON.stringify({ name: 'Laptop', response: { ...forged('x'), id: { $ne: null } } }),
      JSON.stringify({ name: 'Laptop', response: forged(Buffer.from('not one of our challenges').toString('base64url')) }),
      JSON.stringify({ name: '', response: forged('x') }),
    ];
    for (const body of bodies) expect((await postJson('/console/account/passkeys', body, headers)).statusCode).toBe(400);
    expect((await postJson('/console/account/passkeys', JSON.stringify({ name: 'Laptop', response: forged('x'.repeat(40_000)) }), headers)).statusCode).toBe(413);
    expect(await api.db.repositories.passkeys.of(nurseA.staffId)).toEqual([]);
  });

  it('a sign-in with an unknown, forged or malformed answer is refused, counted and audited; no cookie is set', async () => {
    clock.advance(61_000);
    await api.db.repositories.passkeys.add({ id: 'cred-of-basil', staffId: nurseB.staffId, name: 'Phone', publicKey: 'pQECAyYgASFYIA', counter: 0, transports: [], createdAt: clock.now() });
    const answer = (id: string, challenge: string) => JSON.stringify({ response: { id, rawId: id, type: 'public-key', response: { clientDataJSON: clientData('webauthn.get', challenge), authenticatorData: 'AAAA', signature: 'AAAA' } } });
    const options = (await postJson('/console/sign-in/passkey/options', '{}')).json<{ challenge: string; rpId: string; userVerification: string }>();
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
    const tries = [answer('no-such-credential', options.challenge), answer('cred-of-basil', options.challenge), '{"response":{"id":{"$gt":""}}}'];
    for (const body of tries) {
      const res = await postJson('/console/sign-in/passkey', body);
      expect(res.statusCode).toBe(401);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    const reasons = (await auditActions('console.sign_in')).map((event) => event.reason);
    expect(reasons).toEqual(expect.arrayContaining(['passkey: unknown_passkey', 'passkey: bad_passkey', 'passkey: malformed']));
    expect((await postJson('/console/sign-in/passkey', answer('cred-of-basil', options.challenge), { origin: 'https://evil.example' })).statusCode).toBe(403);
  });

  it('passkey sign-ins share the per-address failure limit: past it, 429 with Retry-After, audited once', async () => {
    clock.advance(61_000);
    const body = JSON.stringify({ response: { id: 'no-such-credential', rawId: 'no-such-credential', type: 'public-key', response: { clientDataJSON: clientData('webauthn.get', 'x'), authenticatorData: 'AAAA', signature: 'AAAA' } } });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < api.dbConfig.AUTH_FAILURES_PER_MINUTE + 2; attempt++) statuses.push((await postJson('/console/sign-in/passkey', body)).statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(api.dbConfig.AUTH_FAILURES_PER_MINUTE);
    expect(statuses.slice(-2)).toEqual([429, 429]);
    const blocked = await postJson('/console/sign-in/passkey', body);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const limited = (await auditActions('console.sign_in')).filter((event) => event.status === 429 && event.actor.kind === 'anonymous');
    expect(limited.length).toBeGreaterThanOrEqual(1);
    clock.advance(61_000);
  });

  it('nobody removes another staff member\'s passkey; a new invitation (a lost phone) removes them all', async () => {
    clock.advance(61_000);
    const { cookie, csrf } = await signIn(api, nurseA);
    expect((await post('/console/account/passkeys/remove', { _csrf: csrf, id: 'cred-of-basil' }, cookie)).statusCode).toBe(404);
    expect((await post('/console/account/passkeys/remove', { id: 'cred-of-basil' }, cookie)).statusCode).toBe(403);
    expect((await api.db.repositories.passkeys.of(nurseB.staffId)).map((passkey) => passkey.id)).toEqual(['cred-of-basil']);
    nurseB = await setUpAccount(api, adminKey, nurseB.staffId, 'basil.c');
    expect(await api.db.repositories.passkeys.of(nurseB.staffId)).toEqual([]);
  });
});

describe('console sessions of one staff member', () => {
  it('"sign out my other sessions" ends every other session at once and keeps this one', async () => {
    clock.advance(61_000);
    const here = await signIn(api, nurseA);
    const laptop = await signIn(api, nurseA);
    const phone = await signIn(api, nurseA);
    const ended = await post('/console/account/sessions/end-others', { _csrf: here.csrf }, here.cookie);
    expect([ended.statusCode, ended.headers.location]).toEqual([303, '/console/account?done=sessions-ended']);
    for (const other of [laptop, phone]) {
      expect((await get('/console', other.cookie)).headers.location).toBe('/console/sign-in');
      expect((await api.server.inject({ method: 'GET', url: '/console/session', headers: { cookie: other.cookie, 'x-console-live': '1' } })).statusCode).toBe(401);
    }
    expect((await get('/console', here.cookie)).statusCode).toBe(200);
    expect((await get('/console/account?done=sessions-ended', here.cookie)).body).toContain('Your other sessions are signed out.');
    expect((await post('/console/account/sessions/end-others', {}, here.cookie)).statusCode).toBe(403); // no CSRF token
    const audited = await auditActions('console.sessions_ended');
    expect(audited.map((event) => [event.outcome, event.actor.staffId])).toEqual([['success', nurseA.staffId]]);
    expect(Number(/^(\d+) other session\(s\)$/.exec(audited[0]!.reason ?? '')?.[1])).toBeGreaterThanOrEqual(2); // and earlier tests' sessions
  });
});
