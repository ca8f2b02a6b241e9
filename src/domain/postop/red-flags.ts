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

/** Temperature at or above which a same-day call is needed: 38.0 C / 100.4 F (CDC / NHSN, NHS "high temperature"). */
export const FEVER_RED_FLAG_C = 38;
/** Temperature below which a same-day call is needed (SIRS criteria; NICE NG51 sepsis risk: below 36 C). */
export const LOW_TEMPERATURE_RED_FLAG_C = 36;
/** The worst pain on the 0-10 scale. */
export const WORST_PAIN = 10;

const SOURCES = {
  dehiscence: 'CDC / NHSN SSI criteria (a wound that spontaneously dehisces); NHS and NICE NG125 advice on a wound that opens',
  bleeding: 'NHS "Recovering from an operation": bleeding that soaks the dressing or does not stop - call 999',
  vte: 'NICE NG89 / NG158 venous thromboembolism: DVT (calf pain or swelling) and pulmonary embolism (breathlessness, chest pain) after surgery',
  ssi: 'CDC / NHSN SSI criteria and NICE NG125: purulent drainage, spreading redness (cellulitis), fever',
  fever: 'CDC / NHSN SSI criteria (fever above 38.0 C) and NHS "high temperature" (38 C or more): call the surgical team',
  sepsis: 'SIRS criteria and NICE NG51 sepsis: temperature below 36 C; with rigors or feeling very unwell, possible sepsis (call 999)',
  pain: 'ACS and NHS discharge advice: pain not controlled by the prescribed medicine, or severe pain getting worse - call the surgeon today',
  infection: 'CDC / NHSN superficial incisional SSI: pain or tenderness, localized swelling, redness or heat at the incision (with firmness, tight shiny skin or throbbing)',
};

/** The red-flag rules, most urgent first. */
export const RED_FLAG_RULES: readonly RedFlagRule[] = [
  { id: 'postop.organs_visible', level: 'critical', fact: 'organs_visible', when: (value) => value === true, source: SOURCES.dehiscence, because: 'The wound has opened with something showing or coming out.', advice: 'Lie down with your knees bent. Cover the wound with a clean, damp cloth. Do not push anything back in. Do not eat or drink.' },
  { id: 'postop.heavy_bleeding', level: 'critical', fact: 'bleeding', when: (value) => value === 'heavy', source: SOURCES.bleeding, because: 'The wound is bleeding heavily: soaking the dressing or not stopping.', advice: 'Press firmly on the wound with a clean pad and keep pressing. Lie down if you feel faint.' },
  { id: 'postop.chest_pain', level: 'critical', fact: 'chest_pain', when: (value) => value === true, source: SOURCES.vte, because: 'Chest pain after surgery can be a blood clot in the lung or a heart problem.' },
  { id: 'postop.breathless', level: 'critical', fact: 'breathless', when: (value) => value === true, source: SOURCES.vte, because: 'Shortness of breath after surgery can be a blood clot in the lung.' },
  { id: 'postop.wound_opening', level: 'high', fact: 'wound_opening', when: (value) => value === true, source: SOURCES.dehiscence, because: 'The edges of the wound have come apart.' },
  { id: 'postop.fever', level: 'high', fact: 'temperature_c', when: (value) => typeof value === 'number' && value >= FEVER_RED_FLAG_C, source: SOURCES.fever, because: `A temperature of ${FEVER_RED_FLAG_C.toFixed(1)} C (100.4 F) or more after surgery can be an infection.` },
  { id: 'postop.pus_or_smell', level: 'high', fact: 'drainage', when: (value) => value === 'thick' || value === 'foul', source: SOURCES.ssi, because: 'Thick, yellow or green, or bad-smelling fluid from the wound is a sign of infection.' },
  { id: 'postop.spreading_redness', level: 'high', fact: 'redness', when: (value) => value === 'spreading', source: SOURCES.ssi, because: 'Redness spreading from the wound, or red streaks, is a sign of infection.' },
  { id: 'postop.low_temperature', level: 'high', fact: 'temperature_c', when: (value) => typeof value === 'number' && value < LOW_TEMPERATURE_RED_FLAG_C, source: SOURCES.sepsis, because: `A temperature below ${LOW_TEMPERATURE_RED_FLAG_C} C after surgery can be a sign of infection spreading in the body.` },
  { id: 'postop.pain_uncontrolled', level: 'high', fact: 'pain_controlled', when: (value) => value === false, source: SOURCES.pain, because: 'Pain that the prescribed medicine does not control needs the surgical team today.' },
  { id: 'postop.worst_pain', level: 'high', fact: 'pain', when: (value) => typeof value === 'number' && value >= WORST_PAIN, source: SOURCES.pain, because: 'The worst pain imaginable after surgery needs the surgical team today.' },
  { id: 'postop.calf_pain', level: 'high', fact: 'calf_pain', when: (value) => value === true, source: SOURCES.vte, because: 'Pain, swelling or tenderness in a calf after surgery can be a blood clot.' },
];

/**
 * Red flags an answer raises from what it says rather than from one fact: severe pain getting worse, feeling
 * feverish with no reading, a low temperature with rigors or feeling very unwell, local infection signs.
 */
export const CONTEXT_FLAGS = {
  woundBurst: { id: 'postop.wound_burst', level: 'critical', source: SOURCES.dehiscence, because: 'The wound has burst open with fluid gushing out.' },
  possibleSepsis: { id: 'postop.possible_sepsis', level: 'critical', source: SOURCES.sepsis, because: 'A low temperature with shaking or feeling very unwell after surgery can be sepsis.' },
  severePainWorsening: { id: 'postop.severe_pain_worsening', level: 'high', source: SOURCES.pain, because: 'Severe pain that is getting worse after surgery needs the surgical team today.' },
  feverishUnmeasured: { id: 'postop.feverish_unmeasured', level: 'high', source: SOURCES.fever, because: 'Feeling feverish, hot and sweaty or shivery after surgery can be an infection, even without a reading.' },
  woundInfectionSigns: { id: 'postop.wound_infection_signs', level: 'high', source: SOURCES.infection, because: 'Several signs of infection at the wound, or one that is getting worse, need the surgical team today.' },
} as const satisfies Record<string, RedFlag>;

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
