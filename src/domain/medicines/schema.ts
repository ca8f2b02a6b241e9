/**
 * The shape of content/clinical/medicines.yaml. A clinician edits the YAML; this schema is what keeps an edit
 * from reaching a patient half-right (a missing source, a typo in an id, a dose slipped into patient text).
 */
import { z } from 'zod';

/** Situations in which some medicines must be avoided, in the order the answer mentions them. */
export const PREGNANCY_STATES = ['pregnant', 'trying_to_conceive', 'breastfeeding'] as const;
export type PregnancyState = (typeof PREGNANCY_STATES)[number];

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a lower-case kebab-case id');
const ids = z.array(id);
/** A word or phrase a patient may write; lower case so the table reads one way. */
const term = z
  .string()
  .min(2)
  .refine((value) => value === value.toLowerCase() && value.trim() === value, 'expected a trimmed, lower-case name');
const terms = z.array(term);
/**
 * Text shown to patients. No digits at all: the bot never states a dose, and refusing every digit is simpler to
 * review than deciding which numbers are doses.
 */
const patientText = z
  .string()
  .min(3)
  .refine((value) => !/[0-9]/.test(value), 'patient-facing text must not contain digits (the bot never gives doses)');

const sourceSchema = z.object({ id, name: z.string().min(10) }).strict();

const classSchema = z
  .object({ id, name: patientText, aliases: terms.default([]), partOf: ids.default([]), source: id })
  .strict();

const medicineSchema = z
  .object({
    id,
    /** Display name; defaults to the id with hyphens as spaces. */
    name: patientText.optional(),
    kind: z.enum(['medicine', 'substance']).default('medicine'),
    classes: ids.default([]),
    /** Other generic names and salts ("sodium valproate", "acetaminophen"). */
    aliases: terms.default([]),
    brands: terms.default([]),
    misspellings: terms.default([]),
    /**
     * Words that name this only when not followed by one of `notFollowedBy` ("drink" but not "drink water") nor
     * straight after one of `notPrecededBy` ("my metro" but not "the metro").
     */
    ambiguous: z.object({ words: terms.min(1), notFollowedBy: terms.default([]), notPrecededBy: terms.default([]) }).strict().optional(),
    source: id,
  })
  .strict();

const pregnancySchema = z
  .object({
    id,
    /** Medicine or class ids; a rule for a medicine wins over a rule for its class. */
    applies: ids.min(1),
    when: z.array(z.enum(PREGNANCY_STATES)).min(1),
    advice: z.enum(['avoid', 'caution']),
    reason: patientText,
    ifTaking: z.enum(['stop_and_contact', 'contact_prescriber', 'do_not_stop']).optional(),
    /** Why stopping suddenly is dangerous; required with `do_not_stop`. */
    stopRisk: patientText.optional(),
    note: patientText.optional(),
    source: id,
  })
  .strict()
  .refine((rule) => rule.advice !== 'avoid' || rule.ifTaking !== undefined, 'an "avoid" rule must say what to do if already taking it (ifTaking)')
  .refine((rule) => (rule.ifTaking === 'do_not_stop') === (rule.stopRisk !== undefined), 'stopRisk goes with ifTaking: do_not_stop, and only with it');

const interactionSchema = z
  .object({
    id,
    /** Two or three sides, each satisfied by a different named medicine: [[alcohol], [metronidazole]]. */
    between: z.array(ids.min(1)).min(2).max(3),
    advice: z.enum(['avoid', 'check']),
    message: patientText,
    action: patientText.optional(),
    source: id,
  })
  .strict();

/**
 * A number the patient reports ("pulse is 42", "sugar 2.5", "12 a day"): it counts when it sits right after one of
 * `after` or right before one of `before` (only `through` words between) and falls in one of the `within` ranges.
 * Read for rules only; a reply never repeats it.
 */
const readingSchema = z
  .object({
    after: terms.default([]),
    before: terms.default([]),
    /** Filler words allowed between the cue and the number ("pulse is only 42", "12 tablets a day"). */
    through: z.array(z.string().regex(/^[a-z ]+$/, 'expected lower-case words')).default([]),
    /** Inclusive ranges; "sugar" needs two (mmol/L and mg/dL). */
    within: z.array(z.tuple([z.number(), z.number()])).min(1),
  })
  .strict()
  .refine((reading) => reading.after.length + reading.before.length > 0, 'a number sign needs at least one cue (after or before)');

const signSchema = z.union([
  terms.min(1),
  z.object({ words: terms.min(1), notFollowedBy: terms.default([]) }).strict(),
  z.object({ words: terms.default([]), number: readingSchema }).strict(),
]);

const toxicityRuleSchema = z
  .object({
    level: z.enum(['emergency', 'urgent']),
    /** How many different signs must be present (default one). */
    needs: z.number().int().min(1).max(10).default(1),
    /** Signs that must all be present. */
    all: ids.default([]),
    /** At least one of these signs must be present (when given). */
    anyOf: ids.default([]),
  })
  .strict();

const toxicitySchema = z
  .object({
    id,
    name: patientText,
    applies: ids.min(1),
    /** A poisoning: the answer also offers the poisons line. */
    poisoning: z.boolean().default(false),
    /** Sign id -> phrases. "a & b" means both words somewhere in the same clause. */
    signs: z.record(id, signSchema),
    /** Checked in order; the first rule that holds gives the level. */
    rules: z.array(toxicityRuleSchema).min(1),
    advice: patientText.optional(),
    source: id,
  })
  .strict();

/** The whole medicine table, as validated at start. */
export const medicineTableSchema = z
  .object({
    status: z.string().min(1),
    reviewedBy: z.string().min(3).nullable(),
    reviewedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().default(null),
    sources: z.array(sourceSchema).min(1),
    states: z.record(z.enum(PREGNANCY_STATES), terms.min(1)),
    unlisted: z.object({ minLength: z.number().int().min(4), suffixes: terms }).strict(),
    classes: z.array(classSchema),
    medicines: z.array(medicineSchema).min(1),
    pregnancy: z.array(pregnancySchema),
    interactions: z.array(interactionSchema),
    toxicity: z.array(toxicitySchema),
  })
  .strict();

export type MedicineTable = z.infer<typeof medicineTableSchema>;
export type MedicineEntry = MedicineTable['medicines'][number];
export type PregnancyRule = MedicineTable['pregnancy'][number];
export type InteractionRule = MedicineTable['interactions'][number];
export type ToxicityEntry = MedicineTable['toxicity'][number];
export type ToxicityRule = ToxicityEntry['rules'][number];
export type NumberSign = z.infer<typeof readingSchema>;
