import twilio from 'twilio';
import { z } from 'zod';
import { isOptedOutErrorCode, toSmsStatus, type SmsStatus } from './status.js';

/** Form fields of a webhook as a form parser hands them over; a repeated field arrives as an array. */
export type WebhookParams = Record<string, string | string[]>;

/**
 * Checks the `X-Twilio-Signature` header of a webhook.
 *
 * @param input.url - the URL Twilio was told to call, exactly as configured: PUBLIC_BASE_URL + path (+ query).
 *   Behind a proxy this is not the URL the request arrived on.
 * @param input.params - the form fields of the POST body (empty for a GET).
 * @param input.signature - the header value; missing or empty means "not from Twilio".
 * @returns true only if the signature was made with this auth token over this URL and these fields.
 */
export function verifyTwilioSignature(input: {
  authToken: string;
  url: string;
  params: WebhookParams;
  signature: string | undefined;
}): boolean {
  const { authToken, url, params, signature } = input;
  if (!signature || !authToken) return false;
  try {
    return twilio.validateRequest(authToken, signature, url, params);
  } catch {
    // validateRequest parses the URL; a malformed one cannot have been signed by Twilio.
    return false;
  }
}

/** One attachment of an inbound MMS: where Twilio keeps it and what it is. */
export interface InboundMedia {
  url: string;
  contentType: string;
}

/** An SMS or MMS a patient sent us, in our words. */
export interface InboundSms {
  /** Twilio's id for the message (unique, so it doubles as the dedupe key). */
  providerMessageId: string;
  /** The patient's number. */
  from: string;
  /** Our number (or short code) they wrote to. */
  to: string;
  body: string;
  media: InboundMedia[];
}

/** A delivery update for a message we sent, in our words. */
export interface StatusUpdate {
  providerMessageId: string;
  status: SmsStatus;
  /** The provider's error code for undelivered or failed messages (e.g. 30007 carrier filtering). */
  errorCode?: number;
  /** The message was refused because the patient opted out at the carrier (sent STOP). */
  optedOut: boolean;
}

/** Twilio allows at most 10 media items on one message. */
const MAX_MEDIA = 10;

const messageSid = z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'expected a message SID');
const address = z.string().trim().min(1, 'expected a sender or recipient address').max(64, 'address too long');

const inboundSchema = z
  .looseObject({
    MessageSid: messageSid,
    From: address,
    To: address,
    // Twilio omits nothing here, but an MMS without text carries an empty Body.
    Body: z.string().max(10_000, 'body too long').default(''),
    NumMedia: z.coerce.number().int().min(0).max(MAX_MEDIA).default(0),
  })
  .transform((fields, ctx) => {
    const media: InboundMedia[] = [];
    for (let index = 0; index < fields.NumMedia; index += 1) {
      const url = z.url({ protocol: /^https?$/ }).safeParse(fields[`MediaUrl${index}`]);
      const contentType = z.string().min(1).safeParse(fields[`MediaContentType${index}`]);
      if (!url.success) ctx.addIssue({ code: 'custom', path: [`MediaUrl${index}`], message: 'expected the media URL Twilio announced in NumMedia' });
      if (!contentType.success) ctx.addIssue({ code: 'custom', path: [`MediaContentType${index}`], message: 'expected a content type for each media URL' });
      if (url.success && contentType.success) media.push({ url: url.data, contentType: contentType.data });
    }
    return { providerMessageId: fields.MessageSid, from: fields.From, to: fields.To, body: fields.Body, media } satisfies InboundSms;
  });

const statusSchema = z
  .looseObject({
    MessageSid: messageSid,
    // Messaging callbacks carry both; SmsStatus is the legacy name of the same value.
    MessageStatus: z.string().optional(),
    SmsStatus: z.string().optional(),
    // Empty on some callbacks that carry no error; otherwise digits.
    ErrorCode: z.string().regex(/^(\d{1,6})?$/, 'expected a numeric error code').optional(),
  })
  .transform((fields, ctx) => {
    const reported = fields.MessageStatus ?? fields.SmsStatus;
    const status = reported === undefined ? undefined : toSmsStatus(reported);
    if (status === undefined) {
      ctx.addIssue({ code: 'custom', path: ['MessageStatus'], message: 'expected a known message status' });
      return z.NEVER;
    }
    const errorCode = fields.ErrorCode ? Number(fields.ErrorCode) : undefined;
    const update: StatusUpdate = { providerMessageId: fields.MessageSid, status, optedOut: isOptedOutErrorCode(errorCode) };
    if (errorCode !== undefined) update.errorCode = errorCode;
    return update;
  });

/**
 * Turns the form fields of Twilio's incoming-message webhook into an {@link InboundSms}.
 * Verify the signature first.
 *
 * @throws ZodError when a field is missing or malformed (answer 400); its issues name fields, never values.
 */
export function parseInboundSms(params: Record<string, string>): InboundSms {
  return inboundSchema.parse(params);
}

/**
 * Turns the form fields of a Twilio status callback into a {@link StatusUpdate}. Apply it with
 * `mergeStatus` from status.ts: callbacks arrive out of order.
 *
 * @throws ZodError when a field is missing or malformed, or the status is one we do not track (answer 400).
 */
export function parseStatusCallback(params: Record<string, string>): StatusUpdate {
  return statusSchema.parse(params);
}
