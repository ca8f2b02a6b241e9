/**
 * The safety net's emergency check: the triage engine's own verdict, so the interrupt that runs before every dialog
 * step and the symptom check can never disagree. One language layer (negation, normal findings, who is ill,
 * readings), one set of reviewed protocols (content/clinical/triage), and the emergency word detector
 * (emergency-words.ts) as one of the engine's inputs.
 */
import { triage } from '../triage/engine.js';
import { detectEmergencies as detectEmergencyWords } from './emergency-words.js';

/** One emergency found in a message. */
export interface EmergencyMatch {
  /** What kind: a word-detector kind (`cardiac`, `suicide`...) or the protocol area that decided (`neuro`...). */
  kind: string;
  /** The message words that matched (a handful at most), for the audit trail; never the whole message. */
  phrase: string;
  /** Why, in one plain sentence from the protocol that decided ("A baby under 3 months with a temperature..."). */
  because?: string;
}

const SUICIDE_RULE = /^mental_health\.(suicid|crisis|active)/;
const SELF_HARM_RULE = /^mental_health\.self_harm/;

function kindOf(ruleId: string): string {
  if (SUICIDE_RULE.test(ruleId)) return 'suicide';
  if (SELF_HARM_RULE.test(ruleId)) return 'self_harm';
  return ruleId.split('.')[0] ?? 'emergency';
}

/** Every emergency in a message, most specific first; empty when the engine's answer is below emergency. */
export function detectEmergencies(text: string): EmergencyMatch[] {
  const result = triage({ text });
  if (result.level !== 'emergency') return [];
  const words = detectEmergencyWords(text);
  const matches: EmergencyMatch[] = [];
  for (const ruleId of result.redFlags) {
    if (ruleId === 'safety_net.detector') {
      matches.push(...words);
      continue;
    }
    const evidence = result.findings.symptoms.find((symptom) => !symptom.negated)?.evidence ?? '';
    matches.push({ kind: kindOf(ruleId), phrase: evidence, because: result.rule.because });
  }
  return matches;
}

/** The first emergency in a message, or undefined. */
export function detectEmergency(text: string): EmergencyMatch | undefined {
  return detectEmergencies(text)[0];
}
