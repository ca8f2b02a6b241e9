/**
 * Layer 2b: age and risk modifiers. They only ever raise a complaint rule's level (never lower it), so a
 * finding like "on chemotherapy" or "3 weeks after surgery" makes the same complaint more urgent.
 * Sources: NICE NG143 (infants), NICE NG51 (sepsis risk groups), NHS 111 dispositions for older adults,
 * pregnancy and recent surgery, ADA (diabetes and intercurrent illness).
 */
import type { Facts } from './facts.js';
import { SOURCES } from './sources.js';
import { levelRank, type TriageLevel } from './types.js';

export interface Modifier {
  id: string;
  source: string;
  /** The lowest level this modifier allows, with the reason, or undefined when it does not apply. */
  floor(f: Facts): { level: TriageLevel; because: string } | undefined;
}

const infectionLike = (f: Facts): boolean => f.fever || f.has('chills', 'cough', 'vomiting', 'diarrhoea', 'painful_urination', 'wound_redness', 'rash');

export const MODIFIERS: readonly Modifier[] = [
  { id: 'modifier.infant_under_3_months', source: SOURCES.niceFever,
    floor: (f) => (f.under3Months && f.findings.symptoms.some((symptom) => !symptom.negated) ? { level: 'urgent', because: 'a baby under 3 months who is unwell should be seen today' } : undefined) },
  { id: 'modifier.infant', source: SOURCES.niceFever,
    floor: (f) => (f.isInfant ? { level: 'routine', because: 'babies under 1 year need a clinician to check symptoms rather than home care alone' } : undefined) },
  { id: 'modifier.older_adult', source: SOURCES.nhs111,
    floor: (f) => (f.olderAdult && (f.fever || f.has('vomiting', 'diarrhoea', 'injury', 'abdominal_pain', 'dizziness', 'shortness_of_breath')) ? { level: 'urgent', because: 'in adults aged 65 or over these symptoms can turn serious quickly' } : undefined) },
  { id: 'modifier.pregnancy', source: SOURCES.niceAntenatal,
    floor: (f) => {
      if (!f.pregnant) return undefined;
      if (f.fever || f.has('abdominal_pain', 'painful_urination', 'leg_swelling', 'headache')) return { level: 'urgent', because: 'in pregnancy this needs a check today' };
      return { level: 'routine', because: 'in pregnancy new symptoms are best checked by your midwife or doctor' };
    } },
  { id: 'modifier.immunosuppressed', source: SOURCES.niceSepsis,
    floor: (f) => (f.immunosuppressed && infectionLike(f) ? { level: 'urgent', because: 'a weakened immune system makes infections more dangerous' } : undefined) },
  { id: 'modifier.recent_surgery', source: SOURCES.wound,
    floor: (f) => (f.recentSurgery && (f.fever || f.has('wound_redness', 'wound_pus', 'wound_opening', 'vomiting', 'leg_swelling', 'calf_pain', 'abdominal_pain', 'shortness_of_breath')) ? { level: 'urgent', because: 'after recent surgery these can be signs of a complication' } : undefined) },
  { id: 'modifier.diabetes', source: SOURCES.adaGlucose,
    floor: (f) => (f.history.diabetes && (f.has('vomiting', 'wound', 'wound_redness') || f.fever) ? { level: 'urgent', because: 'illness or a wound can upset blood sugar in diabetes' } : undefined) },
  { id: 'modifier.anticoagulated', source: SOURCES.nhs111,
    floor: (f) => (f.history.anticoagulated && f.has('bleeding', 'nosebleed', 'blood_in_urine', 'blood_in_stool', 'injury', 'wound') ? { level: 'urgent', because: 'bleeding or an injury on a blood thinner needs a check today' } : undefined) },
  { id: 'modifier.kidney_disease', source: SOURCES.niceCks,
    floor: (f) => (f.history.kidneyDisease && f.has('vomiting', 'diarrhoea', 'no_urine', 'leg_swelling') ? { level: 'urgent', because: 'with kidney disease, fluid loss or swelling needs a check today' } : undefined) },
  { id: 'modifier.worsening', source: SOURCES.nhs111,
    floor: (f) => (f.flag('worsening') || f.flag('treated_no_response') ? { level: 'routine', because: 'symptoms that are getting worse or not helped by treatment should be reviewed' } : undefined) },
];

/** The modifier that raises `level` the most, if any. */
export function applyModifiers(f: Facts, level: TriageLevel): { id: string; source: string; level: TriageLevel; because: string } | undefined {
  let best: { id: string; source: string; level: TriageLevel; because: string } | undefined;
  for (const modifier of MODIFIERS) {
    const floor = modifier.floor(f);
    if (!floor || levelRank(floor.level) <= levelRank(best?.level ?? level)) continue;
    best = { id: modifier.id, source: modifier.source, ...floor };
  }
  return best;
}
