/**
 * Deterministic extraction of {@link Findings} from a patient's message, and merging with findings from an
 * optional language model (the more severe reading wins, so a model can add a worry but never remove one).
 */
import { detectToxicity } from '../medicines/index.js';
import { detectCrisis } from '../safety/crisis.js';
import { detectEmergencies } from '../safety/emergency-words.js';
import { extractFlags, extractHistory, extractSubject } from '../language/context.js';
import { parseDuration } from '../language/durations.js';
import { extractReadings } from '../language/readings.js';
import { lexicon, type SymptomWording } from '../language/lexicon.js';
import { MAX_ANALYSED_CHARS, NEGATION_TRIGGERS, asksAbout, mayMatch, isHistorical, prepareText, qualify, wordIndexAt, type Clause, type PreparedText } from '../language/text.js';
import { SEVERITIES, type Findings, type Severity, type Symptom, type SymptomCode } from './types.js';

export interface ExtractInput {
  text: string;
  age?: number;
  /** The time of the message, for "since Monday"; defaults to the current time. */
  now?: Date;
}

const SEVERE = /\b(severe\w*|(very|really|so) strong|really bad|very bad|so bad|really painful|very painful|so painful|terrible|terribly|horrible|excruciating|unbearable|worst|agony|agonizing|intense|extreme\w*|awful|killing me|cant stand|crippling|a lot of|really really)\b/;
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

function siteOf(code: SymptomCode, clause: Clause, defaultSite: string | undefined): string | undefined {
  if (code === 'abdominal_pain') {
    const side = /\b(lower right|right lower|right side|bottom right|upper right|right upper|lower left|left lower|left side|upper left|lower|upper|middle)\b/.exec(clause.text);
    return side ? `${side[1]} abdomen` : 'abdomen';
  }
  if (code === 'leg_swelling' || code === 'calf_pain') {
    const side = /\b(one|left|right|both) (leg|legs|calf|calves|ankle|ankles)\b/.exec(clause.text);
    if (side) return `${side[1]} ${side[2]}`;
  }
  return defaultSite;
}

const SINGLE = new WeakMap<RegExp, RegExp>();

/**
 * A denial inside the matched words ("incision isnt red", "lips not blue"): the match still stands without the
 * negation word, so the negation is the patient's, not the wording's. "cant breathe" no longer matches without
 * "cant", so there the negation is part of the symptom and stays positive.
 */
function deniedInside(words: string[], regex: RegExp): boolean {
  const at = words.findIndex((word, index) => index > 0 && NEGATION_TRIGGERS.has(word));
  if (at < 0) return false;
  let single = SINGLE.get(regex);
  if (!single) {
    single = new RegExp(regex.source);
    SINGLE.set(regex, single);
  }
  // The rest must still match up to its last word: "tiny purple spots that dont fade" without "dont" matches only
  // "tiny purple spots", a different statement, so the denial there is part of the symptom.
  const reduced = ` ${words.filter((_, index) => index !== at).join(' ')} `;
  const match = single.exec(reduced);
  return match !== null && match.index + match[0].length >= reduced.length - 1;
}

/** "32 weeks pregnant" is a gestation, not how long a symptom has lasted. */
function withoutGestation(clauseText: string, pregnant: boolean): string {
  const stripped = clauseText.replace(/\b(im \d{1,2} (and a half )?weeks?|\d{1,2} (and a half )?weeks? (pregnant|along|gestation))\b/g, ' ');
  return pregnant && /^ \d{1,2} weeks? $/.test(stripped) ? ' ' : stripped;
}

function symptomsIn(clause: Clause, now: Date, shared: number | undefined, pregnant: boolean, wordings: readonly SymptomWording[]): Symptom[] {
  const found: Symptom[] = [];
  const historical = isHistorical(clause);
  const duration = parseDuration(withoutGestation(clause.text, pregnant), now) ?? shared;
  for (const { code, regex, site: defaultSite } of wordings) {
    regex.lastIndex = 0;
    for (const match of clause.text.matchAll(regex)) {
      const start = wordIndexAt(clause, match.index + 1);
      const end = start + match[0].trim().split(' ').length;
      const qualified = qualify(clause, start, end);
      const negated = qualified.negated || deniedInside(clause.words.slice(start, end), regex);
      const { uncertain } = qualified;
      if (historical && !negated) continue;
      const symptom: Symptom = { code, negated, uncertain, evidence: match[0].trim().slice(0, 80), ...severityNear(clause, start, end) };
      const site = siteOf(code, clause, defaultSite);
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

/**
 * The word detector fills gaps in understanding, it does not overrule it: where the lexicon itself read the same
 * kind of complaint (a chest pain, a breathing problem, a stroke sign), the protocols' published criteria decide
 * ("sharp twinge in my chest when I press on it" is chest-wall pain, not an emergency). And its words in a clause
 * about the past ("my dad had a heart attack at 50") are history, as everywhere else.
 */
const UNDERSTOOD_BY: Record<string, string[]> = {
  cardiac: ['chest_pain', 'pain_radiating', 'suspected_heart_attack'],
  breathing: ['breathing_difficulty', 'shortness_of_breath', 'wheeze', 'fast_breathing', 'choking', 'stridor'],
  stroke: ['face_droop', 'one_sided_weakness', 'speech_difficulty', 'suspected_stroke', 'vision_change', 'balance_loss'],
};

function understood(kind: string, symptoms: readonly Symptom[], text: PreparedText): boolean {
  const codes = UNDERSTOOD_BY[kind] ?? [];
  if (symptoms.some((symptom) => codes.includes(symptom.code))) return true;
  return kind !== 'declared' && text.clauses.length > 0 && text.clauses.every((clause) => isHistorical(clause) || !/[a-z]/.test(clause.text));
}

/** Extracts findings from a message. Pure and deterministic for a given `now`. */
export function extractFindings(input: ExtractInput): Findings {
  const now = input.now ?? new Date();
  const text = prepareText(input.text);
  const history = extractHistory(text, now);
  const pregnant = history.pregnant === true;
  const durations = text.clauses.filter((clause) => !isHistorical(clause)).map((clause) => parseDuration(withoutGestation(clause.text, pregnant), now)).filter((hours) => hours !== undefined);
  // One duration in the message ("sore throat and cough for 3 days") applies to every symptom without its own.
  const shared = durations.length === 1 ? durations[0] : undefined;
  // Only the codes whose wording can start at one of the message's words are tried (language/prefilter.ts), and
  // of those only the ones that match the whole message somewhere (a clause is a part of it) go clause by clause.
  const wordings = lexicon().symptomsFor(text.clauses.flatMap((clause) => clause.words)).filter(({ regex }) => mayMatch(regex, text.all));
  const perClause = text.clauses.map((clause) => symptomsIn(clause, now, shared, pregnant, wordings));
  let symptoms = dedupeSymptoms(perClause.flat());
  const { readings, temperatureC } = extractReadings(text.raw);
  const ill = text.clauses.filter((_, index) => perClause[index]?.some((symptom) => !symptom.negated));
  const { subject, age } = extractSubject(text, input.age, history.pregnant === true, ill);

  if (!history.pregnant) {
    // "Baby not moving" outside pregnancy is an infant who is not moving: at least drowsy, which is a red flag.
    symptoms = symptoms.map((symptom) => (symptom.code === 'reduced_fetal_movement' ? { ...symptom, code: subject === 'infant' || /\bbaby\b/.test(text.all) ? 'drowsy' : 'weakness' } : symptom));
  }
  if (temperatureC !== undefined && temperatureC >= 38 && !symptoms.some((symptom) => symptom.code === 'fever' && !symptom.negated)) {
    symptoms = symptoms.filter((symptom) => symptom.code !== 'fever');
    symptoms.push({ code: 'fever', negated: false, uncertain: false, evidence: `temperature ${temperatureC} C` });
  } else if (temperatureC !== undefined && temperatureC >= 36 && temperatureC < 38) {
    // A measured normal temperature answers the question: "temp 37.2" is not a fever, whatever word came with it.
    symptoms = symptoms.map((symptom) => (symptom.code === 'fever' && /temp|fever/.test(symptom.evidence ?? '') ? { ...symptom, negated: true } : symptom));
  }
  symptoms = dedupeSymptoms(symptoms);

  const freeTextFlags = extractFlags(text);
  // The safety detector's words count, except in a general question ("when should I call 911 after surgery?")
  // that reports nothing present: that is answered, not treated as an emergency.
  const generalQuestion = text.clauses.some(asksAbout) && !symptoms.some((symptom) => !symptom.negated);
  if (generalQuestion) freeTextFlags.push('general_question');
  const bounded = input.text.slice(0, MAX_ANALYSED_CHARS);
  if (!generalQuestion) {
    for (const match of detectEmergencies(bounded)) if (!understood(match.kind, symptoms, text)) freeTextFlags.push(`safety_${match.kind}`);
  }
  // Medicine toxicity pictures (content/clinical/medicines.yaml) and suicide risk (crisis.yaml) are read by their
  // own tables; the protocols see them as context flags: toxicity_<level>, toxicity_<id>, crisis_<level>.
  for (const toxicity of detectToxicity(bounded)) freeTextFlags.push(`toxicity_${toxicity.level}`, `toxicity_${toxicity.id}`);
  const crisis = detectCrisis(bounded);
  if (crisis) freeTextFlags.push(`crisis_${crisis.level}`, `crisis_${crisis.kind}`);
  const findings: Findings = { symptoms, readings, history, subject, freeTextFlags };
  if (temperatureC !== undefined) findings.temperatureC = temperatureC;
  if (age !== undefined) findings.age = age;
  return findings;
}
