/**
 * The facts a post-op check-in records, in the names the escalation rules read (escalation/events.ts,
 * `postop_checkin`). Each fact says what values it takes and which way is worse, so answers from several sources
 * (the question's own reading, the triage engine) merge with the more worrying reading winning, as everywhere in
 * CareLoop: a second reader can add a concern, never remove one.
 */

/** A fact's value: a number (pain, °C), a yes/no, or one of the fact's named values. */
export type FactValue = number | boolean | string;

/** Facts recorded from one answer, by name. */
export type PostopFacts = Partial<Record<FactName, FactValue>>;

/** How one fact is stored and compared. */
export type FactSpec =
  | { type: 'number'; min: number; max: number }
  /** `worse` is the value that is a concern ("no" for "can you eat and drink?"). */
  | { type: 'boolean'; worse: boolean }
  /** Values in order of concern, mildest first. */
  | { type: 'choice'; values: readonly string[] };

const concernIfTrue = { type: 'boolean', worse: true } as const;
const concernIfFalse = { type: 'boolean', worse: false } as const;

/** Every fact a protocol may record. A protocol naming another fact is refused (protocol.ts). */
export const POSTOP_FACTS = {
  pain: { type: 'number', min: 0, max: 10 },
  pain_controlled: concernIfFalse,
  /** Body temperature in °C; absent when the patient could not take it. */
  temperature_c: { type: 'number', min: 25, max: 45 },
  redness: { type: 'choice', values: ['none', 'present', 'spreading'] },
  swelling: concernIfTrue,
  drainage: { type: 'choice', values: ['none', 'clear', 'bloody', 'thick', 'foul'] },
  wound_opening: concernIfTrue,
  organs_visible: concernIfTrue,
  bleeding: { type: 'choice', values: ['none', 'light', 'heavy'] },
  calf_pain: concernIfTrue,
  breathless: concernIfTrue,
  chest_pain: concernIfTrue,
  eating_drinking: concernIfFalse,
  passing_urine: concernIfFalse,
  /** True when the patient sent a wound photo, false when they skipped it. */
  photo: { type: 'boolean', worse: false },
} as const satisfies Record<string, FactSpec>;

export type FactName = keyof typeof POSTOP_FACTS;

export const FACT_NAMES = Object.keys(POSTOP_FACTS) as [FactName, ...FactName[]];

/** True when `name` is a fact a protocol may record. */
export function isFactName(name: string): name is FactName {
  return Object.hasOwn(POSTOP_FACTS, name);
}

/** Why `value` is not a valid value of `name`, or undefined when it is. */
export function factValueProblem(name: FactName, value: unknown): string | undefined {
  const spec: FactSpec = POSTOP_FACTS[name];
  if (spec.type === 'number') {
    return typeof value === 'number' && value >= spec.min && value <= spec.max ? undefined : `${name} takes a number from ${spec.min} to ${spec.max}`;
  }
  if (spec.type === 'boolean') return typeof value === 'boolean' ? undefined : `${name} takes true or false`;
  return typeof value === 'string' && spec.values.includes(value) ? undefined : `${name} takes one of ${spec.values.join(', ')}`;
}

/** How worrying a value is, for merging: higher is worse. Numbers compare as they are (pain), except temperature. */
function concern(name: FactName, value: FactValue): number {
  const spec: FactSpec = POSTOP_FACTS[name];
  if (spec.type === 'choice') return spec.values.indexOf(String(value));
  if (spec.type === 'boolean') return value === spec.worse ? 1 : 0;
  // A temperature is worse the further it is from normal, in either direction (NICE NG51 counts both).
  return name === 'temperature_c' ? Math.abs(Number(value) - 37) : Number(value);
}

/** `extra` merged into `base`: for each fact the more worrying value wins; ties keep `base`. */
export function mergeFacts(base: PostopFacts, extra: PostopFacts): PostopFacts {
  const merged: PostopFacts = { ...base };
  for (const [name, value] of Object.entries(extra) as [FactName, FactValue][]) {
    const kept = merged[name];
    if (kept === undefined || concern(name, value) > concern(name, kept)) merged[name] = value;
  }
  return merged;
}
