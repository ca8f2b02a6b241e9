import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type WebAuthnCredential,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { z } from 'zod';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { signAckToken, verifyAckToken, type AckKeys } from '../escalation/ack-link.js';
import type { ConsoleSession, StaffAccountRepository, StaffAccounts } from './accounts.js';
import type { StaffMember } from './staff.js';

/**
 * Passkeys (WebAuthn) for the console: a signed-in staff member adds one on their account page; afterwards it signs
 * them in on its own, because the authenticator verifies the user (PIN, fingerprint, face) and holds the key, which is
 * both factors. Discoverable credentials, so no username is typed; user verification required; no attestation (we
 * trust the person who was already signed in with password and TOTP, not a device model).
 *
 * Challenges are signed, expiring tokens (the invitation links' format), so asking for one stores nothing; a
 * challenge is used once: its id is recorded under a unique key after the signature checked out.
 */

export interface Passkey {
  /** The credential id, base64url. */
  id: string;
  staffId: string;
  /** What the staff member called it ("work laptop"). */
  name: string;
  /** COSE public key, base64url. */
  publicKey: string;
  /** The authenticator's signature counter (0 for most synced passkeys, which do not count). */
  counter: number;
  transports: string[];
  createdAt: Date;
  lastUsedAt?: Date;
}

export interface PasskeyRepository {
  /** False when the credential is registered already. */
  add(passkey: Passkey): Promise<boolean>;
  get(id: string): Promise<Passkey | undefined>;
  of(staffId: string): Promise<Passkey[]>;
  used(id: string, counter: number, at: Date): Promise<void>;
  /** False when the staff member has no such passkey. */
  remove(staffId: string, id: string): Promise<boolean>;
  removeAllOf(staffId: string): Promise<number>;
}

/** Where passkeys work: the console's origin, and its host name as the WebAuthn relying party id. */
export interface RelyingParty {
  origin: string;
  id: string;
}

export const PASSKEYS_PER_STAFF = 10;
const CHALLENGE_TTL_MS = 5 * 60_000;
const SIGN_IN = 'passkey-sign-in';
const REGISTER = 'passkey-register';
/** A sign-in challenge is for whoever answers it; the token format needs a staff id. */
const ANYONE = '*';

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/).max(16_384);
const credentialShape = { id: base64url.min(1).max(1024), rawId: base64url.min(1).max(1024), type: z.literal('public-key'), clientExtensionResults: z.record(z.string(), z.unknown()).default({}), authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional() };
/** What the browser sends after `navigator.credentials.create()` (simplewebauthn's JSON), checked before the library parses it. */
export const passkeyRegistrationSchema = z.strictObject({
  name: z.string().trim().min(1, 'give the passkey a name').max(60, 'use at most 60 characters'),
  response: z.object({
    ...credentialShape,
    response: z.object({ clientDataJSON: base64url, attestationObject: base64url, transports: z.array(z.string().max(32)).max(10).optional() }),
  }),
});
/** What the browser sends after `navigator.credentials.get()`. */
export const passkeySignInSchema = z.strictObject({
  response: z.object({
    ...credentialShape,
    response: z.object({ clientDataJSON: base64url, authenticatorData: base64url, signature: base64url, userHandle: base64url.optional() }),
  }),
});

export type PasskeySignIn = { ok: true; staff: StaffMember; token: string; session: ConsoleSession } | { ok: false; reason: 'unknown_passkey' | 'bad_passkey' | 'replayed' | 'inactive' };

export interface StaffPasskeysDeps {
  passkeys: PasskeyRepository;
  accounts: StaffAccountRepository;
  sessions: Pick<StaffAccounts, 'open'>;
  staff: { get(id: string): Promise<StaffMember> };
  clock: Clock;
  /** Keys that sign challenges (the console's invitation keys; the purpose claim keeps the two apart). */
  keys: AckKeys;
}

export class StaffPasskeys {
  constructor(private readonly deps: StaffPasskeysDeps) {}

  list(staffId: string): Promise<Passkey[]> {
    return this.deps.passkeys.of(staffId);
  }

  /** What the browser needs to create a passkey for this signed-in staff member. */
  async registrationOptions(staff: StaffMember, rp: RelyingParty): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const account = await this.deps.accounts.byStaffId(staff.id);
    if (!account) throw new AppError('conflict', 'set up the account from an invitation first');
    const existing = await this.deps.passkeys.of(staff.id);
    if (existing.length >= PASSKEYS_PER_STAFF) throw new AppError('conflict', `at most ${PASSKEYS_PER_STAFF} passkeys: remove one first`);
    return generateRegistrationOptions({
      rpName: 'CareLoop console', rpID: rp.id, userName: account.username, userDisplayName: staff.name, userID: new TextEncoder().encode(staff.id),
      challenge: this.challenge(REGISTER, staff.id), timeout: CHALLENGE_TTL_MS, attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: passkey.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
  }

  /** Checks the browser's new credential against a challenge of ours for this staff member, and keeps it. */
  async register(staff: StaffMember, rp: RelyingParty, input: z.infer<typeof passkeyRegistrationSchema>): Promise<Passkey> {
    const challenge = this.challengeCheck(REGISTER, staff.id);
    const verification = await verifyRegistrationResponse({
      response: input.response as RegistrationResponseJSON, expectedChallenge: challenge.check, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true,
    }).catch(() => ({ verified: false as const }));
    if (!verification.verified || !challenge.jti) throw new AppError('bad_request', 'the passkey could not be verified: try again');
    const now = this.deps.clock.now();
    if (!(await this.deps.accounts.useToken(challenge.jti, staff.id, now))) throw new AppError('bad_request', 'this passkey request was used already: try again');
    const { credential } = verification.registrationInfo;
    const passkey: Passkey = {
      id: credential.id, staffId: staff.id, name: input.name, publicKey: Buffer.from(credential.publicKey).toString('base64url'), counter: credential.counter,
      transports: credential.transports ?? [], createdAt: now,
    };
    if (!(await this.deps.passkeys.add(passkey))) throw new AppError('conflict', 'this passkey is registered already');
    return passkey;
  }

  remove(staffId: string, id: string): Promise<boolean> {
    return this.deps.passkeys.remove(staffId, id);
  }

  /** A sign-in challenge for any passkey of ours (the authenticator offers the ones it holds for this site). */
  signInOptions(rp: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return generateAuthenticationOptions({ rpID: rp.id, challenge: this.challenge(SIGN_IN, ANYONE), timeout: CHALLENGE_TTL_MS, userVerification: 'required' });
  }

  /** A passkey's answer to our challenge: a session, or why not (for the audit only). */
  async signIn(rp: RelyingParty, input: z.infer<typeof passkeySignInSchema>): Promise<PasskeySignIn> {
    const passkey = await this.deps.passkeys.get(input.response.id);
    if (!passkey) return { ok: false, reason: 'unknown_passkey' };
    const userHandle = input.response.response.userHandle;
    if (userHandle !== undefined && Buffer.from(userHandle, 'base64url').toString('utf8') !== passkey.staffId) return { ok: false, reason: 'bad_passkey' };
    const challenge = this.challengeCheck(SIGN_IN, ANYONE);
    const verification = await verifyAuthenticationResponse({
      response: input.response as AuthenticationResponseJSON, expectedChallenge: challenge.check, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true,
      credential: { id: passkey.id, publicKey: Buffer.from(passkey.publicKey, 'base64url'), counter: passkey.counter, transports: passkey.transports as WebAuthnCredential['transports'] },
    }).catch(() => undefined); // a malformed response or a counter that went backwards (a cloned authenticator)
    if (!verification?.verified || !challenge.jti) return { ok: false, reason: 'bad_passkey' };
    const now = this.deps.clock.now();
    if (!(await this.deps.accounts.useToken(challenge.jti, passkey.staffId, now))) return { ok: false, reason: 'replayed' };
    await this.deps.passkeys.used(passkey.id, verification.authenticationInfo.newCounter, now);
    const staff = await this.deps.staff.get(passkey.staffId).catch(() => undefined);
    if (!staff?.active) return { ok: false, reason: 'inactive' };
    return { ok: true, staff, ...(await this.deps.sessions.open(staff)) };
  }

  private challenge(purpose: string, staffId: string): string {
    return signAckToken({ alertId: purpose, staffId, expiresAt: new Date(this.deps.clock.now().getTime() + CHALLENGE_TTL_MS) }, this.deps.keys.current);
  }

  /** For the library's `expectedChallenge`: the browser's challenge must be ours, unexpired, for this purpose and staff member. */
  private challengeCheck(purpose: string, staffId: string): { check: (challenge: string) => boolean; jti?: string } {
    const result: { check: (challenge: string) => boolean; jti?: string } = {
      check: (challenge) => {
        const claims = verifyAckToken(Buffer.from(challenge, 'base64url').toString('utf8'), this.deps.keys, this.deps.clock.now());
        if ('error' in claims || claims.alertId !== purpose || claims.staffId !== staffId) return false;
        result.jti = claims.jti;
        return true;
      },
    };
    return result;
  }
}
