import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  isFinalStatus,
  mergeStatus,
  statusRank,
  toSmsStatus,
  type SmsStatus,
} from '../../src/integrations/twilio/status.js';
import { parseInboundSms, parseStatusCallback, verifyTwilioSignature } from '../../src/integrations/twilio/webhook.js';

const AUTH_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
const URL_SMS = 'https://careloop.example.org/webhooks/twilio/sms';
const MESSAGE_SID = 'SM0123456789abcdef0123456789abcdef';
const MMS_SID = 'MM0123456789abcdef0123456789abcdef';
const PATIENT = '+15551234567';
const CLINIC = '+15557654321';

/** Twilio's algorithm written out independently of the library: HMAC-SHA1 over URL + sorted name/value pairs. */
function signLikeTwilio(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + params[name], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

function inboundFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ToCountry: 'US',
    SmsMessageSid: MESSAGE_SID,
    NumMedia: '0',
    SmsSid: MESSAGE_SID,
    SmsStatus: 'received',
    Body: 'TAKEN',
    To: CLINIC,
    NumSegments: '1',
    MessageSid: MESSAGE_SID,
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    From: PATIENT,
    ApiVersion: '2010-04-01',
    ...overrides,
  };
}

describe('verifyTwilioSignature', () => {
  const params = inboundFields();
  const signature = signLikeTwilio(AUTH_TOKEN, URL_SMS, params);

  it('accepts a request signed with our token over our URL and its fields', () => {
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: URL_SMS, params, signature })).toBe(true);
  });

  it("matches the example from Twilio's documentation", () => {
    const example = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(verifyTwilioSignature({ authToken: '12345', url, params: example, signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' })).toBe(true);
  });

  it('rejects a signature made with another token (forged)', () => {
    const forged = signLikeTwilio('not-our-token-not-our-token-0000', URL_SMS, params);
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: URL_SMS, params, signature: forged })).toBe(false);
  });

  it.each([
    ['a changed body', { ...params, Body: 'SKIP' }],
    ['a changed sender', { ...params, From: '+15550000000' }],
    ['an added field', { ...params, Extra: '1' }],
    ['a removed field', Object.fromEntries(Object.entries(params).filter(([name]) => name !== 'NumMedia'))],
  ])('rejects %s', (_case, altered) => {
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: URL_SMS, params: altered, signature })).toBe(false);
  });

  it.each([undefined, ''])('rejects a missing signature (%j)', (missing) => {
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: URL_SMS, params, signature: missing })).toBe(false);
  });

  it.each([
    ['another path', 'https://careloop.example.org/webhooks/twilio/status'],
    ['another host', 'https://evil.example.org/webhooks/twilio/sms'],
    ['plain http', 'http://careloop.example.org/webhooks/twilio/sms'],
    ['an added query', `${URL_SMS}?x=1`],
  ])('rejects a signature checked against %s', (_case, url) => {
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params, signature })).toBe(false);
  });

  it('accepts the URL with the default port spelled out, which Twilio may have signed', () => {
    const url = 'https://careloop.example.org:443/webhooks/twilio/sms';
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params, signature })).toBe(true);
  });

  it('answers false instead of throwing for a malformed URL or an empty token', () => {
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: 'not a url', params, signature })).toBe(false);
    expect(verifyTwilioSignature({ authToken: '', url: URL_SMS, params, signature })).toBe(false);
  });
});

describe('parseInboundSms', () => {
  it('maps a text message to our fields only', () => {
    const inbound = parseInboundSms(inboundFields());
    expect(inbound).toEqual({ providerMessageId: MESSAGE_SID, from: PATIENT, to: CLINIC, body: 'TAKEN', media: [] });
  });

  it('collects media from NumMedia, MediaUrl{n} and MediaContentType{n}, in order', () => {
    const inbound = parseInboundSms(
      inboundFields({
        MessageSid: MMS_SID,
        Body: '',
        NumMedia: '2',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC0123/Messages/MM01/Media/ME00',
        MediaContentType0: 'image/jpeg',
        MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC0123/Messages/MM01/Media/ME01',
        MediaContentType1: 'image/png',
      }),
    );
    expect(inbound.body).toBe('');
    expect(inbound.media).toEqual([
      { url: 'https://api.twilio.com/2010-04-01/Accounts/AC0123/Messages/MM01/Media/ME00', contentType: 'image/jpeg' },
      { url: 'https://api.twilio.com/2010-04-01/Accounts/AC0123/Messages/MM01/Media/ME01', contentType: 'image/png' },
    ]);
  });

  it('keeps a body with emoji and line breaks exactly', () => {
    expect(parseInboundSms(inboundFields({ Body: 'SNOOZE 30\n👍 ok' })).body).toBe('SNOOZE 30\n👍 ok');
  });

  it.each([
    ['no MessageSid', { MessageSid: undefined }],
    ['a malformed MessageSid', { MessageSid: 'SM123' }],
    ['no From', { From: undefined }],
    ['an empty To', { To: '' }],
    ['NumMedia not a number', { NumMedia: 'two' }],
    ['more media than Twilio allows', { NumMedia: '11' }],
    ['an announced media URL missing', { NumMedia: '1', MediaContentType0: 'image/jpeg' }],
    ['a media URL that is not http(s)', { NumMedia: '1', MediaUrl0: 'file:///etc/passwd', MediaContentType0: 'image/jpeg' }],
    ['a media content type missing', { NumMedia: '1', MediaUrl0: 'https://api.twilio.com/media/ME00' }],
  ])('throws a ZodError for %s', (_case, overrides) => {
    const fields = Object.fromEntries(Object.entries({ ...inboundFields(), ...overrides }).filter(([, value]) => value !== undefined));
    expect(() => parseInboundSms(fields as Record<string, string>)).toThrow(ZodError);
  });

  it('names the bad field without echoing the phone number or the body', () => {
    let failure: unknown;
    try {
      parseInboundSms(inboundFields({ MessageSid: 'bogus', Body: 'my chest hurts' }));
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ZodError);
    const text = `${(failure as ZodError).message} ${JSON.stringify((failure as ZodError).issues)}`;
    expect(text).toContain('MessageSid');
    expect(text).not.toContain(PATIENT);
    expect(text).not.toContain('chest');
  });
});

describe('parseStatusCallback', () => {
  const callback = (overrides: Record<string, string> = {}) => ({
    ApiVersion: '2010-04-01',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    MessageSid: MESSAGE_SID,
    SmsSid: MESSAGE_SID,
    MessageStatus: 'delivered',
    SmsStatus: 'delivered',
    To: PATIENT,
    From: CLINIC,
    ...overrides,
  });

  it('maps a delivery receipt', () => {
    expect(parseStatusCallback(callback())).toEqual({ providerMessageId: MESSAGE_SID, status: 'delivered', optedOut: false });
  });

  it('carries the error code of an undelivered message', () => {
    expect(parseStatusCallback(callback({ MessageStatus: 'undelivered', SmsStatus: 'undelivered', ErrorCode: '30007' }))).toEqual({
      providerMessageId: MESSAGE_SID,
      status: 'undelivered',
      errorCode: 30007,
      optedOut: false,
    });
  });

  it('flags error 21610 as an opt-out at the carrier', () => {
    const update = parseStatusCallback(callback({ MessageStatus: 'failed', SmsStatus: 'failed', ErrorCode: '21610' }));
    expect(update).toMatchObject({ status: 'failed', errorCode: 21610, optedOut: true });
  });

  it('treats an empty ErrorCode as none', () => {
    expect(parseStatusCallback(callback({ ErrorCode: '' }))).not.toHaveProperty('errorCode');
  });

  it('falls back to SmsStatus when MessageStatus is absent', () => {
    const { MessageStatus: _omitted, ...legacy } = callback({ SmsStatus: 'sent' });
    expect(parseStatusCallback(legacy).status).toBe('sent');
  });

  it.each([
    ['an unknown status', { MessageStatus: 'teleported', SmsStatus: 'teleported' }],
    ['a non-numeric ErrorCode', { ErrorCode: '30O7' }],
    ['a malformed MessageSid', { MessageSid: 'CA0123456789abcdef0123456789abcdef' }],
  ])('throws a ZodError for %s', (_case, overrides) => {
    expect(() => parseStatusCallback(callback(overrides))).toThrow(ZodError);
  });

  it('throws a ZodError when no status is given at all', () => {
    const { MessageStatus: _a, SmsStatus: _b, ...noStatus } = callback();
    expect(() => parseStatusCallback(noStatus)).toThrow(ZodError);
  });
});

describe('toSmsStatus', () => {
  it.each(['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received', 'read', 'canceled', 'accepted', 'scheduled'])(
    'keeps %s',
    (status) => {
      expect(toSmsStatus(status)).toBe(status);
    },
  );

  it('reads an inbound "receiving" as received', () => {
    expect(toSmsStatus('receiving')).toBe('received');
  });

  it.each(['partially_delivered', 'DELIVERED', '', 'toString', '__proto__'])('does not know %j', (status) => {
    expect(toSmsStatus(status)).toBeUndefined();
  });
});

describe('status ordering', () => {
  const applyAll = (reports: SmsStatus[]) => reports.reduce<SmsStatus | undefined>((current, reported) => mergeStatus(current, reported), undefined);

  it.each<[SmsStatus[], SmsStatus]>([
    [['queued', 'sending', 'sent', 'delivered'], 'delivered'],
    [['delivered', 'sent'], 'delivered'],
    [['sent', 'queued'], 'sent'],
    [['accepted', 'queued'], 'queued'],
    [['scheduled', 'accepted'], 'scheduled'],
    [['failed', 'queued', 'sending', 'sent'], 'failed'],
    [['undelivered', 'delivered'], 'delivered'],
    [['delivered', 'undelivered'], 'delivered'],
    [['delivered', 'failed'], 'delivered'],
    [['sent', 'failed'], 'failed'],
    [['delivered', 'read', 'delivered', 'sent'], 'read'],
    [['canceled', 'queued'], 'canceled'],
  ])('%j ends as %s', (reports, expected) => {
    expect(applyAll(reports)).toBe(expected);
  });

  it('ignores duplicate callbacks', () => {
    expect(mergeStatus('sent', 'sent')).toBe('sent');
    expect(applyAll(['sent', 'sent', 'delivered', 'delivered', 'delivered'])).toBe('delivered');
    expect(mergeStatus(mergeStatus('delivered', 'delivered'), 'delivered')).toBe('delivered');
  });

  it('ends in the same status whatever order the callbacks arrive in', () => {
    const lifecycle: SmsStatus[] = ['accepted', 'queued', 'sending', 'sent', 'undelivered', 'delivered'];
    for (const order of permutations(lifecycle)) expect(applyAll(order)).toBe('delivered');
  });

  it('ranks every in-flight status below every final one, and gives no two statuses the same rank', () => {
    const all: SmsStatus[] = ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received', 'read', 'canceled', 'accepted', 'scheduled'];
    const inFlight = all.filter((status) => !isFinalStatus(status));
    const final = all.filter(isFinalStatus);
    expect(inFlight.sort()).toEqual(['accepted', 'queued', 'scheduled', 'sending', 'sent']);
    for (const early of inFlight) for (const late of final) expect(statusRank(early)).toBeLessThan(statusRank(late));
    expect(new Set(all.map(statusRank)).size).toBe(all.length);
    expect(all.every((status) => statusRank(status) >= 0)).toBe(true);
  });

  it('follows the send path in Twilio order', () => {
    const path: SmsStatus[] = ['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'read'];
    for (let index = 1; index < path.length; index += 1) {
      expect(statusRank(path[index] as SmsStatus)).toBeGreaterThan(statusRank(path[index - 1] as SmsStatus));
    }
  });
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}
