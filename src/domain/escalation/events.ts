/**
 * The events an alert starts from, and the facts each one carries. The fact catalogue below is the contract
 * between the code that raises an event (post-op check-in, triage, reminders, safety net, handoff, wellbeing)
 * and the rules that read it: a rule that pins an event type may only name facts listed here (condition.ts).
 */

/** What happened. */
export const EVENT_TYPES = [
  'postop_checkin',
  'postop_nonresponse',
  'triage',
  'missed_doses',
  'emergency',
  'handoff',
  'wellbeing_low',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One fact's value; facts are flat so a clinician can read a rule without knowing our data model. */
export type FactValue = number | string | boolean | string[];

/** Something that may need a person: its type, who it is about, and the facts rules decide on. */
export interface EscalationEvent {
  type: EventType;
  patientId?: string;
  /** The patient's own care team: where an alert goes when the matching rule names no team. */
  careTeamId?: string;
  facts: Record<string, FactValue>;
}

/** What one fact holds: its kind, and for text facts the only values it takes (so `drainage == "fowl"` fails). */
export type FactSpec =
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'string'; values?: readonly string[] }
  | { kind: 'string[]' };

const num = (min?: number, max?: number): FactSpec => ({ kind: 'number', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
const bool: FactSpec = { kind: 'boolean' };
const oneOf = (...values: string[]): FactSpec => ({ kind: 'string', values });
const text: FactSpec = { kind: 'string' };

/**
 * The facts each event type carries (all optional: a patient may skip a question, and a fact nobody gave never
 * makes a comparison true).
 *
 * - postop_checkin: `day` (days since surgery), `temperature_c`, `pain` (0-10), `pain_controlled`,
 *   `redness` (none | present | spreading), `swelling`, `drainage` (none | clear | bloody | thick | foul),
 *   `wound_opening`, `organs_visible`, `bleeding` (none | light | heavy), `calf_pain`, `breathless`,
 *   `chest_pain`, `eating_drinking`, `passing_urine`, `photo` (the patient sent a wound photo).
 * - postop_nonresponse: `missed` (check-ins left unanswered in a row).
 * - triage: `level` (emergency | urgent | routine | self_care), `rule` (the id of the triage rule that decided).
 * - missed_doses: `missed` (doses missed in a row).
 * - emergency: `category` (what the safety net recognised, e.g. cardiac, suicide).
 * - handoff: none (the patient asked for a person).
 * - wellbeing_low: `score` (the wellbeing score that was low).
 */
export const EVENT_FACTS: Readonly<Record<EventType, Readonly<Record<string, FactSpec>>>> = {
  postop_checkin: {
    day: num(0),
    temperature_c: num(),
    pain: num(0, 10),
    pain_controlled: bool,
    redness: oneOf('none', 'present', 'spreading'),
    swelling: bool,
    drainage: oneOf('none', 'clear', 'bloody', 'thick', 'foul'),
    wound_opening: bool,
    organs_visible: bool,
    bleeding: oneOf('none', 'light', 'heavy'),
    calf_pain: bool,
    breathless: bool,
    chest_pain: bool,
    eating_drinking: bool,
    passing_urine: bool,
    photo: bool,
  },
  postop_nonresponse: { missed: num(0) },
  triage: { level: oneOf('emergency', 'urgent', 'routine', 'self_care'), rule: text },
  missed_doses: { missed: num(0) },
  emergency: { category: text },
  handoff: {},
  wellbeing_low: { score: num() },
};

/** The spec of `fact` for `type`, or undefined when that event type does not carry it. */
export function factSpec(type: EventType, fact: string): FactSpec | undefined {
  const facts = EVENT_FACTS[type];
  return Object.hasOwn(facts, fact) ? facts[fact] : undefined;
}
