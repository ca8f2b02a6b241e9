/**
 * One answer to a patient's medicine question, from the reviewed table only: an emergency when the message
 * describes too much of a medicine, "avoid" for a medicine that is unsafe in pregnancy or breastfeeding, a
 * warning for a listed interaction, and otherwise "ask your pharmacist". Never a dose.
 */
import type { MedicineCatalog } from './compile.js';
import { NO_DOSE_LINE, withoutDoses } from './dose-guard.js';
import { findInClauses, mentionsFromList, mergeMentions, type MedicineMention } from './find.js';
import { findInteractions, interactionLines } from './interactions.js';
import { STATE_PHRASES, pregnancyLines, pregnancyRuleFor, pregnancyStates, type PregnancyContext } from './pregnancy.js';
import { toxicityIn, type ToxicityFinding } from './toxicity.js';

/** What the caller knows about the patient: pregnancy and breastfeeding, and medicines they take. */
export interface MedicineContext extends PregnancyContext {
  /** The patient's medication list, as names ("warfarin", "Eliquis"); used for interactions and toxicity. */
  medicines?: readonly string[];
}

/** The engine's answer. Lines may hold the placeholders {EMERGENCY_NUMBER} and {POISON_CONTROL}. */
export interface MedicineAnswer {
  kind: 'emergency' | 'avoid' | 'warn' | 'ask_pharmacist';
  lines: string[];
  /** Where the advice comes from (several sources joined with "; "). */
  source: string;
  /** Ids of the medicines the message named (`unlisted:<word>` for ones we do not list). */
  medicines: string[];
}

const ASK_SOURCE = 'CareLoop medicine table: no reviewed rule for this question, so a pharmacist advises';
const DOSE_QUESTION = /\b(how (much|many|often|long between)|dose|doses|dosage|dosing|mg|ml|max|maximum|milligrams?|more|extra|another|double)\b/;

/** Answers a medicine question, or returns undefined when the message names no medicine. */
export function answerMedicineQuestion(text: string, context: MedicineContext, catalog: MedicineCatalog): MedicineAnswer | undefined {
  const clauses = catalog.reader.read(text);
  const named = findInClauses(clauses, catalog);
  const medicines = named.filter((mention) => mention.kind !== 'substance');
  if (medicines.length === 0) return undefined;
  const known = mergeMentions(named, mentionsFromList(context.medicines ?? [], catalog));
  const ids = medicines.map((mention) => mention.id);
  const toxic = toxicityIn(clauses, known, catalog);
  const emergencies = toxic.filter((finding) => finding.level === 'emergency');
  if (emergencies.length > 0) {
    return finish('emergency', emergencies.flatMap(emergencyLines), emergencies.map((finding) => finding.source), ids);
  }

  const states = pregnancyStates(clauses, catalog, context);
  const avoid: string[] = [];
  const caution: string[] = [];
  const sources: string[] = [];
  const uncovered: MedicineMention[] = [];
  for (const mention of medicines) {
    const found = pregnancyRuleFor(mention, states, catalog);
    if (!found) {
      uncovered.push(mention);
      continue;
    }
    (found.rule.advice === 'avoid' ? avoid : caution).push(...pregnancyLines(found.rule, found.state, mention));
    sources.push(catalog.sourceName(found.rule.source));
  }
  const urgent = toxic.filter((finding) => finding.level === 'urgent');
  // Combinations on the record alone were presumably prescribed together; answer only those the message touches.
  const namedIds = new Set(named.map((mention) => mention.id));
  const interactions = findInteractions(known, catalog).filter((hit) => hit.mentions.some((mention) => namedIds.has(mention.id)));
  const warnings = [...urgent.flatMap(urgentLines), ...caution, ...interactions.flatMap(interactionLines)];
  sources.push(...urgent.map((finding) => finding.source), ...interactions.map((hit) => catalog.sourceName(hit.rule.source)));

  if (avoid.length === 0 && warnings.length === 0) {
    // "I don't take warfarin, can I take Advil?" is a question about Advil only.
    const asked = medicines.filter((mention) => mention.status !== 'negated');
    return finish('ask_pharmacist', [askLine(asked.length > 0 ? asked : medicines, states), ...doseLine(clauses)], [ASK_SOURCE], ids);
  }
  // Medicines the rules did not cover still get a pointer, so the answer is not read as "the others are fine".
  const involved = new Set([...urgent.flatMap((finding) => finding.medicines), ...interactions.flatMap((hit) => hit.mentions.map((mention) => mention.id))]);
  const unanswered = uncovered.filter((mention) => !involved.has(mention.id) && mention.status !== 'negated');
  const rest = unanswered.length > 0 ? [askLine(unanswered, states)] : [];
  const kind = avoid.length > 0 ? 'avoid' : 'warn';
  return finish(kind, [...avoid, ...warnings, ...rest, ...doseLine(clauses)], sources, ids);
}

function finish(kind: MedicineAnswer['kind'], lines: string[], sources: string[], medicines: string[]): MedicineAnswer {
  return { kind, lines: withoutDoses([...new Set(lines)]), source: [...new Set(sources)].join('; '), medicines };
}

function emergencyLines(finding: ToxicityFinding): string[] {
  return [
    `This could be ${finding.name}. That is an emergency: call {EMERGENCY_NUMBER} now or go to the nearest emergency department.`,
    ...(finding.poisoning ? ['You can also call {POISON_CONTROL} for advice, but do not let that delay getting help.'] : []),
    ...(finding.advice ? [finding.advice] : []),
    'Take the medicine, or its packet, with you.',
  ];
}

function urgentLines(finding: ToxicityFinding): string[] {
  return [
    `This could be a sign of ${finding.name}. Contact your prescriber or care team today; if you cannot reach them, get urgent medical advice today.`,
    ...(finding.advice ? [finding.advice] : []),
    'If you get worse, call {EMERGENCY_NUMBER}.',
  ];
}

function askLine(mentions: readonly MedicineMention[], states: readonly string[]): string {
  const names = listNames(mentions.map((mention) => mention.name));
  const state = states[0] as keyof typeof STATE_PHRASES | undefined;
  if (state) {
    const who = state === 'trying_to_conceive' ? 'pharmacist or doctor' : 'pharmacist or midwife';
    return `Before taking ${names} while ${STATE_PHRASES[state]}, ask your ${who}: they can check whether it is safe for you and your baby.`;
  }
  return `I can't give personal advice about ${names} here. Please ask your pharmacist: they can check it against your other medicines and your health.`;
}

function doseLine(clauses: readonly string[][]): string[] {
  return clauses.some((words) => DOSE_QUESTION.test(words.join(' '))) ? [NO_DOSE_LINE] : [];
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? 'this medicine';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
