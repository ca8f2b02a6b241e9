import type { AlertRaiser } from '../alerts/service.js';
import type { OptOutHow, OptOutService } from '../consent/opt-out.js';
import type { MessageChannel } from '../messaging/types.js';
import type { Patient } from '../patients/ports.js';
import { crisisReplies, screenIntro, screenReplies } from './crisis-replies.js';
import { crisisLanguage } from './crisis-lexicon.js';
import type { ScreenResult } from './crisis-screen.js';
import { assessCrisis, type CrisisMatch } from './crisis.js';
import { detectEmergencies, type EmergencyMatch } from './emergency.js';
import { detectHandoffRequest, detectOptKeyword } from './keywords.js';
import { detectOptOutRequest } from './opt-out-request.js';

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
  /**
   * `partial_opt_out`: "stop the reminders for my inhaler" asks to stop only some messages; no one is opted out.
   * `crisis`: suicide or self-harm risk now (crisis line and emergency number). `screen`: a passive wish to die;
   * the dialog layer ends the current flow and begins the crisis screener (dialogs/crisis-screen-dialog.ts).
   */
  kind: 'emergency' | 'crisis' | 'screen' | 'stop' | 'partial_opt_out' | 'start' | 'help' | 'handoff';
  /**
   * `urgent`: emergency or crisis instructions, which no reply cap may hold back. `optOutConfirmation`: the one
   * message allowed after STOP; a STOP while already opted out gets no reply at all.
   */
  replies: { text: string; urgent?: boolean; optOutConfirmation?: boolean }[];
  endDialogs: boolean;
}

export interface SafetySettings {
  clinicName: string;
  clinicPhone?: string;
  emergencyNumber: string;
  crisisLine: string;
}

/**
 * The interrupts that run before any dialog step, on every channel, in this order: suicide and self-harm risk
 * (crisis.ts: the crisis reply now, or the screener for a passive wish), emergency words, STOP / START / HELP, a plain-language opt-out ("please stop texting me"), and a request
 * for a person. Deterministic rules only: a language model never decides here.
 */
export class SafetyService {
  constructor(
    private readonly deps: { optOuts: OptOutService; alerts: AlertRaiser; settings: SafetySettings },
  ) {
    // Load and check the crisis lexicon now: a broken file stops the start, not a patient's first message.
    crisisLanguage();
  }

  /**
   * The interrupt for this message, if any. `screening`: the crisis screener is running, so a passive wish to
   * die is an answer to its question, not a reason to start it again.
   */
  async check(text: string, who: TurnIdentity, options: { screening?: boolean } = {}): Promise<SafetyOutcome | undefined> {
    // Crisis first: a question about a lethal dose must get the crisis line, never the dosing answer.
    const { match: crisis, dismissed } = assessCrisis(text);
    if (crisis?.level === 'active') return this.crisis(crisis, who);
    // Suicide wording the crisis detector has read (a passive wish, "i'm not suicidal", a question about warning
    // signs) is its decision: the emergency detector's own suicide rules only cover wording it did not read,
    // such as Spanish. Its other kinds ("i want to die and i can't breathe") still win.
    const decided = crisis !== undefined || dismissed;
    const emergency = detectEmergencies(text).find((match) => !(decided && EMERGENCY_CRISIS_KINDS.has(match.kind)));
    if (emergency) return this.emergency(emergency, who);
    if (crisis && !options.screening) return { kind: 'screen', replies: [{ text: screenIntro(this.deps.settings), urgent: true }], endDialogs: true };
    const keyword = detectOptKeyword(text);
    if (keyword === 'stop') return this.stop(who, 'keyword');
    if (keyword === 'start') {
      // YES opts back in only someone who opted out; for anyone else it answers the current question.
      const saidYes = /^\s*yes\W*$/i.test(text);
      if (!saidYes || (await this.deps.optOuts.isOptedOut(who.channel, who.address))) return this.start(who);
    }
    if (keyword === 'help') return { kind: 'help', replies: [{ text: this.helpText() }], endDialogs: false };
    // The FCC's "any reasonable means": a plain-language request opts out like STOP (it wins over "and call me").
    const request = detectOptOutRequest(text);
    if (request === 'opt_out') return this.stop(who, 'request');
    if (request === 'partial') return this.partialOptOut(who);
    if (detectHandoffRequest(text)) return this.handoff(who);
    return undefined;
  }

  /**
   * Suicide or self-harm risk now: the crisis line and the emergency number, and a critical alert. Also the
   * reply to an acute screen and to the emergency detector's suicide words (e.g. the Spanish ones).
   */
  private async crisis(match: CrisisMatch, who: TurnIdentity, reason = `crisis:${match.kind} "${match.evidence}"`): Promise<SafetyOutcome> {
    await this.raise(who, 'emergency', 'critical', reason, { category: match.kind === 'self_harm_in_progress' ? 'self_harm' : 'suicide' });
    const replies = crisisReplies(match.kind, Boolean(who.patient), this.deps.settings);
    return { kind: 'crisis', replies: replies.map((text) => ({ text, urgent: true })), endDialogs: true };
  }

  /**
   * The end of the crisis screener: an acute screen is a crisis (critical alert); a non-acute positive asks the
   * care team to call today (high alert); a negative screen gets support and the crisis line. The replies to send.
   */
  async screenResult(result: ScreenResult, who: TurnIdentity): Promise<string[]> {
    if (result === 'acute') await this.raise(who, 'emergency', 'critical', 'crisis_screen:acute', { category: 'suicide' });
    // 'triage' until alerts have a kind of their own for screens: the reason says which screen and what it found.
    if (result === 'non_acute_positive') await this.raise(who, 'triage', 'high', 'crisis_screen:positive_non_acute', { level: 'urgent', rule: 'crisis_screen' });
    return screenReplies(result, Boolean(who.patient), this.deps.settings);
  }

  private async emergency(match: EmergencyMatch, who: TurnIdentity): Promise<SafetyOutcome> {
    const { emergencyNumber } = this.deps.settings;
    if (EMERGENCY_CRISIS_KINDS.has(match.kind)) {
      const kind = match.kind === 'self_harm' ? 'self_harm_in_progress' : 'ideation';
      return this.crisis({ level: 'active', kind, evidence: match.phrase }, who, `emergency:${match.kind} "${match.phrase}"`);
    }
    await this.raise(who, 'emergency', 'critical', `emergency:${match.kind} "${match.phrase}"`, { category: match.kind });
    const first = `This may be an emergency. Call ${emergencyNumber} now or go to the nearest emergency department. Do not wait for a reply here.`;
    // The reason rides in the first message: two texts, as before, and the patient sees why before anything else.
    const why = match.because ? ` Why: ${match.because.replaceAll('{EMERGENCY_NUMBER}', emergencyNumber)}` : '';
    const second = who.patient
      ? 'We have alerted your care team, but do not wait for them.'
      : `This number is not linked to a care team, so no one here has been alerted. Please call ${emergencyNumber}.`;
    return { kind: 'emergency', replies: [{ text: `${first}${why}`, urgent: true }, { text: second, urgent: true }], endDialogs: true };
  }

  /** Opts out; only the first opt-out message since the last opt-in is confirmed (CTIA: one confirmation). */
  private async stop(who: TurnIdentity, how: OptOutHow): Promise<SafetyOutcome> {
    await this.deps.optOuts.optOut(target(who), how);
    if (!(await this.deps.optOuts.claimConfirmation(target(who), who.messageId))) return { kind: 'stop', replies: [], endDialogs: true };
    const text = `You are unsubscribed from ${this.deps.settings.clinicName} messages and will get no more. Reply START to subscribe again.`;
    return { kind: 'stop', replies: [{ text, optOutConfirmation: true }], endDialogs: true };
  }

  private async start(who: TurnIdentity): Promise<SafetyOutcome> {
    await this.deps.optOuts.optIn(target(who), 'keyword');
    const text = `You are subscribed to ${this.deps.settings.clinicName} messages again. Reply HELP for help, STOP to unsubscribe.`;
    return { kind: 'start', replies: [{ text }], endDialogs: true };
  }

  /**
   * Stopping only some messages, or at some times, is a change a person makes: the patient is told how to
   * stop everything and the care team is asked to make the change. The question the patient was answering stays open.
   */
  private async partialOptOut(who: TurnIdentity): Promise<SafetyOutcome> {
    const { clinicName, clinicPhone } = this.deps.settings;
    const stopAll = `To stop all messages from ${clinicName}, reply STOP.`;
    if (!who.patient) {
      const contact = clinicPhone ? ` To change only some of them, call ${clinicPhone}.` : '';
      return { kind: 'partial_opt_out', replies: [{ text: `${stopAll}${contact}` }], endDialogs: false };
    }
    await this.raise(who, 'handoff', 'normal', 'patient asked to change which messages they get, or when');
    const text = `${stopAll} I have asked your care team to contact you about changing which messages you get, or when.`;
    return { kind: 'partial_opt_out', replies: [{ text }], endDialogs: false };
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

  private async raise(who: TurnIdentity, kind: 'emergency' | 'handoff' | 'triage', severity: 'critical' | 'high' | 'normal', reason: string, facts: Record<string, string> = {}): Promise<void> {
    await this.deps.alerts.raise({
      kind, severity, reason, idempotencyKey: who.messageId, source: { channel: who.channel, address: who.address, messageId: who.messageId },
      patientId: who.patient?.id, careTeamId: who.patient?.careTeamId, facts,
    });
  }
}

/** The emergency detector's kinds that the crisis detector answers for (crisis.ts). */
const EMERGENCY_CRISIS_KINDS: ReadonlySet<string> = new Set(['suicide', 'self_harm']);

/** The address a turn came from, as the opt-out path wants it. */
const target = (who: TurnIdentity) => ({ channel: who.channel, address: who.address, patientId: who.patient?.id });
