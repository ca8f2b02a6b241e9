/**
 * Post-op red flags: the facts that stop a check-in's questions at once, and what the patient is told now.
 *
 * `critical` means call the emergency number now; `high` means call the surgical team today. Each rule names the
 * published criterion it comes from. They are a floor, kept in code rather than in the protocol file, so a protocol
 * sent to the API can add questions but never switch a red flag off. Everything below these (pain scores,
 * redness that is not spreading, light bleeding, not eating) is for the escalation rules to weigh.
 */
import type { FactName, FactValue, PostopFacts } from './facts.js';

export type RedFlagLevel = 'critical' | 'high';

/** One red flag found in an answer. */
export interface RedFlag {
  id: string;
  level: RedFlagLevel;
  /** One plain sentence: why this needs help now. */
  because: string;
  /** The published criterion, or the triage rule that decided. */
  source: string;
  /** The fact that raised it, when a fact did (triage flags have none). */
  fact?: FactName;
}

interface RedFlagRule extends Omit<RedFlag, 'fact'> {
  fact: FactName;
  when: (value: FactValue) => boolean;
  /** First aid said with a critical flag, while help comes. */
  advice?: string;
}

/** Temperature at or above which a same-day call is needed (101 F; CDC/NHSN counts above 38.0 C as an SSI sign). */
export const FEVER_RED_FLAG_C = 38.3;

const SOURCES = {
  dehiscence: 'CDC / NHSN SSI criteria (a wound that spontaneously dehisces); NHS and NICE NG125 advice on a wound that opens',
  bleeding: 'NHS "Recovering from an operation": bleeding that soaks the dressing or does not stop - call 999',
  vte: 'NICE NG89 / NG158 venous thromboembolism: DVT (calf pain or swelling) and pulmonary embolism (breathlessness, chest pain) after surgery',
  ssi: 'CDC / NHSN SSI criteria and NICE NG125: purulent drainage, spreading redness (cellulitis), fever',
  fever: 'Surgical discharge instructions in common use: a temperature of 101 F (38.3 C) or higher - call the surgeon',
};

/** The red-flag rules, most urgent first. */
export const RED_FLAG_RULES: readonly RedFlagRule[] = [
  { id: 'postop.organs_visible', level: 'critical', fact: 'organs_visible', when: (value) => value === true, source: SOURCES.dehiscence, because: 'The wound has opened with something showing or coming out.', advice: 'Lie down with your knees bent. Cover the wound with a clean, damp cloth. Do not push anything back in. Do not eat or drink.' },
  { id: 'postop.heavy_bleeding', level: 'critical', fact: 'bleeding', when: (value) => value === 'heavy', source: SOURCES.bleeding, because: 'The wound is bleeding heavily: soaking the dressing or not stopping.', advice: 'Press firmly on the wound with a clean pad and keep pressing. Lie down if you feel faint.' },
  { id: 'postop.chest_pain', level: 'critical', fact: 'chest_pain', when: (value) => value === true, source: SOURCES.vte, because: 'Chest pain after surgery can be a blood clot in the lung or a heart problem.' },
  { id: 'postop.breathless', level: 'critical', fact: 'breathless', when: (value) => value === true, source: SOURCES.vte, because: 'Shortness of breath after surgery can be a blood clot in the lung.' },
  { id: 'postop.wound_opening', level: 'high', fact: 'wound_opening', when: (value) => value === true, source: SOURCES.dehiscence, because: 'The edges of the wound have come apart.' },
  { id: 'postop.fever', level: 'high', fact: 'temperature_c', when: (value) => typeof value === 'number' && value >= FEVER_RED_FLAG_C, source: SOURCES.fever, because: `A temperature of ${FEVER_RED_FLAG_C} C (101 F) or more after surgery can be an infection.` },
  { id: 'postop.pus_or_smell', level: 'high', fact: 'drainage', when: (value) => value === 'thick' || value === 'foul', source: SOURCES.ssi, because: 'Thick, yellow or green, or bad-smelling fluid from the wound is a sign of infection.' },
  { id: 'postop.spreading_redness', level: 'high', fact: 'redness', when: (value) => value === 'spreading', source: SOURCES.ssi, because: 'Redness spreading from the wound, or red streaks, is a sign of infection.' },
  { id: 'postop.calf_pain', level: 'high', fact: 'calf_pain', when: (value) => value === true, source: SOURCES.vte, because: 'Pain, swelling or tenderness in a calf after surgery can be a blood clot.' },
];

/** Every red flag the facts raise, most urgent first. */
export function redFlagsIn(facts: PostopFacts): RedFlag[] {
  return RED_FLAG_RULES.filter((rule) => {
    const value = facts[rule.fact];
    return value !== undefined && rule.when(value);
  }).map(({ id, level, because, source, fact }) => ({ id, level, because, source, fact }));
}

/** The most urgent level among the flags, or undefined when there are none. */
export function topLevel(flags: readonly RedFlag[]): RedFlagLevel | undefined {
  if (flags.some((flag) => flag.level === 'critical')) return 'critical';
  return flags.length > 0 ? 'high' : undefined;
}

/**
 * What the patient is told now, in plain words short enough for SMS. `{EMERGENCY_NUMBER}` (911 in the US) and
 * `{CARE_TEAM_PHONE}` are filled in by the caller, as for triage advice.
 */
export function redFlagMessage(flags: readonly RedFlag[]): string {
  const level = topLevel(flags);
  if (level === undefined) return '';
  if (level === 'high') {
    return 'Please call your surgical team today at {CARE_TEAM_PHONE}. If you get worse or feel very unwell before then, call {EMERGENCY_NUMBER}.';
  }
  const advice = RED_FLAG_RULES.filter((rule) => rule.advice && flags.some((flag) => flag.id === rule.id)).map((rule) => rule.advice);
  return ['Call {EMERGENCY_NUMBER} now, or have someone take you to the nearest emergency department. Do not drive yourself.', ...advice].join(' ');
}
