import type { AlertRaiser } from '../alerts/service.js';
import type { TurnIdentity } from '../safety/service.js';
import { triage, type TriageResult } from '../triage/engine.js';
import { levelRank, type Findings, type FollowUpQuestion, type TriageLevel } from '../triage/types.js';
import type { FollowUpAnswer } from './answers.js';

/** Optional help from a language model: findings extracted from messy text into the same schema. */
export type FindingsExtractor = (text: string) => Promise<Findings | undefined>;

/** A follow-up question and what the patient answered. */
export interface AnsweredFollowUp {
  question: FollowUpQuestion;
  answer: FollowUpAnswer;
}

export interface SymptomSettings {
  emergencyNumber: string;
  crisisLine: string;
  clinicPhone?: string;
}

/**
 * Symptom checks: the deterministic triage engine decides. A configured model may add findings it extracted
 * from a long or messy message; the engine weighs both and the more severe result wins, so the model can
 * only raise a level, never lower one. Placeholders in the advice become this deployment's numbers.
 */
export class SymptomCheckService {
  constructor(private readonly deps: { alerts: AlertRaiser; settings: SymptomSettings; extractor?: FindingsExtractor }) {}

  async assess(input: { text: string; age?: number; sex?: 'female' | 'male' | 'other'; now?: Date }): Promise<TriageResult> {
    const rules = triage({ text: input.text, age: input.age, sex: input.sex, now: input.now });
    const extra = this.deps.extractor ? await this.deps.extractor(input.text).catch(() => undefined) : undefined;
    const withModel = extra ? triage({ text: input.text, age: input.age, sex: input.sex, now: input.now, extraFindings: extra }) : undefined;
    const result = withModel && levelRank(withModel.level) > levelRank(rules.level) ? withModel : rules;
    return this.localise(result);
  }

  /**
   * True when the message names something triage can work with: a symptom that is not denied, a temperature
   * or a home reading. Rules only (no model): it decides whether "ok thanks" starts a symptom check.
   */
  describesSymptoms(text: string): boolean {
    const { findings } = triage({ text });
    return findings.symptoms.some((symptom) => !symptom.negated) || findings.temperatureC !== undefined || Object.values(findings.readings).some((value) => value !== undefined);
  }

  /**
   * Applies the answers to follow-up questions: a yes (or an unsure answer) raises the level to what the
   * question says, never lowers it. A raised result speaks only for its new level: its advice is that
   * level's, without the lower level's tips, and its reason names the answer that raised it.
   */
  applyFollowUps(result: TriageResult, answers: AnsweredFollowUp[]): TriageResult {
    let raisedBy: AnsweredFollowUp | undefined;
    let level: TriageLevel = result.level;
    for (const answered of answers) {
      if (answered.answer === 'no' || levelRank(answered.question.raisesTo) <= levelRank(level)) continue;
      level = answered.question.raisesTo;
      raisedBy = answered;
    }
    if (!raisedBy) return result;
    const redFlags = level === 'emergency' ? [...result.redFlags, raisedBy.question.id] : result.redFlags;
    return {
      ...result,
      level,
      redFlags,
      rule: { ...result.rule, id: `${result.rule.id}+followup.${raisedBy.question.id}`, because: raisedBecause(raisedBy, level) },
      advice: [dispositionAdvice(level, this.deps.settings), ...companionAdvice(level, this.deps.settings)],
    };
  }

  /** Alerts the care team of an enrolled patient at urgent or emergency (once per message). */
  async raiseIfNeeded(result: TriageResult, who: TurnIdentity): Promise<boolean> {
    if (!who.patient || levelRank(result.level) < levelRank('urgent')) return false;
    const outcome = await this.deps.alerts.raise({
      kind: 'triage', severity: result.level === 'emergency' ? 'critical' : 'high', idempotencyKey: who.messageId,
      source: { channel: who.channel, address: who.address, messageId: who.messageId }, patientId: who.patient.id, careTeamId: who.patient.careTeamId,
      reason: `symptom check: ${result.level} (${result.rule.id}${result.redFlags.length ? `; ${result.redFlags.join(', ')}` : ''})`,
      facts: { level: result.level, rule: result.rule.id },
    });
    return outcome.raised;
  }

  private localise(result: TriageResult): TriageResult {
    const { emergencyNumber, crisisLine } = this.deps.settings;
    const fill = (text: string) => text.replaceAll('{EMERGENCY_NUMBER}', emergencyNumber).replaceAll('{CRISIS_LINE}', crisisLine);
    return { ...result, advice: result.advice.map(fill), followUps: result.followUps.map((f) => ({ ...f, question: fill(f.question) })) };
  }
}

const NEEDS: Record<TriageLevel, string> = {
  emergency: 'emergency care now',
  urgent: 'to be seen today',
  routine: 'a check in the next few days',
  self_care: 'care at home',
};

/** Why a follow-up answer raised the level, in words that agree with the new level. */
function raisedBecause({ question, answer }: AnsweredFollowUp, level: TriageLevel): string {
  const asked = `"${question.question}"`;
  return answer === 'unsure'
    ? `You were not sure about ${asked} To be safe, that counts as a yes, and a yes is a warning sign that needs ${NEEDS[level]}.`
    : `You answered yes to ${asked} That is a warning sign that needs ${NEEDS[level]}.`;
}

/** What goes with a level's instruction when an answer raised it (the lower level's advice no longer applies). */
function companionAdvice(level: TriageLevel, settings: SymptomSettings): string[] {
  switch (level) {
    case 'emergency':
      return ['If you are not the patient, stay with them until help arrives.'];
    case 'urgent':
      return [`If it gets worse before you are seen, call ${settings.emergencyNumber}.`];
    case 'routine':
      return [`Contact your care team sooner if it gets worse or new symptoms start. Call ${settings.emergencyNumber} in an emergency.`];
    case 'self_care':
      return [];
  }
}

/** The one line that says what to do, per level. */
export function dispositionAdvice(level: TriageLevel, settings: SymptomSettings): string {
  const team = settings.clinicPhone ? `your care team (${settings.clinicPhone})` : 'your care team';
  switch (level) {
    case 'emergency':
      return `This could be an emergency. Call ${settings.emergencyNumber} now or go to the nearest emergency department. Do not drive yourself.`;
    case 'urgent':
      return `You should be seen today. Call ${team} or go to urgent care today.`;
    case 'routine':
      return `Book an appointment with ${team} in the next few days.`;
    case 'self_care':
      return 'This sounds like something you can care for at home.';
  }
}
