/**
 * Texts from staff phones: "ACK 4821" acknowledges the alert with that short number, when this staff member was
 * paged about it. The SMS channel asks here BEFORE any patient lookup, so a staff number is never treated as a
 * patient (even one that is also enrolled as a patient: a nurse testing CareLoop on their own phone).
 */
import type { OptOutTarget, OptOutHow } from '../consent/opt-out.js';
import type { SendOutcome } from '../messaging/gateway.js';
import { detectOptKeyword } from '../safety/keywords.js';
import type { StaffMember } from '../staff/staff.js';
import type { AlertRepository } from './alerts.js';
import type { AlertService } from './service.js';

export interface StaffSmsDeps {
  /** The active staff member who has this phone (their phone, or an SMS notification channel), if any. */
  staffByPhone(phone: string): Promise<StaffMember | undefined>;
  alerts: Pick<AlertService, 'acknowledgeByShortNumber'>;
  /** Decides once per inbound message (a redelivered webhook acknowledges nothing twice). */
  once: AlertRepository['once'];
  /** The gateway's staff-page path: replies to staff are recorded like pages. */
  send(request: { address: string; text: string; idempotencyKey: string }): Promise<SendOutcome>;
  /** STOP and START from a staff phone still stop and restart every text to it (the one opt-out path). */
  optOuts: { optOut(target: OptOutTarget, how: OptOutHow): Promise<void>; optIn(target: OptOutTarget, how: Exclude<OptOutHow, 'carrier'>): Promise<void> };
}

const ACK = /^\s*ack(?:nowledge)?\s*#?\s*(\d{4,5})\s*[.!]?\s*$/i;

export class StaffSms {
  constructor(private readonly deps: StaffSmsDeps) {}

  /** Handles a text if it comes from a staff phone; false means it is not staff's (the patient path takes it). */
  async handle(sms: { from: string; body: string; providerMessageId: string }): Promise<boolean> {
    const member = await this.deps.staffByPhone(sms.from);
    if (!member) return false;
    const messageKey = `staffsms:${sms.providerMessageId}`;
    if (!(await this.deps.once(messageKey, member.id))) return true;
    const target = { channel: 'sms' as const, address: sms.from };
    const keyword = detectOptKeyword(sms.body);
    if (keyword === 'stop') {
      await this.deps.optOuts.optOut(target, 'keyword');
      return true;
    }
    if (keyword === 'start') await this.deps.optOuts.optIn(target, 'keyword');
    await this.deps.send({ address: sms.from, text: await this.answer(sms.body, member.id), idempotencyKey: `${messageKey}:reply` });
    return true;
  }

  private async answer(body: string, staffId: string): Promise<string> {
    const match = ACK.exec(body);
    if (!match) return 'CareLoop: to acknowledge an alert, reply ACK and its number, e.g. ACK 4821.';
    const shortNumber = Number(match[1]);
    const { status } = await this.deps.alerts.acknowledgeByShortNumber(shortNumber, staffId);
    switch (status) {
      case 'acknowledged':
        return `CareLoop: alert ${shortNumber} acknowledged by you. Paging has stopped.`;
      case 'already':
        return `CareLoop: alert ${shortNumber} was already acknowledged.`;
      case 'not_paged':
        return `CareLoop: you were not paged about alert ${shortNumber}; acknowledge it in the console.`;
      case 'unknown':
        return `CareLoop: no open alert ${shortNumber}.`;
    }
  }
}
