import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Purpose } from '../consent/consent.js';
import type { OptOutRecorder } from '../consent/opt-out.js';
import { forEachLimited } from '../../lib/concurrency.js';
import type { Patient, PatientRepository } from '../patients/ports.js';
import type { ContactDirectory, MessageLog, PendingSend } from './ports.js';
import { inQuietHours, quietHoursFor, type QuietHours } from './quiet-hours.js';
import { ReplyCap, type CapDecision } from './reply-cap.js';
import { MAX_SEND_ATTEMPTS, retryWait } from './retry.js';
import { statusRank } from './status.js';
import { DeliveryError, type BlockedReason, type DeliveryResult, type MediaRef, type Message, type MessageChannel, type MessageStatus, type OutboundKind } from './types.js';

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
  /** The provider failed for a reason that may pass: the message keeps its key and goes out at `retryAt` or later. */
  | { status: 'retrying'; messageId: string; errorCode: string; retryAt: Date }
  | { status: 'failed'; messageId: string; errorCode?: string }
  | { status: 'duplicate'; messageId: string };

/** What a provider holds of a message it was given. */
export interface FoundDelivery {
  providerId: string;
  status: MessageStatus;
}

/** Delivers one recorded message through a provider (Twilio, the Direct Line store, a Bot Framework connector). */
export interface Deliver {
  (message: Message): Promise<DeliveryResult>;
  /**
   * What the provider took for this message's address with its content since it was recorded, oldest first: asked
   * before sending again when an earlier attempt's outcome is unknown. Absent: the channel cannot tell, and such a
   * message is sent again (at least once).
   */
  find?: (message: Message) => Promise<FoundDelivery[]>;
}

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
  /** Staff pages per staff number per minute (default 20); past it a page is recorded blocked (`page_cap`). */
  pagesPerMinute?: number;
  /** Messages given up on are logged here (ids and codes only). */
  logger: Logger;
  /**
   * `settleAfterMs`: how long an attempt may be in flight before a sweep counts it as lost and asks the provider
   * (default 60 s; it must exceed the provider's request timeout, 30 s for Twilio). `random`: the retry jitter.
   */
  retries?: { settleAfterMs?: number; random?: () => number };
}

/** What one sweep of the outbox did, per entry. `settled`: nothing left to do (a callback or another instance did it). */
export interface SweepCounts {
  due: number;
  sent: number;
  matched: number;
  retrying: number;
  deferred: number;
  failed: number;
  settled: number;
  skipped: number;
}
type SweepOutcome = Exclude<keyof SweepCounts, 'due'>;

/**
 * Channels whose replies the cap counts: SMS, where every reply costs money and a flood can get the sending
 * number flagged by carriers. Web chat and Teams replies cost nothing, and Direct Line already limits requests
 * per conversation; holding their replies back would only leave a chat unanswered.
 */
const CAPPED_CHANNELS: ReadonlySet<MessageChannel> = new Set(['sms']);
const QUEUED_RANK = statusRank('queued');
const SWEEP_BATCH = 100;
/** Provider calls of one sendMany in flight at once (the provider's own limiter sets the rate). */
const SEND_CONCURRENCY = 10;
/** Sends of one sweep in flight at once: enough to drain a backlog quickly, few enough to stay inside the database pool. */
const SWEEP_CONCURRENCY = 8;
/** A proactive retry that falls in the patient's quiet hours waits this long and looks again. */
const QUIET_HOURS_RECHECK_MS = 15 * 60_000;

/**
 * The one place that sends anything to a patient, on any channel. It checks opt-out, consent, quiet hours and
 * the SMS reply cap, records the message under its idempotency key BEFORE calling the provider (so a crash
 * never sends twice and never sends unrecorded), then records the provider's id and status.
 *
 * Durable delivery: every send through a channel's provider also gets an outbox entry, written before the
 * message, and removed once the outcome is recorded. A retryable failure (429, 5xx, no answer) keeps the key and
 * sets the entry's next attempt ({@link retryWait}); {@link retryFailed} makes it, up to {@link MAX_SEND_ATTEMPTS}.
 * An entry still in flight long after its attempt started was left by a crash: before any resend the provider is
 * asked whether it took the message (by address, content and time), so nothing goes twice.
 */
export class OutboundGateway {
  private readonly replyCap: ReplyCap;
  private readonly pageCap: ReplyCap;
  private readonly settleAfterMs: number;

  constructor(private readonly deps: GatewayDeps) {
    this.replyCap = new ReplyCap(deps.replyCap.perMinute);
    this.pageCap = new ReplyCap(deps.pagesPerMinute ?? 20);
    this.settleAfterMs = deps.retries?.settleAfterMs ?? 60_000;
  }

  /**
   * Sends one message. `deliver` replaces the channel's provider for this call only (the Bot Framework connector
   * sends right after it): such a send cannot be retried later, so it gets no outbox entry.
   */
  async send(request: OutboundRequest, deliver?: Deliver): Promise<SendOutcome> {
    if (request.kind === 'staff_page') throw new Error('staff pages go through sendStaffPage');
    return this.sendRecorded(request, deliver);
  }

  /**
   * The staff-page path: an SMS to a staff member's phone about an alert. Recorded and delivered like every
   * message (idempotency key, outbox, retries), but with no patient on it, no consent or quiet hours (staff
   * asked to be paged), and its own per-number cap. The text must be PHI-minimal (src/domain/escalation/page.ts).
   */
  sendStaffPage(request: { address: string; text: string; idempotencyKey: string }): Promise<SendOutcome> {
    return this.sendRecorded({ channel: 'sms', address: request.address, text: request.text, idempotencyKey: request.idempotencyKey, kind: 'staff_page' });
  }

  /**
   * Sends a batch of proactive messages (dose reminders) with the same checks, records and outcomes as `send`
   * gives each, in a constant number of commands for the batch beside one opt-out lookup per address (the
   * patients come with the batch, read moments before): the outbox entries and the messages in one insert
   * each, then the sends (SEND_CONCURRENCY at a time, at the provider's rate), the provider ids in bulk updates
   * and the settled entries in one delete. A failed send is retried or failed as `send` does.
   */
  async sendMany(requests: readonly OutboundRequest[], patients: ReadonlyMap<string, Patient>): Promise<SendOutcome[]> {
    if (requests.some((request) => request.kind !== 'proactive')) throw new Error('sendMany sends proactive messages only');
    const { messages, clock } = this.deps;
    const now = clock.now();
    const optedOut = new Map<MessageChannel, Set<string>>();
    for (const channel of new Set(requests.map((request) => request.channel))) {
      optedOut.set(channel, await this.deps.contacts.optedOutAmong(channel, requests.filter((request) => request.channel === channel).map((request) => request.address)));
    }
    const prepared = requests.map((request) => {
      const patient = request.patientId === undefined ? undefined : patients.get(request.patientId);
      const blockedReason = optedOut.get(request.channel)!.has(request.address) ? 'opted_out' : this.proactiveRefusal(request, patient, now);
      return { message: this.messageFor(request, now, blockedReason), provider: this.deps.providers[request.channel] };
    });
    const durable = prepared.filter(({ message, provider }) => message.status !== 'blocked' && provider);
    await messages.outbox.addMany(durable.map(({ message }) => ({ messageId: message.id, channel: message.channel, attempt: 1, dueAt: this.settleTime(now), outcomeUnknown: true, createdAt: now })));
    const inserted = await messages.insertMany(prepared.map(({ message }) => message));

    const outcomes = new Map<string, SendOutcome>();
    const accepted: { id: string; providerId: string }[] = [];
    await forEachLimited(durable.filter(({ message }) => inserted.has(message.id)), SEND_CONCURRENCY, async ({ message, provider }) => {
      let result: DeliveryResult;
      try {
        result = await provider!(message);
      } catch (err) {
        outcomes.set(message.id, await this.failedAttempt(message, 1, true, err).catch(() => ({ status: 'failed' as const, messageId: message.id, errorCode: 'internal' })));
        return;
      }
      // The usual answer (queued at the provider) changes no status: its id is recorded in bulk below.
      if (statusRank(result.status) > QUEUED_RANK || !result.providerId) await this.recordResult(message.id, result);
      else accepted.push({ id: message.id, providerId: result.providerId });
      outcomes.set(message.id, { status: result.status as 'sent', messageId: message.id, providerId: result.providerId });
    });
    await messages.setProviderIds(accepted);
    const settled = [...outcomes.values()].filter((outcome) => outcome.status !== 'retrying' && outcome.status !== 'failed').map((outcome) => outcome.messageId);
    await messages.outbox.removeMany(settled);

    return prepared.map(({ message }) => {
      if (!inserted.has(message.id)) return { status: 'duplicate', messageId: message.id };
      if (message.status === 'blocked' || !outcomes.has(message.id)) return { status: 'blocked', messageId: message.id, reason: message.blockedReason ?? 'no_consent' };
      return outcomes.get(message.id)!;
    });
  }

  private async sendRecorded(request: OutboundRequest, deliver?: Deliver): Promise<SendOutcome> {
    const now = this.deps.clock.now();
    const refused = await this.refusal(request, now);
    const paged = !refused && request.kind === 'staff_page' ? this.pageCap.take(capKey(request), now) : undefined;
    const capped = refused ? undefined : this.capReply(request, now);
    const blockedReason = refused ?? (capped === 'hold' ? 'reply_cap' : paged && paged !== 'send' ? 'page_cap' : undefined);
    const message = this.messageFor(request, now, blockedReason, capped === 'notice');
    const provider = deliver ?? this.deps.providers[request.channel];
    if (!provider && !blockedReason) throw new Error(`no provider for channel ${request.channel}`);
    const durable = !blockedReason && !deliver;
    // Before the record: a crash between the two then leaves an entry without a message (harmless, dropped by the
    // sweep), never a queued message nobody looks at.
    if (durable) await this.deps.messages.outbox.add({ messageId: message.id, channel: message.channel, attempt: 1, dueAt: this.settleTime(now), outcomeUnknown: true, createdAt: now });
    if (!(await this.deps.messages.insert(message))) {
      // A re-run turn: the first run sent this reply and counted it already.
      if (capped === 'send') this.replyCap.giveBack(capKey(request));
      return { status: 'duplicate', messageId: message.id };
    }
    if (blockedReason || !provider) return { status: 'blocked', messageId: message.id, reason: blockedReason ?? 'no_consent' };
    return this.attempt(message, 1, provider, durable);
  }

  /** The record of a message about to be sent, or of a refused attempt (`blockedReason`); `notice`: the reply cap's notice in its place. */
  private messageFor(request: OutboundRequest, now: Date, blockedReason: BlockedReason | undefined, notice = false): Message {
    return {
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
  }

  /**
   * Settles the outbox entries that are due: retries failed sends whose time has come, and resolves sends left in
   * flight by a crash (asking the provider first). Safe on any number of instances at once: each attempt is
   * claimed by an insert. Run it periodically; it returns what it did.
   */
  async retryFailed(now: Date = this.deps.clock.now(), signal?: AbortSignal): Promise<SweepCounts> {
    const due = await this.deps.messages.outbox.due(now, SWEEP_BATCH);
    const counts: SweepCounts = { due: due.length, sent: 0, matched: 0, retrying: 0, deferred: 0, failed: 0, settled: 0, skipped: 0 };
    await forEachLimited(due, SWEEP_CONCURRENCY, async (entry) => {
      try {
        counts[await this.settle(entry)] += 1;
      } catch (err) {
        counts.skipped += 1;
        this.deps.logger.error({ err, messageId: entry.messageId, channel: entry.channel }, 'settling an outbound message failed; the next sweep tries again');
      }
    }, signal);
    return counts;
  }

  private async settle(entry: PendingSend): Promise<SweepOutcome> {
    const { messages, clock } = this.deps;
    const id = entry.messageId;
    const now = clock.now();
    // One claim per attempt; the one past the last allows a final look at the provider, never a send.
    const taken = await messages.claims.take(sendClaimKey(id), entry.attempt + 1, MAX_SEND_ATTEMPTS + 1, now, this.settleTime(now));
    if (taken === 'held') return 'skipped';
    const claim = taken === 'exhausted' ? MAX_SEND_ATTEMPTS + 1 : taken;
    // Read after the claim: a sweep that finished this entry since our query has removed it (and given back its
    // claims, which is how this one could be taken).
    const [current, message] = await Promise.all([messages.outbox.get(id), messages.get(id)]);
    if (!current || current.attempt >= claim) {
      if (taken !== 'exhausted') await messages.claims.release(sendClaimKey(id), taken, taken);
      return 'settled';
    }
    const provider = this.deps.providers[current.channel];
    // Never recorded (its sender died first; the sender's own recovery sends it), or settled by a status callback.
    if (!message || !provider || message.providerId || message.statusRank > QUEUED_RANK) {
      await this.settled(id, claim);
      return 'settled';
    }
    const lastError = current.outcomeUnknown ? 'outcome_unknown' : (message.errorCode ?? 'internal');
    if (current.outcomeUnknown && provider.find) {
      const found = await this.findEarlier(message, provider.find).catch((err: unknown) => {
        if (err instanceof DeliveryError) return { unanswered: err.code ?? 'internal' };
        this.deps.logger.error({ err, messageId: id, channel: message.channel }, 'asking the provider about an unsettled message failed');
        return { unanswered: 'internal' };
      });
      // No answer to the question either: ask again later (the outcome stays unknown).
      if (found && 'unanswered' in found) return claim > MAX_SEND_ATTEMPTS ? this.giveUp(message, claim, lastError) : (await this.retryLater(message, claim, found.unanswered, true)).status;
      if (found) {
        await this.recordResult(id, found);
        await this.settled(id, claim);
        return 'matched';
      }
    }
    if (claim > MAX_SEND_ATTEMPTS) return this.giveUp(message, claim, lastError);
    const refused = await this.refusal(requestOf(message), now);
    if (refused === 'quiet_hours') {
      await messages.outbox.update(id, { dueAt: new Date(now.getTime() + QUIET_HOURS_RECHECK_MS), outcomeUnknown: false });
      await messages.claims.release(sendClaimKey(id), claim, claim);
      return 'deferred';
    }
    if (refused) {
      await this.fail(message, refused, claim);
      return 'failed';
    }
    await messages.outbox.update(id, { attempt: claim, dueAt: this.settleTime(now), outcomeUnknown: true });
    const outcome = await this.attempt(message, claim, provider, true);
    return outcome.status === 'retrying' || outcome.status === 'failed' ? outcome.status : 'sent';
  }

  /** Calls the provider for attempt number `attempt` and records what came of it. */
  private async attempt(message: Message, attempt: number, provider: Deliver, durable: boolean): Promise<SendOutcome> {
    let result: DeliveryResult;
    try {
      result = await provider(message);
    } catch (err) {
      return this.failedAttempt(message, attempt, durable, err);
    }
    await this.recordResult(message.id, result);
    if (durable) await this.settled(message.id, attempt);
    return { status: result.status as 'sent', messageId: message.id, providerId: result.providerId };
  }

  /** The provider refused or failed attempt number `attempt`: retried later when it may pass, else failed. */
  private async failedAttempt(message: Message, attempt: number, durable: boolean, err: unknown): Promise<SendOutcome> {
    if (!(err instanceof DeliveryError)) {
      await this.fail(message, 'internal', durable ? attempt : undefined);
      throw new Error(`delivering ${message.channel} message`, { cause: err });
    }
    const code = err.code ?? 'internal';
    if (durable && err.retryable && attempt < MAX_SEND_ATTEMPTS) return this.retryLater(message, attempt, code, err.outcomeUnknown);
    await this.fail(message, code, durable ? attempt : undefined);
    if (durable && err.retryable) this.logGivenUp(message, attempt, code);
    if (err.optedOut) await this.deps.optOuts.optOut({ channel: message.channel, address: message.address, patientId: message.patientId }, 'carrier');
    return { status: 'failed', messageId: message.id, errorCode: code };
  }

  /** The provider's id and status; forward-only: a status callback may already have moved the message further. */
  private async recordResult(messageId: string, result: DeliveryResult): Promise<void> {
    const rank = statusRank(result.status);
    const moved = rank > QUEUED_RANK && (await this.deps.messages.update(messageId, { providerId: result.providerId, status: result.status, statusRank: rank }));
    if (!moved && result.providerId) await this.deps.messages.update(messageId, { providerId: result.providerId });
  }

  private async retryLater(message: Message, attempt: number, errorCode: string, outcomeUnknown: boolean): Promise<SendOutcome & { status: 'retrying' | 'failed' }> {
    if (attempt >= MAX_SEND_ATTEMPTS) return { status: await this.giveUp(message, attempt, outcomeUnknown ? 'outcome_unknown' : errorCode), messageId: message.id, errorCode };
    const retryAt = new Date(this.deps.clock.now().getTime() + retryWait(attempt, this.deps.retries?.random));
    await this.deps.messages.outbox.update(message.id, { attempt, dueAt: retryAt, outcomeUnknown });
    await this.deps.messages.update(message.id, { errorCode });
    return { status: 'retrying', messageId: message.id, errorCode, retryAt };
  }

  private async giveUp(message: Message, attempts: number, errorCode: string): Promise<'failed'> {
    await this.fail(message, errorCode, attempts);
    this.logGivenUp(message, attempts, errorCode);
    return 'failed';
  }

  private logGivenUp(message: Message, attempts: number, errorCode: string): void {
    this.deps.logger.warn({ messageId: message.id, channel: message.channel, errorCode, attempts }, 'outbound message not delivered after its last attempt: marked failed');
  }

  /** Final failure. With `lastClaim`, the outbox entry and its claims go too. */
  private async fail(message: Message, errorCode: string, lastClaim: number | undefined): Promise<void> {
    await this.deps.messages.update(message.id, { status: 'failed', statusRank: statusRank('failed'), errorCode });
    if (lastClaim !== undefined) await this.settled(message.id, lastClaim);
  }

  private async settled(messageId: string, lastClaim: number): Promise<void> {
    await this.deps.messages.outbox.remove(messageId);
    await this.deps.messages.claims.release(sendClaimKey(messageId), 2, lastClaim);
  }

  /**
   * The provider's record of an earlier attempt of this message, if it has one: the oldest candidate that no other
   * message of ours has recorded, claimed for this message (so two identical texts are never both matched to one).
   */
  private async findEarlier(message: Message, find: NonNullable<Deliver['find']>): Promise<FoundDelivery | undefined> {
    const candidates = await find(message);
    if (candidates.length === 0) return undefined;
    const taken = await this.deps.messages.providerIdsTaken(candidates.map((candidate) => candidate.providerId), message.id);
    for (const candidate of candidates) {
      if (!taken.has(candidate.providerId) && (await this.deps.messages.claims.once(`provider:${candidate.providerId}`, message.id))) return candidate;
    }
    return undefined;
  }

  private settleTime(now: Date): Date {
    return new Date(now.getTime() + this.settleAfterMs);
  }

  private async refusal(request: OutboundRequest, now: Date): Promise<BlockedReason | undefined> {
    if (request.kind !== 'opt_out_confirmation' && (await this.deps.contacts.isOptedOut(request.channel, request.address))) return 'opted_out';
    if (request.kind !== 'proactive') return undefined;
    return this.proactiveRefusal(request, request.patientId ? await this.deps.patients.get(request.patientId) : undefined, now);
  }

  /** A proactive message's checks beside the opt-out: the patient is active, consents to the purpose, and is not in quiet hours. */
  private proactiveRefusal(request: OutboundRequest, patient: Patient | undefined, now: Date): BlockedReason | undefined {
    if (!patient) return 'no_consent';
    if (!patient.active) return 'inactive_patient';
    const consent = request.channel === 'botframework' ? undefined : patient.consent[request.channel];
    if (!consent?.granted || !request.purpose || !consent.purposes.includes(request.purpose)) return 'no_consent';
    if (inQuietHours(now, patient.timeZone, quietHoursFor(patient, this.deps.quietHours))) return 'quiet_hours';
    return undefined;
  }

  /**
   * The reply cap, for plain SMS replies only: urgent replies (emergency and crisis instructions) and the opt-out
   * confirmation always go, as do a check-in's questions (bounded by its protocol), and proactive messages are
   * CareLoop's own, not answers to a flood.
   */
  private capReply(request: OutboundRequest, now: Date): CapDecision | undefined {
    if (request.kind !== 'reply' || !CAPPED_CHANNELS.has(request.channel)) return undefined;
    return this.replyCap.take(capKey(request), now);
  }
}

const capKey = (request: OutboundRequest) => `${request.channel}:${request.address}`;
const sendClaimKey = (messageId: string) => `send:${messageId}`;

/** The checks a retry repeats (opt-out, consent, quiet hours), asked about a message already recorded. */
function requestOf(message: Message): OutboundRequest {
  const kind = message.kind === 'reply_cap_notice' || !message.kind ? 'reply' : message.kind;
  return { channel: message.channel, address: message.address, patientId: message.patientId, text: message.text, idempotencyKey: message.id, kind, purpose: message.purpose };
}
