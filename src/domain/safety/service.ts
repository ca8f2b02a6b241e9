import type { AlertRepository } from '../alerts/alerts.js';
import type { ContactDirectory } from '../messaging/ports.js';
import type { MessageChannel } from '../messaging/types.js';
import type { Patient } from '../patients/ports.js';
import type { PatientService } from '../patients/service.js';
import type { Clock } from '../../lib/clock.js';
import { detectEmergency, type EmergencyMatch } from './emergency.js';
import { detectHandoffRequest, detectOptKeyword } from './keywords.js';

/** Who wrote, on which channel: what the interrupts need to know about a turn. */
export interface TurnIdentity {
  channel: MessageChannel;
  address: string;
  patient?: Patient;
  /** The inbound message, for idempotent alerts. */
  messageId: string;
}

/** An interrupt took the turn: these replies go out, and the dialog stack ends when `endDialogs`. */
export interface SafetyOutcome {
  kind: 'emergency' | 'stop' | 'start' | 'help' | 'handoff';
  replies: { text: string; optOutConfirmation?: boolean }[];
  endDialogs: boolean;
}

export interface SafetySettings {
  clinicName: string;
  clinicPhone?: string;
  emergencyNumber: string;
  crisisLine: string;
}

/**
 * The interrupts that run before any dialog step, on every channel, in this order: emergency words (they win
 * over everything), STOP / START / HELP, and a request for a person. Deterministic rules only: a language
 * model never decides here.
 */
export class SafetyService {
  constructor(
    private readonly deps: { contacts: ContactDirectory; patients: PatientService; alerts: AlertRepository; clock: Clock; settings: SafetySettings },
  ) {}

  async check(text: string, who: TurnIdentity): Promise<SafetyOutcome | undefined> {
    const emergency = detectEmergency(text);
    if (emergency) return this.emergency(emergency, who);
    const keyword = detectOptKeyword(text);
    if (keyword === 'stop') return this.stop(who);
    if (keyword === 'start') {
      // YES opts back in only someone who opted out; for anyone else it answers the current question.
      const saidYes = /^\s*yes\W*$/i.test(text);
      if (!saidYes || (await this.deps.contacts.isOptedOut(who.channel, who.address))) return this.start(who);
    }
    if (keyword === 'help') return { kind: 'help', replies: [{ text: this.helpText() }], endDialogs: false };
    if (detectHandoffRequest(text)) return this.handoff(who);
    return undefined;
  }

  private async emergency(match: EmergencyMatch, who: TurnIdentity): Promise<SafetyOutcome> {
    const { emergencyNumber, crisisLine } = this.deps.settings;
    await this.raise(who, 'emergency', 'critical', `emergency:${match.kind} "${match.phrase}"`);
    const crisis = match.kind === 'suicide' || match.kind === 'self_harm';
    const first = crisis
      ? `Your safety matters. Please call or text ${crisisLine} now to talk with someone (Suicide & Crisis Lifeline, any time). If you might act on these thoughts or are in danger, call ${emergencyNumber} now.`
      : `This may be an emergency. Call ${emergencyNumber} now or go to the nearest emergency department. Do not wait for a reply here.`;
    const second = who.patient
      ? 'We have alerted your care team, but do not wait for them.'
      : `This number is not linked to a care team, so no one here has been alerted. Please call ${emergencyNumber}.`;
    return { kind: 'emergency', replies: [{ text: first }, { text: second }], endDialogs: true };
  }

  private async stop(who: TurnIdentity): Promise<SafetyOutcome> {
    await this.setSubscribed(who, false);
    const text = `You are unsubscribed from ${this.deps.settings.clinicName} messages and will get no more. Reply START to subscribe again.`;
    return { kind: 'stop', replies: [{ text, optOutConfirmation: true }], endDialogs: true };
  }

  private async start(who: TurnIdentity): Promise<SafetyOutcome> {
    await this.setSubscribed(who, true);
    const text = `You are subscribed to ${this.deps.settings.clinicName} messages again. Reply HELP for help, STOP to unsubscribe.`;
    return { kind: 'start', replies: [{ text }], endDialogs: true };
  }

  /** The address's opt-out, and the patient's consent for the channel, recorded as the patient's own word. */
  private async setSubscribed(who: TurnIdentity, subscribed: boolean): Promise<void> {
    await this.deps.contacts.setOptedOut(who.channel, who.address, !subscribed, this.deps.clock.now());
    if (who.patient && who.channel !== 'botframework') {
      await this.deps.patients.recordChannelConsent(who.patient.id, who.channel, subscribed, `${who.channel}:keyword`);
    }
  }

  private async handoff(who: TurnIdentity): Promise<SafetyOutcome> {
    const { clinicName, clinicPhone, emergencyNumber } = this.deps.settings;
    if (!who.patient) {
      const contact = clinicPhone ? ` at ${clinicPhone}` : '';
      const text = `This number is not linked to a patient record, so I cannot pass your message to a care team. Please contact ${clinicName}${contact}. In an emergency call ${emergencyNumber}.`;
      return { kind: 'handoff', replies: [{ text }], endDialogs: true };
    }
    await this.raise(who, 'handoff', 'high', 'patient asked for a person');
    const sooner = clinicPhone ? ` If it cannot wait, call ${clinicPhone}.` : '';
    const text = `I have asked your care team to contact you.${sooner} In an emergency call ${emergencyNumber}.`;
    return { kind: 'handoff', replies: [{ text }], endDialogs: true };
  }

  private helpText(): string {
    const { clinicName, clinicPhone, emergencyNumber } = this.deps.settings;
    const person = clinicPhone ? `call ${clinicPhone} or reply AGENT` : 'reply AGENT';
    return `${clinicName}: messages about your care. To reach a person, ${person}. Emergency: call ${emergencyNumber}. Reply STOP to unsubscribe. Msg & data rates may apply.`;
  }

  private async raise(who: TurnIdentity, kind: 'emergency' | 'handoff', severity: 'critical' | 'high', reason: string): Promise<void> {
    await this.deps.alerts.raise({
      kind, severity, reason, channel: who.channel, address: who.address, messageId: who.messageId,
      patientId: who.patient?.id, careTeamId: who.patient?.careTeamId,
    });
  }
}
