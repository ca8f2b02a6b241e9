import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfMatches, IDLE_TIMEOUT_MS, type ConsoleSession, type StaffAccounts } from '../domain/staff/accounts.js';
import type { StaffMember } from '../domain/staff/staff.js';
import { AppError } from '../lib/errors.js';

/**
 * The console's cookie: `__Host-` (Secure, Path=/, no Domain, so no other host or path can set or read it), HttpOnly,
 * SameSite=Strict. Browsers treat http://localhost and 127.0.0.1 as secure, so it works in development too.
 */
export const SESSION_COOKIE = '__Host-careloop-console';

export interface SignedIn {
  staff: StaffMember;
  session: ConsoleSession;
}

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAgeSeconds}`);
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`);
}

/** Thrown when a page needs a session it does not have: HTML requests go to sign-in, scripts get a 401. */
export class SignInRequired extends Error {
  constructor(readonly reason: string) {
    super('sign-in required');
  }
}

/**
 * The signed-in staff member of a request. `activity` restarts the idle timer (pages and forms); the live
 * refreshes pass false. Every form (POST) must carry the session's CSRF token, or gets a 403 and changes nothing.
 */
export async function requireSession(accounts: StaffAccounts, req: FastifyRequest, options: { activity: boolean }): Promise<SignedIn> {
  const checked = await accounts.check(readCookie(req, SESSION_COOKIE), options);
  if (!checked.ok) throw new SignInRequired(checked.reason);
  if (req.method === 'POST') {
    const given = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.headers['x-csrf-token'];
    if (!csrfMatches(checked.session, given)) throw new AppError('forbidden', 'this form has expired or did not come from the console: reload the page and try again');
  }
  return { staff: checked.staff, session: checked.session };
}

/** How long until the idle timeout, for console.js's warning. */
export const idleRemainingMs = (session: ConsoleSession, now: Date): number => Math.max(0, session.lastSeenAt.getTime() + IDLE_TIMEOUT_MS - now.getTime());
