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

/**
 * The SMS provider for the outbound gateway. Without Twilio credentials, messages are recorded as
 * `simulated` (development and demos). Status callbacks come back to /sms/status with our message id in the
 * URL, so the callback finds its message by _id instead of scanning for Twilio's id.
 */
export function smsProvider(twilio: TwilioSms | undefined, publicBaseUrl: string): Deliver {
  return async (message) => {
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
      if (err instanceof SmsSendError) throw new DeliveryError(err.message, err.code === undefined ? undefined : String(err.code), err.optedOut, { cause: err });
      throw err;
    }
  };
}
