import { Secret, TOTP } from 'otpauth';
import type { TestApi } from './api.js';

/** What the tests sign in with: a staff member's username, password and TOTP secret. */
export interface StaffLogin {
  staffId: string;
  username: string;
  password: string;
  secret: string;
}

/** The current code of a TOTP secret at the server's clock. */
export function totpCode(secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at.getTime() });
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The path and query of an invitation URL (its host is the configured one, not the test server's). */
export const invitePath = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

/** Invites a staff member through the API and completes the invitation as they would (form posts, no browser). */
export async function setUpAccount(api: TestApi, adminKey: string, staffId: string, username: string, password = 'correct horse battery staple'): Promise<StaffLogin> {
  const invite = await api.call(adminKey, 'POST', `/api/v1/staff/${staffId}/invite`);
  if (invite.statusCode !== 201) throw new Error(`invite: ${invite.statusCode} ${invite.body}`);
  const path = invitePath(invite.json<{ url: string }>().url);
  const pageHtml = (await api.server.inject({ method: 'GET', url: path })).body;
  const secret = /id="totp-secret">([A-Z2-7]+)</.exec(pageHtml)?.[1];
  if (!secret) throw new Error(`no TOTP secret on the invitation page:\n${pageHtml.slice(0, 500)}`);
  const token = new URL(path, 'http://x').searchParams.get('t')!;
  const done = await api.server.inject({ method: 'POST', url: '/console/invite', headers: FORM, payload: form({ t: token, username, password, confirm: password, code: totpCode(secret, api.clock.now()) }) });
  if (done.statusCode !== 303) throw new Error(`accepting the invitation: ${done.statusCode} ${done.body.slice(0, 2000)}`);
  return { staffId, username, password, secret };
}

/** Signs in with form posts; the session cookie and the CSRF token of its pages. Moves the clock to a fresh TOTP step first. */
export async function signIn(api: TestApi & { clock: { advance(ms: number): void } }, login: StaffLogin): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  api.clock.advance(30_000);
  const res = await api.server.inject({ method: 'POST', url: '/console/sign-in', headers: FORM, payload: form({ username: login.username, password: login.password, code: totpCode(login.secret, api.clock.now()) }) });
  if (res.statusCode !== 303) throw new Error(`sign-in: ${res.statusCode} ${res.body.slice(0, 1000)}`);
  const setCookie = String(res.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  const home = await api.server.inject({ method: 'GET', url: '/console', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1];
  if (!csrf) throw new Error(`no CSRF token on the queue page: ${home.statusCode} ${home.body.slice(0, 500)}`);
  return { cookie, csrf, setCookie };
}
