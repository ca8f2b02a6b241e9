import type { Deliver } from '../../domain/messaging/gateway.js';
import { DeliveryError, type MessageStatus } from '../../domain/messaging/types.js';
import { SmsSendError, type TwilioSms } from '../../integrations/twilio/client.js';
import type { SmsStatus } from '../../integrations/twilio/status.js';

/** Twilio's statuses in CareLoop's words (Twilio names stay in the SMS channel). */
export function fromSmsStatus(status: SmsStatus): MessageStatus | undefined {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
      return 'queued';
    case 'sending':
    case 'sent':
    case 'delivered':
    case 'undelivered':
    case 'failed':
    case 'read':
      return status;
    case 'canceled':
      return 'failed';
    default:
      return undefined; // 'received' describes inbound messages, never ours
  }
}

/** Our clock and Twilio's may differ a little: look this much earlier than the message's record. */
const CLOCK_SKEW_MS = 60_000;

/**
 * The SMS provider for the outbound gateway. Without Twilio credentials, messages are recorded as
 * `simulated` (development and demos). Status callbacks come back to /sms/status with our message id in the
 * URL, so the callback finds its message by _id instead of scanning for Twilio's id.
 *
 * `find` answers the gateway's question after a crash or a timeout: did Twilio take this message? Twilio's message
 * list does not show the StatusCallback URL (so not our id in it), so a message is matched by recipient, exact
 * body and time: texts to the number since the record with the same body, oldest first. (If Twilio did take it,
 * its status callback, which carries our id, usually settles the message before anyone has to ask.)
 */
export function smsProvider(twilio: TwilioSms | undefined, publicBaseUrl: string): Deliver {
  const deliver: Deliver = async (message) => {
    if (!twilio) return { status: 'simulated' };
    try {
      const sent = await twilio.send({
        to: message.address,
        body: message.text,
        mediaUrls: message.media.map((media) => media.url),
        statusCallback: `${publicBaseUrl}/sms/status?m=${encodeURIComponent(message.id)}`,
      });
      return { providerId: sent.providerId, status: fromSmsStatus(sent.status) ?? 'queued' };
    } catch (err) {
      throw toDeliveryError(err);
    }
  };
  if (twilio) {
    deliver.find = async (message) => {
      try {
        const listed = await twilio.listSent({ to: message.address, since: new Date(message.createdAt.getTime() - CLOCK_SKEW_MS) });
        return listed
          .filter((sms) => sms.body === message.text)
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
          .map((sms) => ({ providerId: sms.providerId, status: fromSmsStatus(sms.status) ?? 'queued' }));
      } catch (err) {
        throw toDeliveryError(err);
      }
    };
  }
  return deliver;
}

/**
 * Twilio's refusal in the gateway's words: its error code, else the HTTP status (`http_503`), else `unreachable`
 * when no answer came; then Twilio may have taken the message all the same (a timeout), so the outcome is unknown.
 */
function toDeliveryError(err: unknown): unknown {
  if (!(err instanceof SmsSendError)) return err;
  const noAnswer = err.httpStatus === undefined && err.retryable;
  const code = err.code !== undefined ? String(err.code) : err.httpStatus !== undefined ? `http_${err.httpStatus}` : noAnswer ? 'unreachable' : 'internal';
  return new DeliveryError(err.message, { code, optedOut: err.optedOut, retryable: err.retryable, outcomeUnknown: noAnswer }, { cause: err });
}
