import type { Clock } from '../../lib/clock.js';
import type { Purpose } from '../consent/consent.js';
import type { OptOutRecorder } from '../consent/opt-out.js';
import type { PatientRepository } from '../patients/ports.js';
import type { ContactDirectory, MessageLog } from './ports.js';
import { inQuietHours, type QuietHours } from './quiet-hours.js';
import { ReplyCap, type CapDecision } from './reply-cap.js';
import { statusRank } from './status.js';
import { DeliveryError, type BlockedReason, type DeliveryResult, type MediaRef, type Message, type MessageChannel, type OutboundKind } from './types.js';

/** What a caller asks the gateway to send. */
export interface OutboundRequest {
  channel: MessageChannel;
  address: string;
  patientId?: string;
  text: string;
  media?: MediaRef[];
  /** The same key twice sends once: replies use `reply:<inbound id>:<n>`, jobs their own key. */
  idempotencyKey: string;
  kind: OutboundKind;
  /** Required for proactive messages: consent is per purpose. */
  purpose?: Purpose;
}

export type SendOutcome =
  | { status: 'sent' | 'queued' | 'simulated' | 'delivered'; messageId: string; providerId?: string }
  | { status: 'blocked'; messageId: string; reason: BlockedReason }
  | { status: 'failed'; messageId: string; errorCode?: string }
  | { status: 'duplicate'; messageId: string };

/** Delivers one recorded message through a provider (Twilio, the Direct Line store, a Bot Framework connector). */
export type Deliver = (message: Message) => Promise<DeliveryResult>;

export interface GatewayDeps {
  messages: MessageLog;
  contacts: ContactDirectory;
  patients: PatientRepository;
  clock: Clock;
  quietHours: QuietHours;
  providers: Partial<Record<MessageChannel, Deliver>>;
  /** The one opt-out path: a send the carrier refuses as opted out (Twilio 21610) is recorded through it. */
  optOuts: OptOutRecorder;
  /** SMS replies per number per minute (SMS_REPLIES_PER_MINUTE), and the one notice sent when they run out. */
  replyCap: { perMinute: number; notice: string };
}

/**
 * Channels whose replies the cap counts: SMS, where every reply costs money and a flood can get the sending
 * number flagged by carriers. Web chat and Teams replies cost nothing, and Direct Line already limits requests
 * per conversation; holding their replies back would only leave a chat unanswered.
 */
const CAPPED_CHANNELS: ReadonlySet<MessageChannel> = new Set(['sms']);

/**
 * The one place that sends anything to a patient, on any channel. It checks opt-out, consent, quiet hours and
 * the SMS reply cap, records the message under its idempotency key BEFORE calling the provider (so a crash
 * never sends twice and never sends unrecorded), then records the provider's id and status.
 */
export class OutboundGateway {
  private readonly replyCap: ReplyCap;

  constructor(private readonly deps: GatewayDeps) {
    this.replyCap = new ReplyCap(deps.replyCap.perMinute);
  }

  async send(request: OutboundRequest, deliver?: Deliver): Promise<SendOutcome> {
    const now = this.deps.clock.now();
    const refused = await this.refusal(request, now);
    const capped = refused ? undefined : this.capReply(request, now);
    const blockedReason = refused ?? (capped === 'hold' ? 'reply_cap' : undefined);
    const notice = capped === 'notice';
    const message: Message = {
      // A refused attempt is recorded as `<key>~blocked~<time>`, without using up the key, so the same
      // message can go out later (after quiet hours, after START).
      id: blockedReason ? `${request.idempotencyKey}~blocked~${now.getTime()}` : request.idempotencyKey,
      direction: 'outbound',
      channel: request.channel,
      address: request.address,
      patientId: request.patientId,
      text: notice ? this.deps.replyCap.notice : request.text,
      media: notice ? [] : (request.media ?? []),
      status: blockedReason ? 'blocked' : 'queued',
      statusRank: statusRank(blockedReason ? 'blocked' : 'queued'),
      blockedReason,
      kind: notice ? 'reply_cap_notice' : request.kind,
      purpose: request.purpose,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.deps.messages.insert(message))) {
      // A re-run turn: the first run sent this reply and counted it already.
      if (capped === 'send') this.replyCap.giveBack(capKey(request));
      return { status: 'duplicate', messageId: message.id };
    }
    if (blockedReason) return { status: 'blocked', messageId: message.id, reason: blockedReason };

    const provider = deliver ?? this.deps.providers[request.channel];
    if (!provider) throw new Error(`no provider for channel ${request.channel}`);
    try {
      const result = await provider(message);
      if (result.providerId) await this.deps.messages.update(message.id, { providerId: result.providerId });
      // Forward-only: a status callback may already have moved the message further.
      if (statusRank(result.status) > message.statusRank) await this.deps.messages.update(message.id, { status: result.status, statusRank: statusRank(result.status) });
      return { status: result.status as 'sent', messageId: message.id, providerId: result.providerId };
    } catch (err) {
      const code = err instanceof DeliveryError ? err.code : undefined;
      await this.deps.messages.update(message.id, { status: 'failed', statusRank: statusRank('failed'), errorCode: code ?? 'internal' });
      if (!(err instanceof DeliveryError)) throw new Error(`delivering ${request.channel} message`, { cause: err });
      if (err.optedOut) await this.recordCarrierOptOut(request);
      return { status: 'failed', messageId: message.id, errorCode: code };
    }
  }

  private async refusal(request: OutboundRequest, now: Date): Promise<BlockedReason | undefined> {
    if (request.kind !== 'opt_out_confirmation' && (await this.deps.contacts.isOptedOut(request.channel, request.address))) return 'opted_out';
    if (request.kind !== 'proactive') return undefined;

    const patient = request.patientId ? await this.deps.patients.get(request.patientId) : undefined;
    if (!patient) return 'no_consent';
    if (!patient.active) return 'inactive_patient';
    const consent = request.channel === 'botframework' ? undefined : patient.consent[request.channel];
    if (!consent?.granted || !request.purpose || !consent.purposes.includes(request.purpose)) return 'no_consent';
    if (inQuietHours(now, patient.timeZone, this.deps.quietHours)) return 'quiet_hours';
    return undefined;
  }

  /**
   * The reply cap, for plain SMS replies only: urgent replies (emergency and crisis instructions) and the opt-out
   * confirmation always go, and proactive messages are CareLoop's own, not answers to a flood.
   */
  private capReply(request: OutboundRequest, now: Date): CapDecision | undefined {
    if (request.kind !== 'reply' || !CAPPED_CHANNELS.has(request.channel)) return undefined;
    return this.replyCap.take(capKey(request), now);
  }

  private async recordCarrierOptOut(request: OutboundRequest): Promise<void> {
    await this.deps.optOuts.optOut({ channel: request.channel, address: request.address, patientId: request.patientId }, 'carrier');
  }
}

const capKey = (request: OutboundRequest) => `${request.channel}:${request.address}`;
