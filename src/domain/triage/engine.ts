/**
 * The symptom-triage engine: pure, deterministic and explainable. No database, network or model.
 *
 * The clinical knowledge is data (content/clinical): the lexicon turns a message into findings through the shared
 * language layer (src/domain/language), and the protocol files' rules decide. Every rule is checked; the most
 * urgent level wins and the first rule at that level explains it (knowledge/load.ts). Nothing matched: `routine`,
 * with advice to contact the care team; never `self_care` by default.
 * A language model may contribute `extraFindings`; they are merged so the more severe reading wins.
 */
import { Facts, type Outcome } from './facts.js';
import { extractFindings } from './findings.js';
import { followUpsFor } from './follow-ups.js';
import { matchingRules, type CompiledRule } from './knowledge/load.js';
import { mergeFindings } from './merge.js';
import { levelRank, type Findings, type FollowUpQuestion, type RuleRef, type TriageLevel } from './types.js';

export type { TriageLevel } from './types.js';

export interface TriageInput {
  text: string;
  age?: number;
  sex?: 'female' | 'male' | 'other';
  /** Findings from an optional model, validated with `findingsSchema`; merged so the more severe wins. */
  extraFindings?: Findings;
  /** The time of the message, for "since Monday"; defaults to now. */
  now?: Date;
}

export interface TriageResult {
  level: TriageLevel;
  /** Ids of every red flag that applied (empty below emergency). */
  redFlags: string[];
  findings: Findings;
  /** Plain-language advice; `{EMERGENCY_NUMBER}` and `{CRISIS_LINE}` are substituted by the caller. */
  advice: string[];
  rule: RuleRef;
  followUps: FollowUpQuestion[];
}

const LEVEL_ADVICE: Record<TriageLevel, string[]> = {
  emergency: ['Call {EMERGENCY_NUMBER} now, or go to the nearest emergency department. Do not drive yourself.', 'If you are not the patient, stay with them until help arrives.'],
  urgent: ['Get seen today: call your care team or doctor now, or go to an urgent care clinic.', 'If it gets worse before you are seen, call {EMERGENCY_NUMBER}.'],
  routine: ['Book an appointment with your care team or doctor in the next few days.', 'Contact them sooner if it gets worse or new symptoms start. Call {EMERGENCY_NUMBER} in an emergency.'],
  self_care: [],
};

const CARELOOP_DEFAULT = 'CareLoop default: not enough detail to decide safely, so a clinician reviews';

function defaultOutcome(f: Facts, emptyText: boolean, generalQuestion: boolean): Outcome {
  if (emptyText) {
    return { level: 'routine', id: 'default.no_detail', source: CARELOOP_DEFAULT, because: 'The message had no symptoms to assess.', advice: ['Please tell us more: what symptoms you have, when they started, and how bad they are.'] };
  }
  const anything = f.findings.symptoms.some((symptom) => !symptom.negated);
  if (!anything && generalQuestion) {
    // "what are the signs of a heart attack?": a question about symptoms, not a report of one.
    return { level: 'self_care', id: 'default.general_question', source: CARELOOP_DEFAULT, because: 'The message asks about symptoms in general and reports none.', advice: ['If you have any of these symptoms now, tell us what they are and when they started.'] };
  }
  return {
    level: 'routine',
    id: 'default.unmatched',
    source: CARELOOP_DEFAULT,
    because: anything ? 'The symptoms described do not match a specific rule, so a clinician should review them.' : 'No specific symptom was recognised, so a clinician should review the message.',
    advice: ['Contact your care team so a nurse can review this with you.'],
  };
}

/**
 * Every protocol rule is checked; the most urgent level any rule gives is the answer, and the first rule at that
 * level (in protocol order) explains it. Rules only ever add urgency, so a rule can never hide another's red flag.
 */
function decide(f: Facts, emptyText: boolean): { outcome: Outcome; redFlags: string[] } {
  const hits = emptyText ? [] : matchingRules(f);
  const top = hits.reduce<TriageLevel | undefined>((level, rule) => (level === undefined || levelRank(rule.level) > levelRank(level) ? rule.level : level), undefined);
  if (top === undefined) return { outcome: defaultOutcome(f, emptyText, f.flag('general_question')), redFlags: [] };
  const deciding = hits.filter((rule) => rule.level === top);
  const first = deciding[0] as CompiledRule;
  const advice = top === 'emergency' ? deciding.flatMap((rule) => rule.advice) : first.advice;
  return {
    outcome: { level: top, id: first.id, source: first.source, because: first.because.replaceAll('{who}', f.who), advice },
    redFlags: top === 'emergency' ? deciding.map((rule) => rule.id) : [],
  };
}

/** Triage one message. Deterministic: the same input (and `now`) always gives the same result. */
export function triage(input: TriageInput): TriageResult {
  const text = typeof input.text === 'string' ? input.text : '';
  const age = typeof input.age === 'number' && Number.isFinite(input.age) && input.age >= 0 && input.age <= 125 ? input.age : undefined;
  const extracted = extractFindings({ text, ...(age !== undefined ? { age } : {}), ...(input.now ? { now: input.now } : {}) });
  const findings = input.extraFindings ? mergeFindings(extracted, input.extraFindings) : extracted;
  const f = new Facts(findings);
  const { outcome, redFlags } = decide(f, text.trim() === '' && !input.extraFindings);
  const advice = [...LEVEL_ADVICE[outcome.level], ...outcome.advice];
  if (outcome.level === 'self_care' && !advice.some((line) => /get help|contact your care team/i.test(line))) advice.push('Contact your care team if it gets worse, new symptoms start, or you are worried.');
  return {
    level: outcome.level,
    redFlags,
    findings,
    advice: [...new Set(advice)],
    rule: { id: outcome.id, source: outcome.source, because: outcome.because },
    followUps: followUpsFor(f, outcome.level),
  };
}
