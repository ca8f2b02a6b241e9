import { ActivityTypes, type Activity } from 'botbuilder';
import type { MessageLog, PendingTurn } from '../domain/messaging/ports.js';
import { statusRank } from '../domain/messaging/status.js';
import type { MediaRef, Message, MessageChannel } from '../domain/messaging/types.js';
import type { ChannelAddressBook, Patient, PatientRepository } from '../domain/patients/ports.js';
import type { TurnIdentity } from '../domain/safety/service.js';
import type { Clock } from '../lib/clock.js';
import { ETagConflictError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { GatewayAdapter } from './adapter.js';
import type { CareLoopBot } from './bot.js';

/** A message as a channel hands it over, after its own verification and validation. */
export interface InboundMessage {
  channel: Exclude<MessageChannel, 'botframework'>;
  /** Phone number (sms) or conversation id (webchat). */
  address: string;
  /** The provider's id (Twilio MessageSid, Direct Line activity id): the key that makes replays harmless. */
  providerMessageId: string;
  text: string;
  media: MediaRef[];
  /** A web chat visitor with a verified patient link. */
  linkedPatientId?: string;
}

/** A recorded inbound message, ready for its turn. */
export interface RecordedInbound extends InboundMessage {
  messageId: string;
  patient?: Patient;
  /** The claim this process holds on the turn and its lease; absent: take the turn over when its lease ends. */
  claim?: number;
  leaseUntil?: Date;
}

/**
 * What became of a turn: answered here; `skipped`, answered already; `held`, another claim on it is live (its
 * holder answers it); `failed`, the turn failed (it stays pending) or was given up.
 */
export type TurnOutcome = 'answered' | 'skipped' | 'held' | 'failed';

/** What one recovery sweep found and did. */
export interface RecoveryCounts {
  due: number;
  answered: number;
  skipped: number;
  held: number;
  failed: number;
}

const MAX_TURN_ATTEMPTS = 3;
/** A turn belongs to its claimer this long; then (a crash, a freeze) another instance's recovery may take it over. */
const TURN_LEASE_MS = 30_000;
/** Runs of one turn before it is given up: a message whose turn fails, or kills its process, every time. */
const MAX_TURN_CLAIMS = 5;
const RECOVERY_BATCH = 100;
/** Conversations recovered at once; each runs its turns oldest first. */
const RECOVERY_CONCURRENCY = 8;

/** The key of a conversation's queue: one patient address on one channel. */
export const conversationKey = (channel: MessageChannel, address: string): string => `${channel}:${address}`;

/**
 * Takes inbound messages from every CareLoop-served channel: records each one once (nothing a patient said
 * is lost, a replayed webhook is a no-op), then runs its bot turn. Turns of one conversation, inbound or
 * proactive (`enqueue`), run one at a time in this process; across processes the state's eTag detects a race
 * and the turn runs again on fresh state (its replies keep their idempotency keys, so nothing is sent twice).
 */
export class ConversationRuntime {
  private readonly queues = new Map<string, Promise<void>>();
  /** Inbound messages waiting or running in this process's queues: recovery does not queue them twice. */
  private readonly queued = new Set<string>();
  private readonly turnLeaseMs: number;

  constructor(
    private readonly deps: {
      messages: MessageLog;
      patients: PatientRepository;
      bot: CareLoopBot;
      /** Where patients last wrote on web chat, so CareLoop can write to them first. */
      addresses: ChannelAddressBook;
      adapters: Record<InboundMessage['channel'], GatewayAdapter>;
      clock: Clock;
      logger: Logger;
      /** How long a turn is its claimer's before recovery may take it over (default 30 s). */
      turnLeaseMs?: number;
    },
  ) {
    this.turnLeaseMs = deps.turnLeaseMs ?? TURN_LEASE_MS;
  }

  /**
   * Records the message and its pending turn (claim 0, held by this process for the lease). Undefined when the
   * message was recorded and answered before (a replayed delivery). A redelivery of a message recorded but not
   * answered yet (its process died) comes back without a claim: its turn runs once the claim on it has lapsed.
   */
  async record(input: InboundMessage): Promise<RecordedInbound | undefined> {
    const patient = await this.resolvePatient(input);
    const messageId = `${input.channel}:${input.providerMessageId}`;
    const now = this.deps.clock.now();
    const leaseUntil = new Date(now.getTime() + this.turnLeaseMs);
    // The pending turn goes first: a crash before the message is stored still leaves its turn to recover.
    const opened = await this.deps.messages.turns.open({
      messageId, channel: input.channel, address: input.address, providerMessageId: input.providerMessageId, text: input.text, media: input.media,
      linkedPatientId: input.linkedPatientId, createdAt: now, claim: 0, leaseUntil,
    });
    const inserted = await this.deps.messages.insert(inboundRecord(messageId, input, patient, now));
    const recorded: RecordedInbound = { ...input, messageId, patient, ...(opened && { claim: 0, leaseUntil }) };
    if (inserted) {
      // SMS needs no stored reference: the enrolled number is the address. Web chat does.
      if (patient && input.channel === 'webchat') await this.deps.addresses.remember(patient.id, input.channel, input.address);
      return recorded;
    }
    if (!(await this.deps.messages.get(messageId))?.answeredAt) return recorded;
    if (opened) await this.deps.messages.turns.close(messageId); // answered long ago: the turn just opened is not needed
    return undefined;
  }

  /** Runs the bot turn for a recorded message, after any earlier turn of the same conversation. */
  process(inbound: RecordedInbound): Promise<void> {
    return this.runInbound(inbound).then(() => undefined);
  }

  /**
   * Answers inbound messages whose turn never completed (a crash, a frozen instance, a failed turn) once the claim
   * on them has lapsed: one query finds a batch, oldest first; each conversation's turns run in order through the
   * same queue as new messages. Only one instance wins each takeover (a claim by insert), and the replies keep the
   * keys of the first run, so nothing is answered twice. Run it at start and periodically.
   */
  async recoverPending(now: Date = this.deps.clock.now(), signal?: AbortSignal): Promise<RecoveryCounts> {
    const due = (await this.deps.messages.turns.due(now, RECOVERY_BATCH)).filter((turn) => !this.queued.has(turn.messageId));
    const counts: RecoveryCounts = { due: due.length, answered: 0, skipped: 0, held: 0, failed: 0 };
    const byConversation = new Map<string, PendingTurn[]>();
    for (const turn of due) {
      const key = conversationKey(turn.channel, turn.address);
      byConversation.set(key, [...(byConversation.get(key) ?? []), turn]);
    }
    const conversations = [...byConversation.values()];
    const worker = async () => {
      // A stopping process starts no further conversation (what is left stays pending for the next sweep).
      for (let turns = conversations.shift(); turns && !signal?.aborted; turns = conversations.shift()) {
        for (const turn of turns) {
          const outcome = await this.runInbound(recordedFrom(turn), { resolvePatient: true }).catch((err: unknown) => {
            this.deps.logger.error({ err, messageId: turn.messageId, channel: turn.channel }, 'recovered turn failed; it stays pending');
            return 'failed' as const;
          });
          counts[outcome] += 1;
          // Later messages of the conversation wait: for the instance answering this one, or for this one's next run.
          if (outcome === 'held' || outcome === 'failed') break;
        }
      }
    };
    await Promise.all(Array.from({ length: RECOVERY_CONCURRENCY }, worker));
    return counts;
  }

  private runInbound(inbound: RecordedInbound, options: { resolvePatient?: boolean } = {}): Promise<TurnOutcome> {
    const adapter = this.deps.adapters[inbound.channel];
    this.queued.add(inbound.messageId);
    const outcome = this.enqueue(conversationKey(inbound.channel, inbound.address), () => this.runClaimed(inbound, async () => {
      if (options.resolvePatient) inbound.patient = await this.resolvePatient(inbound);
      const identity: TurnIdentity = { channel: inbound.channel, address: inbound.address, patient: inbound.patient, messageId: inbound.messageId };
      await adapter.runTurn(toActivity(inbound, this.deps.clock.now()), identity, { idempotencyPrefix: `reply:${inbound.messageId}`, kind: 'reply' }, (context) => this.deps.bot.run(context));
    }));
    void outcome.finally(() => this.queued.delete(inbound.messageId)).catch(() => undefined);
    return outcome;
  }

  /** Runs the turn if this process holds its claim (or can take it over), then marks it answered. */
  private async runClaimed(inbound: RecordedInbound, turn: () => Promise<void>): Promise<TurnOutcome> {
    const claim = await this.claim(inbound);
    if (typeof claim !== 'number') return claim;
    await turn();
    await this.deps.messages.update(inbound.messageId, { answeredAt: this.deps.clock.now() });
    await this.closeTurn(inbound.messageId, claim);
    return 'answered';
  }

  private async claim(inbound: RecordedInbound): Promise<number | Exclude<TurnOutcome, 'answered'>> {
    const { messages, clock } = this.deps;
    const now = clock.now();
    if (inbound.claim !== undefined && inbound.leaseUntil && inbound.leaseUntil > now) return inbound.claim;
    const pending = await messages.turns.get(inbound.messageId);
    if (!pending) return 'skipped'; // answered meanwhile
    if (pending.leaseUntil > now) return 'held';
    const leaseUntil = new Date(now.getTime() + this.turnLeaseMs);
    const claim = await messages.claims.take(turnClaimKey(inbound.messageId), pending.claim + 1, MAX_TURN_CLAIMS, now, leaseUntil);
    if (claim === 'held') return 'held';
    if (claim === 'exhausted') {
      this.deps.logger.error({ messageId: inbound.messageId, channel: inbound.channel, runs: pending.claim }, 'inbound message left unanswered: its turn failed every time');
      await messages.update(inbound.messageId, { errorCode: 'turn_failed' });
      await this.closeTurn(inbound.messageId, MAX_TURN_CLAIMS);
      return 'failed';
    }
    await messages.turns.claimed(inbound.messageId, claim, leaseUntil);
    Object.assign(inbound, { claim, leaseUntil }); // a run again after a state race keeps it
    // Taken over from a process that died after the turn (answered, not closed) or before the message was stored.
    const stored = await messages.get(inbound.messageId);
    if (stored?.answeredAt) {
      await this.closeTurn(inbound.messageId, claim);
      return 'skipped';
    }
    if (!stored) await messages.insert(inboundRecord(inbound.messageId, inbound, inbound.patient, now));
    return claim;
  }

  private async closeTurn(messageId: string, lastClaim: number): Promise<void> {
    await this.deps.messages.turns.close(messageId);
    await this.deps.messages.claims.release(turnClaimKey(messageId), 1, lastClaim);
  }

  /**
   * Runs a turn of the conversation `key` (see `conversationKey`) after every earlier one, inbound or proactive.
   * A turn that lost a state race to another process (eTag conflict) runs again on fresh state, up to 3 times.
   */
  enqueue<T>(key: string, turn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const result = previous.then(() => this.runWithRetry(key, turn));
    const settled = result.then(() => undefined, () => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return result;
  }

  /** Waits for every turn in flight (shutdown). */
  async drain(): Promise<void> {
    await Promise.all(this.queues.values());
  }

  private async runWithRetry<T>(key: string, turn: () => Promise<T>): Promise<T> {
    const channel = key.slice(0, key.indexOf(':'));
    for (let attempt = 1; ; attempt++) {
      try {
        return await turn();
      } catch (err) {
        if (!(err instanceof ETagConflictError) || attempt >= MAX_TURN_ATTEMPTS) throw new Error(`running the ${channel} turn`, { cause: err });
        this.deps.logger.warn({ channel, attempt }, 'conversation state changed during the turn; running it again');
      }
    }
  }

  private async resolvePatient(input: InboundMessage): Promise<Patient | undefined> {
    if (input.channel === 'sms') return this.deps.patients.findByPhone(input.address);
    if (!input.linkedPatientId) return undefined;
    const patient = await this.deps.patients.get(input.linkedPatientId);
    return patient?.active ? patient : undefined;
  }
}

const turnClaimKey = (messageId: string) => `turn:${messageId}`;

function inboundRecord(messageId: string, input: InboundMessage, patient: Patient | undefined, now: Date): Message {
  return {
    id: messageId, direction: 'inbound', channel: input.channel, address: input.address, patientId: patient?.id,
    text: input.text, media: input.media, status: 'received', statusRank: statusRank('received'), createdAt: now, updatedAt: now,
  };
}

function recordedFrom(turn: PendingTurn): RecordedInbound {
  const { messageId, channel, address, providerMessageId, text, media, linkedPatientId } = turn;
  return { messageId, channel, address, providerMessageId, text, media, ...(linkedPatientId && { linkedPatientId }) };
}

function toActivity(inbound: RecordedInbound, now: Date): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    id: inbound.messageId,
    channelId: inbound.channel,
    serviceUrl: `careloop://${inbound.channel}`,
    from: { id: inbound.address, name: '', role: 'user' },
    recipient: { id: 'careloop', name: 'CareLoop', role: 'bot' },
    conversation: { id: `${inbound.channel}:${inbound.address}`, name: '', isGroup: false, conversationType: 'personal' },
    text: inbound.text,
    attachments: inbound.media.map((media) => ({ contentType: media.contentType, contentUrl: media.url })),
    timestamp: now,
  };
}
