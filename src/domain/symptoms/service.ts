import type { AlertRepository } from '../alerts/alerts.js';
import type { TurnIdentity } from '../safety/service.js';
import { triage, type TriageResult } from '../triage/engine.js';
import { levelRank, maxLevel, type Findings, type FollowUpQuestion, type TriageLevel } from '../triage/types.js';

/** Optional help from a language model: findings extracted from messy text into the same schema. */
export type FindingsExtractor = (text: string) => Promise<Findings | undefined>;

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
  constructor(private readonly deps: { alerts: AlertRepository; settings: SymptomSettings; extractor?: FindingsExtractor }) {}

  async assess(input: { text: string; age?: number; sex?: 'female' | 'male' | 'other'; now?: Date }): Promise<TriageResult> {
    const rules = triage({ text: input.text, age: input.age, sex: input.sex, now: input.now });
    const extra = this.deps.extractor ? await this.deps.extractor(input.text).catch(() => undefined) : undefined;
    const withModel = extra ? triage({ text: input.text, age: input.age, sex: input.sex, now: input.now, extraFindings: extra }) : undefined;
    const result = withModel && levelRank(withModel.level) > levelRank(rules.level) ? withModel : rules;
    return this.localise(result);
  }

  /** Applies the answers to follow-up questions: a "yes" raises the level to what the question says. */
  applyFollowUps(result: TriageResult, answers: { question: FollowUpQuestion; yes: boolean }[]): TriageResult {
    let level: TriageLevel = result.level;
    const redFlags = [...result.redFlags];
    for (const { question, yes } of answers) {
      if (!yes || levelRank(question.raisesTo) <= levelRank(level)) continue;
      level = maxLevel(level, question.raisesTo);
      redFlags.push(question.id);
    }
    if (level === result.level) return result;
    const raisedBy = answers.filter((a) => a.yes).map((a) => a.question.id).join(', ');
    return {
      ...result,
      level,
      redFlags,
      rule: { ...result.rule, id: `${result.rule.id}+followup`, because: `${result.rule.because} Raised by the answers to: ${raisedBy}.` },
      advice: [dispositionAdvice(level, this.deps.settings), ...result.advice.filter((line) => !line.includes(this.deps.settings.emergencyNumber))],
    };
  }

  /** Alerts the care team of an enrolled patient at urgent or emergency (once per message). */
  async raiseIfNeeded(result: TriageResult, who: TurnIdentity): Promise<boolean> {
    if (!who.patient || levelRank(result.level) < levelRank('urgent')) return false;
    return this.deps.alerts.raise({
      kind: 'triage', severity: result.level === 'emergency' ? 'critical' : 'high', channel: who.channel, address: who.address,
      messageId: who.messageId, patientId: who.patient.id, careTeamId: who.patient.careTeamId,
      reason: `symptom check: ${result.level} (${result.rule.id}${result.redFlags.length ? `; ${result.redFlags.join(', ')}` : ''})`,
    });
  }

  private localise(result: TriageResult): TriageResult {
    const { emergencyNumber, crisisLine } = this.deps.settings;
    const fill = (text: string) => text.replaceAll('{EMERGENCY_NUMBER}', emergencyNumber).replaceAll('{CRISIS_LINE}', crisisLine);
    return { ...result, advice: result.advice.map(fill), followUps: result.followUps.map((f) => ({ ...f, question: fill(f.question) })) };
  }
}

/** The one line that says what to do, per level. */
export function dispositionAdvice(level: TriageLevel, settings: SymptomSettings): string {
  const team = settings.clinicPhone ? `your care team (${settings.clinicPhone})` : 'your care team';
  switch (level) {
    case 'emergency':
      return `This could be an emergency. Call ${settings.emergencyNumber} now or go to the nearest emergency department.`;
    case 'urgent':
      return `You should be seen today. Call ${team} or go to urgent care today.`;
    case 'routine':
      return `Book an appointment with ${team} in the next few days.`;
    case 'self_care':
      return 'This sounds like something you can care for at home.';
  }
}
