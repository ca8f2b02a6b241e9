import { ActivityTypes } from 'botbuilder';
import type { Purpose } from '../domain/consent/consent.js';
import type { SendOutcome } from '../domain/messaging/gateway.js';
import type { PatientRepository } from '../domain/patients/ports.js';
import { upsertById } from '../store/duplicate.js';
import type { Models } from '../store/models.js';
import type { GatewayAdapter } from './adapter.js';

type ProactiveChannel = 'sms' | 'webchat';

/** Where a patient was last reached on a channel, enough to write to them first. */
interface StoredReference {
  address: string;
}

/**
 * Messages CareLoop starts (reminders, check-ins, education drips from schedules). They use the conversation
 * reference stored when the patient last wrote on that channel (for SMS, the enrolled phone number will do),
 * and go through the same adapter and gateway as replies, as `proactive`: consent for the purpose, opt-out and
 * quiet hours are checked there.
 */
export class ProactiveMessenger {
  constructor(
    private readonly deps: { models: Models; patients: PatientRepository; adapters: Record<ProactiveChannel, GatewayAdapter> },
  ) {}

  /** Remembers where the patient can be reached (called on each inbound message of a known patient). */
  async remember(patientId: string, channel: ProactiveChannel, address: string): Promise<void> {
    const reference: StoredReference = { address };
    await upsertById(this.deps.models.ConversationRef, `${patientId}:${channel}`, { $set: { reference: JSON.stringify(reference) } });
  }

  /**
   * Sends one message; the same idempotency key never sends twice. Returns what the gateway did
   * (`no_address`: the patient has never used this channel, so there is nowhere to write).
   */
  async send(input: { patientId: string; channel: ProactiveChannel; text: string; purpose: Purpose; idempotencyKey: string }): Promise<SendOutcome | { status: 'no_address' }> {
    const patient = await this.deps.patients.get(input.patientId);
    if (!patient) throw new Error('proactive message for an unknown patient');
    const stored = await this.deps.models.ConversationRef.findById(`${input.patientId}:${input.channel}`).lean();
    const address = stored ? (JSON.parse(stored.reference) as StoredReference).address : input.channel === 'sms' ? patient.phone : undefined;
    if (!address) return { status: 'no_address' };

    const outcomes = await this.deps.adapters[input.channel].runTurn(
      { type: ActivityTypes.Event, name: 'careloop.proactive', channelId: input.channel, conversation: { id: `${input.channel}:${address}`, isGroup: false, conversationType: 'personal', name: '' } },
      { channel: input.channel, address, patient, messageId: input.idempotencyKey },
      { idempotencyPrefix: input.idempotencyKey, kind: 'proactive', purpose: input.purpose },
      async (context) => {
        await context.sendActivity({ type: ActivityTypes.Message, text: input.text });
      },
    );
    const outcome = outcomes[0];
    if (!outcome) throw new Error('the proactive turn sent nothing');
    return outcome;
  }
}
