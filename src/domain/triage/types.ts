/**
 * The shape of what a patient's message says, for symptom triage.
 *
 * One shape for two producers: the deterministic extractor in findings.ts and, optionally, a language model
 * whose structured output is validated with {@link findingsSchema} before the engine sees it. The model may
 * only add findings; the rules in red-flags.ts and rules/ decide the level (ARCHITECTURE.md safety rules).
 */
import { z } from 'zod';
import { lexicon } from '../language/lexicon.js';

/**
 * Canonical symptom codes: every code the English lexicon (content/clinical/lexicon/en) defines. Kept flat and
 * lay-meaningful so a model can be told the list in its prompt. Other languages use the same codes.
 */
export const SYMPTOM_CODES = lexicon('en').symptoms.map((wording) => wording.code) as [string, ...string[]];

/** A canonical symptom code; see {@link SYMPTOM_CODES}. */
export type SymptomCode = string;

export const SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One symptom as the patient described it. */
export const symptomSchema = z.object({
  code: z.enum(SYMPTOM_CODES),
  /** Body site in plain words ("chest", "left leg", "right lower belly"), when stated. */
  site: z.string().max(60).optional(),
  /** How long it has been going on, in hours, relative to the time of the message. */
  durationHours: z.number().min(0).max(24 * 365 * 20).optional(),
  onset: z.enum(['sudden', 'gradual']).optional(),
  severity: z.enum(SEVERITIES).optional(),
  /** A 0-10 score when the patient gave one ("pain 8/10"). */
  score: z.number().min(0).max(10).optional(),
  /** Stated as absent ("no fever", "denies chest pain", "the pain is gone"). */
  negated: z.boolean().default(false),
  /** Hedged ("maybe", "I think", "not sure if"); still counted as present, because missing it is worse. */
  uncertain: z.boolean().default(false),
  /** The few words that matched, for explanations; never the whole message. */
  evidence: z.string().max(80).optional(),
});
export type Symptom = z.infer<typeof symptomSchema>;

/** Readings taken at home. Glucose is always stored in mg/dL (mmol/L x 18). */
export const readingsSchema = z.object({
  pulseBpm: z.number().min(10).max(300).optional(),
  spo2Pct: z.number().min(40).max(100).optional(),
  systolic: z.number().min(40).max(300).optional(),
  diastolic: z.number().min(20).max(200).optional(),
  glucoseMgDl: z.number().min(10).max(1500).optional(),
  respiratoryRate: z.number().min(2).max(120).optional(),
  /** Peak flow as a percentage of the person's best or predicted ("peak flow 140, my best is 450"): BTS/SIGN asthma bands. */
  peakFlowPct: z.number().min(5).max(150).optional(),
});
export type Readings = z.infer<typeof readingsSchema>;

/** Conditions that change how worrying a symptom is. Absent means "not mentioned", never "no". */
export const historySchema = z.object({
  pregnant: z.boolean().optional(),
  pregnancyWeeks: z.number().min(1).max(45).optional(),
  postpartum: z.boolean().optional(),
  recentSurgery: z.boolean().optional(),
  daysSinceSurgery: z.number().min(0).max(365).optional(),
  asthma: z.boolean().optional(),
  copd: z.boolean().optional(),
  heartDisease: z.boolean().optional(),
  diabetes: z.boolean().optional(),
  /** Chemotherapy, transplant, long-term steroids, other immune-suppressing medicines. */
  immunosuppressed: z.boolean().optional(),
  /** On chemotherapy specifically: fever is then possible neutropenic sepsis (NICE CG151 / NG151). */
  chemotherapy: z.boolean().optional(),
  /** On a blood thinner (warfarin, apixaban, rivaroxaban, dabigatran, edoxaban, heparins). */
  anticoagulated: z.boolean().optional(),
  kidneyDisease: z.boolean().optional(),
});
export type History = z.infer<typeof historySchema>;

export const SUBJECTS = ['self', 'child', 'infant', 'other_adult'] as const;
export type Subject = (typeof SUBJECTS)[number];

/** Everything the engine knows about one message. */
export const findingsSchema = z.object({
  symptoms: z.array(symptomSchema).max(100).default([]),
  /** Body temperature in °C (°F readings are converted). */
  temperatureC: z.number().min(25).max(45).optional(),
  readings: readingsSchema.default({}),
  history: historySchema.default({}),
  /** Who is ill: the writer, a child (1-17), an infant (under 1) or another adult. */
  subject: z.enum(SUBJECTS).default('self'),
  /** Age in years of the person who is ill (fractions for infants: 3 months = 0.25). */
  age: z.number().min(0).max(125).optional(),
  /** Context that is not a symptom: `worsening`, `sudden_onset`, `after_injury`, `safety:<kind>` and so on. */
  freeTextFlags: z.array(z.string().max(60)).max(50).default([]),
});
export type Findings = z.infer<typeof findingsSchema>;

export type TriageLevel = 'emergency' | 'urgent' | 'routine' | 'self_care';

/** Levels from least to most urgent; the index is the rank. */
export const LEVEL_ORDER: readonly TriageLevel[] = ['self_care', 'routine', 'urgent', 'emergency'];

export function levelRank(level: TriageLevel): number {
  return LEVEL_ORDER.indexOf(level);
}

/** The more urgent of two levels. */
export function maxLevel(left: TriageLevel, right: TriageLevel): TriageLevel {
  return levelRank(left) >= levelRank(right) ? left : right;
}

/** A question whose answer could raise the level. */
export interface FollowUpQuestion {
  id: string;
  question: string;
  raisesTo: TriageLevel;
  /** `yes_no` questions are answered yes, no or unsure; an `open` one is answered in the patient's words. */
  answer: 'yes_no' | 'open';
}

/** Which rule decided, where it comes from, and why, in one plain sentence. */
export interface RuleRef {
  id: string;
  source: string;
  because: string;
}
