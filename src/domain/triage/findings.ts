/**
 * Deterministic extraction of {@link Findings} from a patient's message, and merging with findings from an
 * optional language model (the more severe reading wins, so a model can add a worry but never remove one).
 */
import { detectEmergencies } from '../safety/emergency.js';
import { extractFlags, extractHistory, extractSubject } from './context.js';
import { parseDuration } from './durations.js';
import { extractReadings } from './readings.js';
import { DEFAULT_SITE, SYMPTOM_PATTERNS } from './symptom-patterns.js';
import { MAX_ANALYSED_CHARS, isHistorical, prepareText, qualify, wordIndexAt, type Clause } from './text.js';
import { SEVERITIES, type Findings, type Severity, type Symptom, type SymptomCode } from './types.js';

export interface ExtractInput {
  text: string;
  age?: number;
  /** The time of the message, for "since Monday"; defaults to the current time. */
  now?: Date;
}

const SEVERE = /\b(severe\w*|really bad|very bad|so bad|really painful|very painful|so painful|terrible|terribly|horrible|excruciating|unbearable|worst|agony|agonizing|intense|extreme\w*|awful|killing me|cant stand|crippling|a lot of|really really)\b/;
const MODERATE = /\b(moderate\w*|pretty bad|quite bad|bad|getting worse)\b/;
const MILD = /\b(mild\w*|slight\w*|a little|a bit|little|minor|not too bad|not bad|not that bad|tiny|small|manageable)\b/;
const SCORE = /\b(\d{1,2}) (?:of|out of) 10\b|\b(?:pain|level|rated?|is|at) (?:a |an )?(\d{1,2})\b(?! (?:days?|hours?|weeks?|years?|months?|minutes?|times|old))/;

function severityNear(clause: Clause, start: number, end: number): { severity?: Severity; score?: number } {
  const window = ` ${clause.words.slice(Math.max(0, start - 4), end + 5).join(' ')} `;
  const scoreMatch = SCORE.exec(window);
  const score = scoreMatch ? Number(scoreMatch[1] ?? scoreMatch[2]) : undefined;
  const validScore = score !== undefined && score <= 10 ? score : undefined;
  let severity: Severity | undefined;
  if (validScore !== undefined) severity = validScore >= 7 ? 'severe' : validScore >= 4 ? 'moderate' : 'mild';
  else if (/\b(not too bad|not bad|not that bad)\b/.test(window)) severity = 'mild';
  else if (SEVERE.test(window)) severity = 'severe';
  else if (MILD.test(window)) severity = 'mild';
  else if (MODERATE.test(window)) severity = 'moderate';
  const result: { severity?: Severity; score?: number } = {};
  if (severity) result.severity = severity;
  if (validScore !== undefined) result.score = validScore;
  return result;
}

const SUDDEN = /\b(sudden\w*|all of a sudden|out of nowhere|came on (fast|quickly)|just now)\b/;
const GRADUAL = /\b(gradual\w*|slowly|over (the )?(past|last) (few )?(days|weeks))\b/;

function siteOf(code: SymptomCode, clause: Clause): string | undefined {
  if (code === 'abdominal_pain') {
    const side = /\b(lower right|right lower|right side|bottom right|upper right|right upper|lower left|left lower|left side|upper left|lower|upper|middle)\b/.exec(clause.text);
    return side ? `${side[1]} abdomen` : 'abdomen';
  }
  if (code === 'leg_swelling' || code === 'calf_pain') {
    const side = /\b(one|left|right|both) (leg|legs|calf|calves|ankle|ankles)\b/.exec(clause.text);
    if (side) return `${side[1]} ${side[2]}`;
  }
  return DEFAULT_SITE[code];
}

/** "32 weeks pregnant" is a gestation, not how long a symptom has lasted. */
function withoutGestation(clauseText: string, pregnant: boolean): string {
  const stripped = clauseText.replace(/\b(im \d{1,2} (and a half )?weeks?|\d{1,2} (and a half )?weeks? (pregnant|along|gestation))\b/g, ' ');
  return pregnant && /^ \d{1,2} weeks? $/.test(stripped) ? ' ' : stripped;
}

function symptomsIn(clause: Clause, now: Date, shared: number | undefined, pregnant: boolean): Symptom[] {
  const found: Symptom[] = [];
  const historical = isHistorical(clause);
  const duration = parseDuration(withoutGestation(clause.text, pregnant), now) ?? shared;
  for (const { code, regex } of SYMPTOM_PATTERNS) {
    regex.lastIndex = 0;
    for (const match of clause.text.matchAll(regex)) {
      const start = wordIndexAt(clause, match.index + 1);
      const end = start + match[0].trim().split(' ').length;
      const { negated, uncertain } = qualify(clause, start, end);
      if (historical && !negated) continue;
      const symptom: Symptom = { code, negated, uncertain, evidence: match[0].trim().slice(0, 80), ...severityNear(clause, start, end) };
      const site = siteOf(code, clause);
      if (site) symptom.site = site;
      if (duration !== undefined) symptom.durationHours = Math.round(duration * 10) / 10;
      if (SUDDEN.test(clause.text)) symptom.onset = 'sudden';
      else if (GRADUAL.test(clause.text)) symptom.onset = 'gradual';
      found.push(symptom);
    }
  }
  return found;
}

const SEVERITY_RANK = (symptom: Symptom): number => (symptom.severity ? SEVERITIES.indexOf(symptom.severity) + 1 : 0);

/** One entry per code: present beats negated, then the more severe, the longer-lasting. */
export function dedupeSymptoms(symptoms: readonly Symptom[]): Symptom[] {
  const byCode = new Map<SymptomCode, Symptom>();
  for (const symptom of symptoms) {
    const kept = byCode.get(symptom.code);
    if (!kept) {
      byCode.set(symptom.code, { ...symptom });
      continue;
    }
    if (kept.negated && !symptom.negated) {
      byCode.set(symptom.code, { ...symptom });
      continue;
    }
    if (symptom.negated && !kept.negated) continue;
    if (SEVERITY_RANK(symptom) > SEVERITY_RANK(kept)) {
      kept.severity = symptom.severity;
      if (symptom.score !== undefined) kept.score = symptom.score;
    }
    if ((symptom.durationHours ?? -1) > (kept.durationHours ?? -1)) kept.durationHours = symptom.durationHours;
    kept.uncertain = kept.uncertain && symptom.uncertain;
    kept.onset ??= symptom.onset;
  }
  return [...byCode.values()];
}

/** Extracts findings from a message. Pure and deterministic for a given `now`. */
export function extractFindings(input: ExtractInput): Findings {
  const now = input.now ?? new Date();
  const text = prepareText(input.text);
  const history = extractHistory(text, now);
  const pregnant = history.pregnant === true;
  const durations = text.clauses.map((clause) => parseDuration(withoutGestation(clause.text, pregnant), now)).filter((hours) => hours !== undefined);
  // One duration in the message ("sore throat and cough for 3 days") applies to every symptom without its own.
  const shared = durations.length === 1 ? durations[0] : undefined;
  let symptoms = dedupeSymptoms(text.clauses.flatMap((clause) => symptomsIn(clause, now, shared, pregnant)));
  const { readings, temperatureC } = extractReadings(text.raw);
  const { subject, age } = extractSubject(text, input.age, history.pregnant === true);

  if (!history.pregnant) {
    // "Baby not moving" outside pregnancy is an infant who is not moving: at least drowsy, which is a red flag.
    symptoms = symptoms.map((symptom) => (symptom.code === 'reduced_fetal_movement' ? { ...symptom, code: subject === 'infant' || /\bbaby\b/.test(text.all) ? 'drowsy' : 'weakness' } : symptom));
  }
  if (temperatureC !== undefined && temperatureC >= 38 && !symptoms.some((symptom) => symptom.code === 'fever' && !symptom.negated)) {
    symptoms = symptoms.filter((symptom) => symptom.code !== 'fever');
    symptoms.push({ code: 'fever', negated: false, uncertain: false, evidence: `temperature ${temperatureC} C` });
  }
  symptoms = dedupeSymptoms(symptoms);

  const freeTextFlags = extractFlags(text);
  for (const match of detectEmergencies(input.text.slice(0, MAX_ANALYSED_CHARS))) freeTextFlags.push(`safety:${match.kind}`);
  const findings: Findings = { symptoms, readings, history, subject, freeTextFlags };
  if (temperatureC !== undefined) findings.temperatureC = temperatureC;
  if (age !== undefined) findings.age = age;
  return findings;
}
