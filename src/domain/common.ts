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

/**
 * Where a newest-first page stopped: the last item's createdAt AND id, because many rows share a timestamp
 * and a cursor of time alone skips the rest of them. Opaque to callers (base64url JSON), not secret: a
 * hand-made one is only a position inside the rows the caller may already read.
 */
export interface TimeCursor {
  createdAt: Date;
  id: string;
}

const MAX_CURSOR_LENGTH = 2048;
const timeCursorFields = z.tuple([z.number().int().min(0).max(8.64e15), z.string().min(1).max(1000)]);

export const encodeTimeCursor = ({ createdAt, id }: TimeCursor): string => Buffer.from(JSON.stringify([createdAt.getTime(), id])).toString('base64url');

/** The position a cursor names, or undefined for anything encodeTimeCursor did not produce. */
export function decodeTimeCursor(cursor: string): TimeCursor | undefined {
  // Only the exact text encodeTimeCursor gives: Node's base64 decoder skips stray characters and spare bits.
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = timeCursorFields.safeParse(fields);
  if (!parsed.success) return undefined;
  const position = { createdAt: new Date(parsed.data[0]), id: parsed.data[1] };
  return encodeTimeCursor(position) === cursor ? position : undefined;
}

/** The `cursor` query parameter of a newest-first list. */
export const timeCursorSchema = z
  .string()
  .max(MAX_CURSOR_LENGTH)
  .refine((cursor) => decodeTimeCursor(cursor) !== undefined, 'expected the nextCursor of the previous page');

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
