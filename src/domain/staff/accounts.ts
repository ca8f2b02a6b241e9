import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { Secret, TOTP } from 'otpauth';
import { z } from 'zod';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { signAckToken, verifyAckToken, type AckKeys } from '../escalation/ack-link.js';
import type { StaffMember } from './staff.js';

/**
 * Staff sign-in for the care-team console: an admin's signed, single-use, expiring invite link lets a staff member
 * choose a username and password (argon2id, OWASP's parameters) and enrol a TOTP second factor; sign-in needs all
 * three (or a passkey the staff member added once signed in: see passkeys.ts); sessions live in MongoDB (only a hash of the cookie's token is stored), end after 15 idle minutes or 12
 * hours, and can be revoked (sign-out, a new invite, an admin).
 */

export const IDLE_TIMEOUT_MS = 15 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000;
export const INVITE_TTL_MS = 72 * 60 * 60_000;
/** What an invite token's `alertId` claim says: the signed-link format is the acknowledgement links'. */
const INVITE_PURPOSE = 'console-invite';

/** OWASP's argon2id recommendation (19 MiB, 2 passes, 1 lane); 2 is the library's Algorithm.Argon2id (a const enum). */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const usernameSchema = z.string().trim().toLowerCase().regex(/^[a-z0-9._@-]{3,100}$/, 'use 3 to 100 letters, digits, dots, dashes, underscores or @');
/** NIST SP 800-63B: length, not composition rules. */
export const passwordSchema = z.string().min(12, 'use at least 12 characters').max(128, 'use at most 128 characters');
export const totpCodeSchema = z.string().trim().regex(/^\d{6}$/, 'enter the 6-digit code from your authenticator app');

export const inviteFormSchema = z
  .strictObject({ t: z.string().min(1).max(2048), username: usernameSchema, password: passwordSchema, confirm: z.string().max(128), code: totpCodeSchema, _csrf: z.string().optional() })
  .refine((form) => form.password === form.confirm, { path: ['confirm'], message: 'the two passwords differ' });
export const signInFormSchema = z.strictObject({ username: z.string().trim().toLowerCase().min(1).max(100), password: z.string().min(1).max(128), code: z.string().trim().max(10), _csrf: z.string().optional() });

export interface StaffAccount {
  staffId: string;
  username: string;
  passwordHash: string;
  totpSecret: string;
  /** The last TOTP time step accepted: a code is good once. */
  lastTotpStep: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ConsoleSession {
  /** SHA-256 of the cookie's token (the token itself is never stored). */
  id: string;
  staffId: string;
  /** The token forms and scripts send back (CSRF), compared with this one. */
  csrf: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt?: Date;
}

export interface StaffAccountRepository {
  byStaffId(staffId: string): Promise<StaffAccount | undefined>;
  byUsername(username: string): Promise<StaffAccount | undefined>;
  /** Creates or replaces the staff member's account; false when another staff member has the username. */
  save(account: StaffAccount): Promise<boolean>;
  /** Records a TOTP step as used; false when it (or a later one) was used already. */
  useTotpStep(staffId: string, step: number): Promise<boolean>;
  /** Marks a single-use token (an invitation, a passkey challenge) used by its id; false when it was used before. */
  useToken(jti: string, staffId: string, at: Date): Promise<boolean>;
}

export interface ConsoleSessionRepository {
  insert(session: ConsoleSession): Promise<void>;
  get(id: string): Promise<ConsoleSession | undefined>;
  touch(id: string, at: Date): Promise<void>;
  revoke(id: string, at: Date): Promise<void>;
  /** Revokes the staff member's sessions not revoked yet (but `except`), returning how many. */
  revokeAllOf(staffId: string, at: Date, except?: string): Promise<number>;
}

export interface StaffAccountsDeps {
  accounts: StaffAccountRepository;
  sessions: ConsoleSessionRepository;
  /** Passkeys go with the account: a new invitation removes them with the password and the TOTP secret. */
  passkeys: { removeAllOf(staffId: string): Promise<number> };
  staff: { get(id: string): Promise<StaffMember> };
  clock: Clock;
  /** Keys that sign invitation links (the acknowledgement links' format), shared by every instance and the CLI. */
  inviteKeys: AckKeys;
  /** Where links point: `<base>/console/invite?t=…`. */
  baseUrl: string;
}

export type SignInResult = { ok: true; staff: StaffMember; token: string; session: ConsoleSession } | { ok: false; reason: 'unknown_user' | 'bad_password' | 'bad_code' | 'inactive' };
export type SessionCheck = { ok: true; staff: StaffMember; session: ConsoleSession } | { ok: false; reason: 'unknown' | 'revoked' | 'idle' | 'expired' | 'inactive' };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class StaffAccounts {
  private readonly inviteKeys: AckKeys;

  constructor(private readonly deps: StaffAccountsDeps) {
    this.inviteKeys = deps.inviteKeys;
  }

  /** A link that lets the staff member set a password and a second factor (and replaces the ones they had). */
  async invite(staffId: string): Promise<{ url: string; expiresAt: Date; staff: StaffMember }> {
    const staff = await this.deps.staff.get(staffId);
    if (!staff.active) throw new AppError('conflict', 'this staff member is deactivated');
    const expiresAt = new Date(this.deps.clock.now().getTime() + INVITE_TTL_MS);
    const token = signAckToken({ alertId: INVITE_PURPOSE, staffId, expiresAt }, this.inviteKeys.current);
    return { url: `${this.deps.baseUrl}/console/invite?t=${token}`, expiresAt, staff };
  }

  /** The staff member an invite token is for, and the TOTP secret this invite enrols (derived from it, so nothing is stored before it is used). */
  async readInvite(token: string): Promise<{ staff: StaffMember; jti: string; totp: TOTP } | { error: 'invalid' | 'expired' | 'used' }> {
    const claims = verifyAckToken(token, this.inviteKeys, this.deps.clock.now());
    if ('error' in claims) return { error: claims.error === 'expired' ? 'expired' : 'invalid' };
    if (claims.alertId !== INVITE_PURPOSE) return { error: 'invalid' };
    const staff = await this.deps.staff.get(claims.staffId).catch(() => undefined);
    if (!staff?.active) return { error: 'invalid' };
    const secret = new Secret({ buffer: Uint8Array.from(createHmac('sha256', this.inviteKeys.current).update(`totp ${claims.jti}`).digest().subarray(0, 20)).buffer });
    return { staff, jti: claims.jti, totp: totpFor(secret, staff.email ?? staff.name) };
  }

  /**
   * Uses an invite: checks the TOTP code against the secret it enrols, hashes the password, stores the account,
   * and ends the staff member's sessions. Field errors come back by field name.
   */
  async acceptInvite(input: { token: string; username: string; password: string; code: string }): Promise<{ ok: true; staff: StaffMember } | { ok: false; errors: Record<string, string> }> {
    const invite = await this.readInvite(input.token);
    if ('error' in invite) return { ok: false, errors: { t: invite.error === 'expired' ? 'this invitation has expired: ask an admin for a new one' : 'this invitation link is not valid' } };
    const now = this.deps.clock.now();
    const step = validStep(invite.totp, input.code, now);
    if (step === undefined) return { ok: false, errors: { code: 'that code does not match: check the time on your phone and enter the current code' } };
    if (input.password.toLowerCase().includes(input.username)) return { ok: false, errors: { password: 'the password must not contain your username' } };
    if (!(await this.deps.accounts.useToken(invite.jti, invite.staff.id, now))) return { ok: false, errors: { t: 'this invitation has been used already: ask an admin for a new one' } };
    const existing = await this.deps.accounts.byStaffId(invite.staff.id);
    const saved = await this.deps.accounts.save({
      staffId: invite.staff.id, username: input.username, passwordHash: await argon2Hash(input.password, ARGON2), totpSecret: invite.totp.secret.base32, lastTotpStep: step,
      createdAt: existing?.createdAt ?? now, updatedAt: now,
    });
    if (!saved) return { ok: false, errors: { username: 'this username is taken' } };
    await this.deps.passkeys.removeAllOf(invite.staff.id);
    await this.deps.sessions.revokeAllOf(invite.staff.id, now);
    return { ok: true, staff: invite.staff };
  }

  /** Username, password and a fresh TOTP code: a new session. The reason never goes to the user (only to the audit). */
  async signIn(input: { username: string; password: string; code: string }): Promise<SignInResult> {
    const account = await this.deps.accounts.byUsername(input.username);
    if (!account) {
      // The same work as a real check, so timing does not tell which usernames exist.
      await argon2Verify(DUMMY_HASH, input.password).catch(() => false);
      return { ok: false, reason: 'unknown_user' };
    }
    if (!(await argon2Verify(account.passwordHash, input.password).catch(() => false))) return { ok: false, reason: 'bad_password' };
    const now = this.deps.clock.now();
    const step = validStep(totpFor(Secret.fromBase32(account.totpSecret), account.username), input.code, now);
    if (step === undefined || !(await this.deps.accounts.useTotpStep(account.staffId, step))) return { ok: false, reason: 'bad_code' };
    const staff = await this.deps.staff.get(account.staffId).catch(() => undefined);
    if (!staff?.active) return { ok: false, reason: 'inactive' };
    return { ok: true, staff, ...(await this.open(staff)) };
  }

  /** A new session for a staff member who proved who they are (password and code, or a passkey). */
  async open(staff: StaffMember): Promise<{ token: string; session: ConsoleSession }> {
    const now = this.deps.clock.now();
    const token = randomBytes(32).toString('base64url');
    const session: ConsoleSession = {
      id: sha256(token), staffId: staff.id, csrf: randomBytes(32).toString('base64url'), createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS),
    };
    await this.deps.sessions.insert(session);
    return { token, session };
  }

  /**
   * The session of a cookie's token, if it still runs. `activity` (a page, a form, "stay signed in") restarts the
   * idle timer; the live queue's refreshes do not, so an unattended console still signs out.
   */
  async check(token: string | undefined, options: { activity: boolean }): Promise<SessionCheck> {
    if (!token || token.length > 100) return { ok: false, reason: 'unknown' };
    const session = await this.deps.sessions.get(sha256(token));
    if (!session) return { ok: false, reason: 'unknown' };
    const now = this.deps.clock.now();
    if (session.revokedAt) return { ok: false, reason: 'revoked' };
    if (now >= session.expiresAt) return { ok: false, reason: 'expired' };
    if (now.getTime() - session.lastSeenAt.getTime() >= IDLE_TIMEOUT_MS) return { ok: false, reason: 'idle' };
    const staff = await this.deps.staff.get(session.staffId).catch(() => undefined);
    if (!staff?.active) return { ok: false, reason: 'inactive' };
    if (options.activity) await this.deps.sessions.touch(session.id, now);
    return { ok: true, staff, session: options.activity ? { ...session, lastSeenAt: now } : session };
  }

  signOut(session: ConsoleSession): Promise<void> {
    return this.deps.sessions.revoke(session.id, this.deps.clock.now());
  }

  /** Ends every session of a staff member at once (an admin's revocation, a lost phone). */
  revokeSessions(staffId: string): Promise<number> {
    return this.deps.sessions.revokeAllOf(staffId, this.deps.clock.now());
  }

  /** Ends the staff member's other sessions (a lost laptop), keeping this one. */
  endOtherSessions(session: ConsoleSession): Promise<number> {
    return this.deps.sessions.revokeAllOf(session.staffId, this.deps.clock.now(), session.id);
  }
}

/** Whether a form's CSRF token is the session's, in constant time. */
export function csrfMatches(session: ConsoleSession, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}

function totpFor(secret: Secret, label: string): TOTP {
  return new TOTP({ issuer: 'CareLoop', label, secret, algorithm: 'SHA1', digits: 6, period: 30 });
}

/** The time step of a code valid now (one step of clock drift either way), or undefined. */
function validStep(totp: TOTP, code: string, now: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? undefined : Math.floor(now.getTime() / 30_000) + delta;
}

/** A real argon2id hash of a random password, verified against when the username is unknown. */
const DUMMY_HASH = await argon2Hash(randomBytes(16).toString('hex'), ARGON2);
