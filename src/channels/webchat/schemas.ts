import { z, type ZodType } from 'zod';
import type { NewDirectLineActivity } from '../../domain/webchat/directline.js';
import { AppError, validationFailed } from '../../lib/errors.js';
import { conversationIdSchema } from './tokens.js';

/**
 * What a Direct Line client may send, validated at the edge. Known fields are checked by type and size; fields
 * the server owns (id, timestamp, conversation, recipient, channelId) and anything unknown are dropped, so only
 * what we parsed is ever stored. Keys that look like MongoDB operators are refused outright.
 */

export const MAX_TEXT_LENGTH = 4_000;
const MAX_VALUE_JSON = 2_048;

/** A value small enough to store and free of operator-like keys; button and event values are JSON. */
const smallJson = z.unknown().refine((value) => value === undefined || JSON.stringify(value).length <= MAX_VALUE_JSON, `expected JSON of at most ${MAX_VALUE_JSON} characters`);

const userId = z.string().regex(/^[A-Za-z0-9_:.|-]{1,64}$/, 'expected an id of letters, digits and _:.|-');

/** The body of `POST /v3/directline/conversations/:id/activities`. */
export const inboundActivitySchema = z.object({
  type: z.enum(['message', 'event', 'typing'], { error: 'expected type message, event or typing' }),
  text: z.string().max(MAX_TEXT_LENGTH, `text is limited to ${MAX_TEXT_LENGTH} characters`).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z.string().regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/, 'expected a language tag such as en-US').optional(),
  localTimezone: z.string().regex(/^[A-Za-z0-9_+/-]{1,64}$/).optional(),
  from: z.object({ id: userId, name: z.string().max(64).optional(), role: z.literal('user').optional() }).optional(),
  name: z.string().regex(/^[A-Za-z0-9_./:-]{1,100}$/, 'expected an event name').optional(),
  value: smallJson.optional(),
  // Web Chat sends `attachments: []` with every message; uploads are not supported here.
  attachments: z.array(z.unknown()).max(0, 'attachments are not supported').optional(),
  channelData: z
    .object({
      clientActivityID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional(),
      postBack: z.boolean().optional(),
      messageBack: z.object({ displayText: z.string().max(MAX_TEXT_LENGTH).optional() }).optional(),
    })
    .optional(),
});

export type InboundActivity = z.infer<typeof inboundActivitySchema>;

/** Start-conversation and token-generate bodies: Direct Line clients send `{ user: { id }, locale }`; we need none of it. */
export const startBodySchema = z
  .object({ user: z.object({ id: z.string().max(64).optional(), name: z.string().max(64).optional() }).optional(), locale: z.string().max(35).optional() })
  .optional();

/** `POST /chat/token`: the patient link from the page's URL, if any. */
export const chatTokenBodySchema = z.strictObject({ link: z.string().min(1).max(1024).optional() }).optional();

export const conversationParamsSchema = z.strictObject({ id: conversationIdSchema });
export const pollQuerySchema = z.strictObject({
  watermark: z.union([z.literal(''), z.string().regex(/^\d{1,9}$/, 'expected a numeric watermark')]).optional(),
});

/** The activity as the store receives it: the sender is always the user, whatever the client claimed. */
export function toNewActivity(inbound: InboundActivity, type: 'message' | 'event'): NewDirectLineActivity {
  const { from, attachments: _attachments, textFormat, ...rest } = inbound;
  return {
    ...rest,
    type,
    textFormat: textFormat === 'markdown' ? 'markdown' : textFormat ? 'plain' : undefined,
    from: { id: from?.id ?? 'user', ...(from?.name ? { name: from.name } : {}), role: 'user' },
    recipient: { id: 'careloop', role: 'bot' },
  };
}

/** Parses input with a zod schema; operator-like keys and bad shapes become a 400 with the fields at fault. */
export function parseInput<T>(schema: ZodType<T>, value: unknown, where: string): T {
  if (hasOperatorKey(value)) throw new AppError('validation_failed', `invalid ${where}: keys starting with $ (or nesting deeper than 8) are not accepted`);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationFailed(`invalid ${where}`, result.error);
}

function hasOperatorKey(value: unknown, depth = 0): boolean {
  if (depth > 8) return true; // nothing we accept nests this deep
  if (Array.isArray(value)) return value.some((item) => hasOperatorKey(item, depth + 1));
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, item]) => key.startsWith('$') || hasOperatorKey(item, depth + 1));
}
