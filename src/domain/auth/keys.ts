import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What an API key may do. admin: everything; clinician: read clinical data; integration: enroll and update patients. */
export const ROLES = ['admin', 'clinician', 'integration'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  secretHash: string;
  createdAt: Date;
  createdBy: string;
  revokedAt?: Date;
}

export const apiKeyCreateSchema = z.strictObject({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) });

export interface ApiKeyRepository {
  create(key: Omit<ApiKey, 'createdAt'>): Promise<ApiKey>;
  get(id: string): Promise<ApiKey | undefined>;
  list(): Promise<ApiKey[]>;
  revoke(id: string, at: Date): Promise<ApiKey | undefined>;
}

const KEY_FORMAT = /^clk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * A new key: `clk_<id>_<secret>`. The id is the database _id (so lookup is by _id, the one fast query on
 * FerretDB) and the secret is 256 random bits, stored only as its SHA-256: a slow hash adds nothing to a
 * secret that cannot be guessed.
 */
export function generateApiKey(): { id: string; secret: string; key: string; secretHash: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, key: `clk_${id}_${secret}`, secretHash: hashSecret(secret) };
}

export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const match = KEY_FORMAT.exec(key);
  return match?.[1] && match[2] ? { id: match[1], secret: match[2] } : undefined;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, secretHash: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(secretHash)) return false;
  return timingSafeEqual(Buffer.from(hashSecret(secret), 'hex'), Buffer.from(secretHash, 'hex'));
}
