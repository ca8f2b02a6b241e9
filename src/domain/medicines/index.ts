/**
 * Medicine safety: the reviewed table in content/clinical/medicines.yaml applied by a small engine.
 *
 * The default table is loaded and validated when this module is first imported, so a broken table stops the
 * process at start (fail fast) rather than at a patient's question. Every function also takes a catalog, so
 * tests and tools can use another table.
 */
import { answerMedicineQuestion as answerWith, type MedicineAnswer, type MedicineContext } from './answer.js';
import { loadMedicineCatalog, type MedicineCatalog } from './catalog.js';
import { findInClauses, mentionsFromList, mergeMentions, type MedicineMention } from './find.js';
import { toxicityIn, type ToxicityFinding } from './toxicity.js';

export type { MedicineAnswer, MedicineContext } from './answer.js';
export { DEFAULT_MEDICINES_FILE, checkReferences, loadMedicineCatalog, parseMedicineCatalog, type MedicineCatalog } from './catalog.js';
export { containsDose, withoutDoses } from './dose-guard.js';
export type { MedicineMention } from './find.js';
export { findInteractions, type InteractionHit } from './interactions.js';
export { createTextReader, isHypothetical, isNegated, medicineStatus } from './language.js';
export { pregnancyStates } from './pregnancy.js';
export { PREGNANCY_STATES, medicineTableSchema, type MedicineTable, type PregnancyState } from './schema.js';
export type { ToxicityFinding } from './toxicity.js';

/** The reviewed table, compiled once. */
export const medicineCatalog: MedicineCatalog = loadMedicineCatalog();

/** Medicines, classes and substances (alcohol, grapefruit) a message names, one per id, in order of mention. */
export function findMedicines(text: string, catalog: MedicineCatalog = medicineCatalog): MedicineMention[] {
  return findInClauses(catalog.reader.read(text), catalog);
}

/**
 * Answers a message about medicines from the table, or returns undefined when it names no medicine.
 * Emergency (a toxicity picture) > avoid (pregnancy or breastfeeding rule) > warn (interaction, urgent side
 * effect, caution) > ask_pharmacist. No line ever states a dose.
 */
export function answerMedicineQuestion(text: string, context: MedicineContext = {}, catalog: MedicineCatalog = medicineCatalog): MedicineAnswer | undefined {
  return answerWith(text, context, catalog);
}

/**
 * Toxicity pictures in a message, for the triage engine: a medicine named in the text or in
 * `context.medicines`, plus the signs the table lists for it. Most serious first.
 */
export function detectToxicity(
  text: string,
  context: Pick<MedicineContext, 'medicines'> = {},
  catalog: MedicineCatalog = medicineCatalog,
): ToxicityFinding[] {
  const clauses = catalog.reader.read(text);
  const mentions = mergeMentions(findInClauses(clauses, catalog), mentionsFromList(context.medicines ?? [], catalog));
  return toxicityIn(clauses, mentions, catalog);
}
