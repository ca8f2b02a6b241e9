import { z } from 'zod';

/** A resource id as the API shows it (a MongoDB ObjectId in hex). */
export const idSchema = z.string().regex(/^[0-9a-f]{24}$/, 'expected a 24-character hex id');

/** E.164: "+" then country code and number, 8 to 15 digits in all, no spaces. */
export const phoneSchema = z.string().regex(/^\+[1-9]\d{7,14}$/, 'expected an E.164 phone number such as +15551234567');

export const timeZoneSchema = z.string().refine(isTimeZone, 'expected an IANA time zone such as America/New_York');

/** BCP 47 language tag ("en", "es", "pt-BR"). */
export const languageSchema = z.string().max(35).refine(isLanguageTag, 'expected a BCP 47 language tag such as en or es-MX');

/** Opaque pagination: the id of the last item seen. */
export const listQueryBase = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: idSchema.optional(),
  status: z.enum(['active', 'inactive', 'all']).default('active'),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/** Who did something, for audit and consent records. */
export interface Actor {
  keyId: string;
  role: string;
}
