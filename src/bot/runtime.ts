import { ActivityTypes, type Activity } from 'botbuilder';
import type { MessageLog } from '../domain/messaging/ports.js';
import { statusRank } from '../domain/messaging/status.js';
import type { MediaRef, MessageChannel } from '../domain/messaging/types.js';
import type { Patient, PatientRepository } from '../domain/patients/ports.js';
import type { TurnIdentity } from '../domain/safety/service.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { GatewayAdapter } from './adapter.js';
import type { CareLoopBot } from './bot.js';
import type { ProactiveMessenger } from './proactive.js';
import { ETagConflictError } from './storage.js';

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
}

const MAX_TURN_ATTEMPTS = 3;

/**
 * Takes inbound messages from every CareLoop-served channel: records each one once (nothing a patient said
 * is lost, a replayed webhook is a no-op), then runs its bot turn. Turns of one conversation run one at a
 * time in this process; across processes the state's eTag detects a race and the turn runs again on fresh
 * state (its replies keep their idempotency keys, so nothing is sent twice).
 */
export class ConversationRuntime {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: {
      messages: MessageLog;
      patients: PatientRepository;
      bot: CareLoopBot;
      proactive: ProactiveMessenger;
      adapters: Record<InboundMessage['channel'], GatewayAdapter>;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /** Records the message; undefined when it was already recorded (a retried or replayed delivery). */
  async record(input: InboundMessage): Promise<RecordedInbound | undefined> {
    const patient = await this.resolvePatient(input);
    const messageId = `${input.channel}:${input.providerMessageId}`;
    const now = this.deps.clock.now();
    const inserted = await this.deps.messages.insert({
      id: messageId, direction: 'inbound', channel: input.channel, address: input.address, patientId: patient?.id,
      text: input.text, media: input.media, status: 'received', statusRank: statusRank('received'), createdAt: now, updatedAt: now,
    });
    if (!inserted) return undefined;
    // SMS needs no stored reference: the enrolled number is the address. Web chat does.
    if (patient && input.channel === 'webchat') await this.deps.proactive.remember(patient.id, input.channel, input.address);
    return { ...input, messageId, patient };
  }

  /** Runs the bot turn for a recorded message, after any earlier turn of the same conversation. */
  process(inbound: RecordedInbound): Promise<void> {
    const key = `${inbound.channel}:${inbound.address}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const turn = previous.then(() => this.runWithRetry(inbound));
    const settled = turn.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return turn;
  }

  /** Waits for every turn in flight (shutdown). */
  async drain(): Promise<void> {
    await Promise.all(this.queues.values());
  }

  private async runWithRetry(inbound: RecordedInbound): Promise<void> {
    const identity: TurnIdentity = { channel: inbound.channel, address: inbound.address, patient: inbound.patient, messageId: inbound.messageId };
    const adapter = this.deps.adapters[inbound.channel];
    for (let attempt = 1; ; attempt++) {
      try {
        await adapter.runTurn(toActivity(inbound, this.deps.clock.now()), identity, { idempotencyPrefix: `reply:${inbound.messageId}`, kind: 'reply' }, (context) => this.deps.bot.run(context));
        return;
      } catch (err) {
        if (!(err instanceof ETagConflictError) || attempt >= MAX_TURN_ATTEMPTS) throw new Error(`running the ${inbound.channel} turn`, { cause: err });
        this.deps.logger.warn({ channel: inbound.channel, attempt }, 'conversation state changed during the turn; running it again');
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
