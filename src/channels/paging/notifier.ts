import type { PageAttempt, StaffNotifier } from '../../domain/alerts/escalation.js';
import { smsText, type Page, type PageDeliveryResult } from '../../domain/escalation/page.js';
import type { SendOutcome } from '../../domain/messaging/gateway.js';
import type { StaffMember } from '../../domain/staff/staff.js';
import type { EmailPager } from './email.js';
import type { WebhookPager } from './webhook.js';

export interface PagingNotifierDeps {
  /** The outbound gateway's staff-page path (OutboundGateway.sendStaffPage). */
  sms(request: { address: string; text: string; idempotencyKey: string }): Promise<SendOutcome>;
  webhook: Pick<WebhookPager, 'send'>;
  /** Absent when SMTP is not configured: e-mail channels are recorded as skipped (`email_not_configured`). */
  email?: Pick<EmailPager, 'send'>;
  /** Decides once, by unique insert, that a webhook or e-mail page goes out (AlertRepository.once). */
  once(key: string, holder: string): Promise<boolean>;
}

/**
 * Pages one staff member on each of their notification channels; a member with a phone and no channel chosen is
 * paged by SMS at that phone. SMS goes through the outbound gateway under the page's idempotency key (it sends a
 * key once). Webhooks and e-mail have no such receiver-side key, so each is claimed by an insert before it goes:
 * a step re-run after a crash finds the claim and skips it (at most once for those, after a crash mid-send).
 */
export class PagingNotifier implements StaffNotifier {
  constructor(private readonly deps: PagingNotifierDeps) {}

  async notify(member: StaffMember, page: Page, idempotencyKey: string): Promise<PageAttempt[]> {
    const channels = member.notificationChannels.length > 0 ? member.notificationChannels : member.phone ? [{ type: 'sms' as const, address: member.phone }] : [];
    if (channels.length === 0) return [{ channel: 'sms', outcome: 'skipped', code: 'no_channel' }];
    return Promise.all(channels.map(async (channel, index): Promise<PageAttempt> => {
      const key = `${idempotencyKey}:${index}`;
      switch (channel.type) {
        case 'sms':
          return { channel: 'sms', ...fromSend(await this.deps.sms({ address: channel.address, text: smsText(page), idempotencyKey: key })) };
        case 'email':
          if (!this.deps.email) return { channel: 'email', outcome: 'skipped', code: 'email_not_configured' };
          if (!(await this.deps.once(key, member.id))) return { channel: 'email', outcome: 'skipped', code: 'already_sent' };
          return { channel: 'email', ...fromDelivery(await this.deps.email.send(channel, page)) };
        default:
          if (!(await this.deps.once(key, member.id))) return { channel: channel.type, outcome: 'skipped', code: 'already_sent' };
          return { channel: channel.type, ...fromDelivery(await this.deps.webhook.send({ type: channel.type, address: channel.address }, page)) };
      }
    }));
  }
}

function fromSend(outcome: SendOutcome): Omit<PageAttempt, 'channel'> {
  switch (outcome.status) {
    case 'blocked':
      return { outcome: 'failed', code: outcome.reason };
    case 'failed':
      return { outcome: 'failed', code: outcome.errorCode ?? 'provider_failed' };
    case 'retrying':
      return { outcome: 'retrying', code: outcome.errorCode };
    default:
      return { outcome: 'sent' };
  }
}

function fromDelivery(result: PageDeliveryResult): Omit<PageAttempt, 'channel'> {
  return result.status === 'delivered' ? { outcome: 'delivered', attempts: result.attempts } : { outcome: 'failed', code: result.code, attempts: result.attempts };
}
