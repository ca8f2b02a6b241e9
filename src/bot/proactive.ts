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
 * Messages CareLoop starts (reminders, check-ins, education drips from schedules). SMS goes to the enrolled
 * number; web chat uses the conversation reference stored when the patient last wrote there. Both
 * go through the same adapter and gateway as replies, as `proactive`: consent for the purpose, opt-out and
 * quiet hours are checked there.
 */
export class ProactiveMessenger {
  constructor(
    private readonly deps: { models: Models; patients: PatientRepository; adapters: Record<ProactiveChannel, GatewayAdapter> },
  ) {}

  private async storedAddress(patientId: string, channel: ProactiveChannel): Promise<string | undefined> {
    const stored = await this.deps.models.ConversationRef.findById(`${patientId}:${channel}`).lean();
    return stored ? (JSON.parse(stored.reference) as StoredReference).address : undefined;
  }

  /** Remembers where the patient can be reached on web chat (called on each of their web chat messages). */
  async remember(patientId: string, channel: 'webchat', address: string): Promise<void> {
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
    const address = input.channel === 'sms' ? patient.phone : await this.storedAddress(input.patientId, input.channel);
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
