/**
 * The symptom-triage engine: pure, deterministic and explainable. No database, network or model.
 *
 * Order of decision (ARCHITECTURE.md: deterministic rules decide):
 *  1. Red flags (red-flags.ts): any one makes the result `emergency`.
 *  2. Complaint rules (rules/): each presenting complaint gives a level; the most urgent wins. Age and risk
 *     modifiers (modifiers.ts) may then raise it, never lower it.
 *  3. Default: `routine`, with advice to contact the care team. Never `self_care` by default.
 * A language model may contribute `extraFindings`; they are merged so the more severe reading wins.
 */
import { Facts, type Outcome } from './facts.js';
import { extractFindings } from './findings.js';
import { followUpsFor } from './follow-ups.js';
import { mergeFindings } from './merge.js';
import { applyModifiers } from './modifiers.js';
import { findRedFlags } from './red-flags.js';
import { ABDOMEN_RULES } from './rules/abdomen.js';
import { BODY_RULES, fallback } from './rules/body.js';
import type { ComplaintRule } from './rules/common.js';
import { INFECTION_RULES } from './rules/infection.js';
import { NEURO_RULES } from './rules/neuro.js';
import { SKIN_RULES } from './rules/skin.js';
import { SOURCES } from './sources.js';
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

/** In order: on equal levels, the earlier rule explains the result. */
const COMPLAINT_RULES: readonly ComplaintRule[] = [...INFECTION_RULES, ...ABDOMEN_RULES, ...NEURO_RULES, ...SKIN_RULES, ...BODY_RULES];

const LEVEL_ADVICE: Record<TriageLevel, string[]> = {
  emergency: ['Call {EMERGENCY_NUMBER} now, or go to the nearest emergency department. Do not drive yourself.', 'If you are not the patient, stay with them until help arrives.'],
  urgent: ['Get seen today: call your care team or doctor now, or go to an urgent care clinic.', 'If it gets worse before you are seen, call {EMERGENCY_NUMBER}.'],
  routine: ['Book an appointment with your care team or doctor in the next few days.', 'Contact them sooner if it gets worse or new symptoms start. Call {EMERGENCY_NUMBER} in an emergency.'],
  self_care: [],
};

function complaintOutcome(f: Facts): Outcome | undefined {
  let best: Outcome | undefined;
  for (const rule of COMPLAINT_RULES) {
    const outcome = rule.evaluate(f);
    if (outcome && (!best || levelRank(outcome.level) > levelRank(best.level))) best = outcome;
  }
  return best ?? fallback.evaluate(f);
}

function defaultOutcome(f: Facts, emptyText: boolean): Outcome {
  if (emptyText) {
    return { level: 'routine', id: 'default.no_detail', source: SOURCES.careloop, because: 'The message had no symptoms to assess.', advice: ['Please tell us more: what symptoms you have, when they started, and how bad they are.'] };
  }
  const anything = f.findings.symptoms.some((symptom) => !symptom.negated);
  return {
    level: 'routine',
    id: 'default.unmatched',
    source: SOURCES.careloop,
    because: anything ? 'The symptoms described do not match a specific rule, so a clinician should review them.' : 'No specific symptom was recognised, so a clinician should review the message.',
    advice: ['Contact your care team so a nurse can review this with you.'],
  };
}

function decide(f: Facts, emptyText: boolean): { outcome: Outcome; redFlags: string[] } {
  const hits = findRedFlags(f);
  const first = hits[0];
  if (first) {
    const outcome: Outcome = { level: 'emergency', id: `red_flag.${first.flag.id}`, source: first.flag.source, because: `Emergency because of ${first.because}.`, advice: hits.flatMap((hit) => hit.flag.advice ?? []) };
    return { outcome, redFlags: hits.map((hit) => hit.flag.id) };
  }
  // The shared emergency detector is the safety net the chat runs before any dialog: when it fires, the
  // engine never answers lower, so the chat, the API and the CLI always agree and the safety net stands.
  const detector = f.findings.freeTextFlags.find((flag) => flag.startsWith('safety:'));
  if (detector) {
    const kind = detector.slice('safety:'.length);
    const outcome: Outcome = { level: 'emergency', id: `red_flag.safety_${kind}`, source: 'CareLoop safety rules (src/domain/safety/emergency.ts): NHS "when to call 999", AHA/ASA, 988 Lifeline', because: `Emergency because the message uses words that describe a ${kind.replace('_', ' ')} emergency.`, advice: [] };
    return { outcome, redFlags: [`safety_${kind}`] };
  }
  const outcome = complaintOutcome(f) ?? defaultOutcome(f, emptyText);
  const raised = emptyText ? undefined : applyModifiers(f, outcome.level);
  if (raised) {
    return {
      outcome: { ...outcome, level: raised.level, id: raised.id, source: raised.source, because: `${outcome.because.replace(/\.$/, '')}; raised to ${raised.level.replace('_', ' ')} because ${raised.because}.`, advice: raised.level === 'self_care' ? outcome.advice : [] },
      redFlags: [],
    };
  }
  return { outcome, redFlags: [] };
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
