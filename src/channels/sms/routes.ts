import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { MessageLog } from '../../domain/messaging/ports.js';
import { statusRank } from '../../domain/messaging/status.js';
import { parseInboundSms, parseStatusCallback, verifyTwilioSignature } from '../../integrations/twilio/webhook.js';
import { AppError, validationFailed } from '../../lib/errors.js';
import { clientAddress, refuse, type FailureBudget } from '../../http/throttle.js';
import type { ConversationRuntime } from '../../bot/runtime.js';
import { fromSmsStatus } from './provider.js';

export interface SmsRouteDeps {
  authToken?: string;
  /** PUBLIC_BASE_URL: the address Twilio signs. Without it, the request's own origin (development only). */
  publicBaseUrl?: string;
  runtime: ConversationRuntime;
  messages: MessageLog;
  /** Budget of refused signatures per address: past it, forged webhooks get a 429 and no log line each. */
  signatureFailures: FailureBudget;
  /**
   * Texts from staff phones ("ACK 4821"), asked before the patient path: true when it was a staff member's.
   * Those are answered on the staff path and never recorded as a patient's message.
   */
  staffInbound?: (sms: { from: string; body: string; providerMessageId: string }) => Promise<boolean>;
  /** The carrier says the recipient opted out (Twilio 21610 on a status callback). */
  onCarrierOptOut(address: string, patientId: string | undefined): Promise<void>;
}

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const statusQuery = z.strictObject({ m: z.string().min(1).max(300) });

/**
 * Twilio webhooks. The signature is checked first (403, nothing stored), then the form is validated (400).
 * Inbound: persisted and deduplicated by MessageSid, answered at once with empty TwiML; the turn runs after
 * the answer and replies go out through the gateway, so a slow turn never meets Twilio's 15 s limit. A
 * redelivered MessageSid is answered once: dropped if its turn completed, its turn run if it never did (the
 * runtime decides, by the claim on the turn).
 *
 * Twilio posts from a shared pool of addresses, so no per-address limit applies to these routes: a correctly
 * signed webhook is always accepted. Only failed signatures (an HMAC, no database read) are counted per
 * address; past the budget they are answered 429 without a log line each, and still never stop a signed one.
 */
export function smsRoutes(app: FastifyInstance, deps: SmsRouteDeps): void {
  const verify = (req: FastifyRequest, reply: FastifyReply) => {
    const base = deps.publicBaseUrl ?? `${req.protocol}://${req.headers.host}`;
    const params = (req.body ?? {}) as Record<string, string>;
    const signature = req.headers['x-twilio-signature'];
    if (deps.authToken && verifyTwilioSignature({ authToken: deps.authToken, url: `${base}${req.url}`, params, signature: typeof signature === 'string' ? signature : undefined })) {
      return params;
    }
    const client = clientAddress(req);
    const refusal = deps.signatureFailures.check(client) ?? deps.signatureFailures.fail(client);
    if (refusal) throw refuse(req, reply, refusal);
    if (!deps.authToken) throw new AppError('forbidden', 'SMS webhooks are not configured: set TWILIO_AUTH_TOKEN');
    throw new AppError('forbidden', 'invalid or missing X-Twilio-Signature');
  };
  const unlimited = { config: { rateLimit: false } } as const;

  app.post('/sms/inbound', unlimited, async (req: FastifyRequest, reply: FastifyReply) => {
    const sms = parseOr400(() => parseInboundSms(verify(req, reply)));
    if (deps.staffInbound && (await deps.staffInbound({ from: sms.from, body: sms.body, providerMessageId: sms.providerMessageId }))) {
      return reply.type('text/xml').send(EMPTY_TWIML);
    }
    const recorded = await deps.runtime.record({ channel: 'sms', address: sms.from, providerMessageId: sms.providerMessageId, text: sms.body, media: sms.media });
    await reply.type('text/xml').send(EMPTY_TWIML);
    if (recorded) {
      deps.runtime.process(recorded).catch((err: unknown) => req.log.error({ err }, 'SMS turn failed'));
    }
    return reply;
  });

  app.post('/sms/status', unlimited, async (req: FastifyRequest, reply: FastifyReply) => {
    const params = verify(req, reply);
    const { m: messageId } = parseOr400(() => statusQuery.parse(req.query));
    const update = parseOr400(() => parseStatusCallback(params));
    const message = await deps.messages.get(messageId);
    if (!message || message.direction !== 'outbound' || (message.providerId && message.providerId !== update.providerMessageId)) {
      throw new AppError('not_found', 'no such outbound message');
    }
    const status = fromSmsStatus(update.status);
    if (status) {
      await deps.messages.update(messageId, { status, statusRank: statusRank(status), providerId: update.providerMessageId, errorCode: update.errorCode?.toString() });
    }
    if (update.optedOut) await deps.onCarrierOptOut(message.address, message.patientId);
    return reply.code(204).send();
  });
}

function parseOr400<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof z.ZodError) {
      throw validationFailed('invalid webhook fields', err);
    }
    throw err;
  }
}
