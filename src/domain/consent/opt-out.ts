/**
 * The one opt-out path. Whatever way a patient says "no more messages" (STOP or a synonym, a plain-language
 * request such as "please stop texting me", or the carrier's own block, Twilio error 21610), the same two
 * things happen, in this order: the address is marked opted out (what the outbound gateway checks before
 * every send), then the patient's consent for that channel is revoked, recording how it was revoked.
 * START reverses both through the same path.
 */
import type { Clock } from '../../lib/clock.js';
import type { ContactDirectory } from '../messaging/ports.js';
import type { MessageChannel } from '../messaging/types.js';
import { CHANNELS, type Channel } from './consent.js';

/**
 * How the patient's word reached us; recorded as the consent source `<channel>:<how>`.
 * `keyword`: STOP / START and their synonyms. `request`: a plain-language request ("unsubscribe me").
 * `carrier`: the carrier blocked the number (Twilio 21610).
 */
export type OptOutHow = 'keyword' | 'request' | 'carrier';

/** The address that opted out or back in; `patientId` when the caller knows it (looked up otherwise). */
export interface OptOutTarget {
  channel: MessageChannel;
  address: string;
  patientId?: string;
}

/** What the opt-out path needs from patients: their per-channel consent (PatientService implements it). */
export interface ChannelConsentRecorder {
  recordChannelConsent(patientId: string, channel: Channel, granted: boolean, source: string): Promise<void>;
}

/** What the outbound gateway and the channels call when a patient opts out. */
export interface OptOutRecorder {
  optOut(target: OptOutTarget, how: OptOutHow): Promise<void>;
}

/** Records opt-outs and opt-ins for every channel and every way of asking. */
export class OptOutService implements OptOutRecorder {
  constructor(private readonly deps: { contacts: ContactDirectory; patients: ChannelConsentRecorder; clock: Clock }) {}

  /** Stops every message to the address (but the one confirmation) and revokes the patient's channel consent. */
  async optOut(target: OptOutTarget, how: OptOutHow): Promise<void> {
    await this.set(target, false, how);
  }

  /** Lifts the address's opt-out and grants the channel again (START, UNSTOP, YES after an opt-out). */
  async optIn(target: OptOutTarget, how: Exclude<OptOutHow, 'carrier'>): Promise<void> {
    await this.set(target, true, how);
  }

  /**
   * Whether the opt-out request `messageId` is the one to confirm: the first since the address last opted in.
   * STOP sent again while opted out is recorded and answered with nothing (CTIA: one confirmation per opt-out).
   */
  claimConfirmation(target: OptOutTarget, messageId: string): Promise<boolean> {
    return this.deps.contacts.claimOptOutConfirmation(target.channel, target.address, messageId);
  }

  /** Whether the address has opted out: YES means opt-in only for such an address. */
  isOptedOut(channel: MessageChannel, address: string): Promise<boolean> {
    return this.deps.contacts.isOptedOut(channel, address);
  }

  private async set(target: OptOutTarget, subscribed: boolean, how: OptOutHow): Promise<void> {
    const { channel, address } = target;
    const verb = subscribed ? 'opt-in' : 'opt-out';
    try {
      // The address first: it is what every send checks, and it works for numbers we do not know.
      await this.deps.contacts.setOptedOut(channel, address, !subscribed, this.deps.clock.now());
      if (!isConsentChannel(channel)) return;
      const patientId = target.patientId ?? (await this.deps.contacts.get(channel, address))?.patientId;
      if (patientId) await this.deps.patients.recordChannelConsent(patientId, channel, subscribed, `${channel}:${how}`);
    } catch (err) {
      throw new Error(`recording a ${how} ${verb} on ${channel}`, { cause: err });
    }
  }
}

/** Consent is kept per patient for the channels CareLoop reaches patients on itself (not Teams). */
function isConsentChannel(channel: MessageChannel): channel is Channel {
  return (CHANNELS as readonly string[]).includes(channel);
}
