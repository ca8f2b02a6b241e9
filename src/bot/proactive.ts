import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Purpose } from '../domain/consent/consent.js';
import type { SendOutcome } from '../domain/messaging/gateway.js';
import type { ChannelAddressBook, PatientRepository } from '../domain/patients/ports.js';
import type { TurnIdentity } from '../domain/safety/service.js';
import type { Clock } from '../lib/clock.js';
import type { GatewayAdapter } from './adapter.js';
import type { CareLoopBot, ProactiveBegin } from './bot.js';
import { conversationKey, type ConversationRuntime } from './runtime.js';

type ProactiveChannel = 'sms' | 'webchat';

/** Whom a proactive message goes to, why, and the key that makes a repeat harmless. */
export interface ProactiveTarget {
  patientId: string;
  channel: ProactiveChannel;
  purpose: Purpose;
  /** The same key never sends twice (a job's own key); each message of the turn is `<key>:<n>`. */
  idempotencyKey: string;
}

/**
 * `no_address`: the patient has never used this channel, so there is nowhere to write. `busy`: the patient is in
 * the middle of another flow; nothing was sent, try again later.
 */
export type ProactiveOutcome = SendOutcome | { status: 'no_address' } | { status: 'busy' };

/** Sent means the gateway let it out (or had already, under the same key): not refused, not failed. */
const wentOut = (outcome: SendOutcome) => outcome.status !== 'blocked' && outcome.status !== 'failed';

/**
 * Messages CareLoop starts (reminders, check-ins, education drips from schedules). SMS goes to the enrolled
 * number; web chat to where the patient last wrote. They run as turns of the patient's conversation, in the
 * same per-conversation queue as inbound turns, and go through the same adapter and gateway as replies, as
 * `proactive`: consent for the purpose, opt-out and quiet hours are checked there.
 */
export class ProactiveMessenger {
  constructor(
    private readonly deps: {
      patients: PatientRepository;
      addresses: ChannelAddressBook;
      adapters: Record<ProactiveChannel, GatewayAdapter>;
      bot: CareLoopBot;
      runtime: ConversationRuntime;
      clock: Clock;
    },
  ) {}

  /** Sends one message; it does not change the conversation (a reply goes wherever the patient was). */
  async send(input: ProactiveTarget & { text: string }): Promise<SendOutcome | { status: 'no_address' }> {
    const turn = await this.runTurn(input, async (context) => {
      await context.sendActivity({ type: ActivityTypes.Message, text: input.text });
    });
    if (turn === 'no_address') return { status: 'no_address' };
    const outcome = turn.outcomes[0];
    if (!outcome) throw new Error('the proactive turn sent nothing');
    return outcome;
  }

  /**
   * Begins a dialog registered with the bot (e.g. a check-in question) with `options`; its first step asks, and the
   * patient's reply is read in that dialog, after the safety interrupts. The dialog is begun only when its
   * question went out: a refusal (quiet hours, no consent, opted out) or failure leaves the conversation as it was.
   */
  async begin(input: ProactiveTarget & { dialogId: string; options?: object }): Promise<ProactiveOutcome> {
    if (!this.deps.bot.hasDialog(input.dialogId)) throw new Error(`no proactive dialog "${input.dialogId}" is registered with the bot`);
    const adapter = this.deps.adapters[input.channel];
    let begun = 'not_sent' as ProactiveBegin;
    const turn = await this.runTurn(input, async (context) => {
      begun = await this.deps.bot.beginProactive(context, input.dialogId, input.options, () => {
        const outcomes = adapter.outcomesOf(context);
        return outcomes.length > 0 && outcomes.every(wentOut);
      });
    });
    if (turn === 'no_address') return { status: 'no_address' };
    if (begun === 'busy') return { status: 'busy' };
    const outcome = turn.outcomes.find((sent) => !wentOut(sent)) ?? turn.outcomes[0];
    if (!outcome) throw new Error(`the proactive dialog "${input.dialogId}" asked nothing when it began`);
    return outcome;
  }

  /** One proactive turn in the patient's conversation queue; its errors reach the caller (nothing is said to the patient). */
  private async runTurn(input: ProactiveTarget, logic: (context: TurnContext) => Promise<void>): Promise<{ outcomes: SendOutcome[] } | 'no_address'> {
    const patient = await this.deps.patients.get(input.patientId);
    if (!patient) throw new Error('proactive message for an unknown patient');
    const address = input.channel === 'sms' ? patient.phone : await this.deps.addresses.get(input.patientId, input.channel);
    if (!address) return 'no_address';

    const adapter = this.deps.adapters[input.channel];
    const identity: TurnIdentity = { channel: input.channel, address, patient, messageId: input.idempotencyKey };
    const outbound = { idempotencyPrefix: input.idempotencyKey, kind: 'proactive', purpose: input.purpose } as const;
    return this.deps.runtime.enqueue(conversationKey(input.channel, address), async () => {
      const activity = {
        type: ActivityTypes.Event, name: 'careloop.proactive', channelId: input.channel, timestamp: this.deps.clock.now(),
        conversation: { id: conversationKey(input.channel, address), isGroup: false, conversationType: 'personal', name: '' },
      };
      // The adapter's turn-error handler would apologise to the patient: a turn they did not start fails to the caller.
      let failure: unknown;
      const outcomes = await adapter.runTurn(activity, identity, outbound, (context) => logic(context).catch((err: unknown) => void (failure = err)));
      if (failure) throw failure;
      return { outcomes };
    });
  }
}
