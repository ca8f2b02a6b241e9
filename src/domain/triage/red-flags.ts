/**
 * Layer 1: red flags. Any one of them makes the result `emergency`, whatever the complaint rules say.
 *
 * Each flag names its source and explains itself in one plain sentence. The shared safety detector
 * (safety/emergency.ts) is one input: its verdict stands unless our richer findings describe the same
 * complaint in a way a complaint rule handles (a young adult's chest pain that hurts only when pressed).
 */
import type { Facts } from './facts.js';
import { SOURCES } from './sources.js';

export interface RedFlag {
  id: string;
  source: string;
  /** The reason in plain words when the flag applies; undefined otherwise. */
  test(f: Facts): string | undefined;
  advice?: string[];
}

const list = (parts: (string | false | undefined)[]): string[] => parts.filter((part): part is string => typeof part === 'string');

function cardiacFeatures(f: Facts): string[] {
  const quality = /pressure|tight|heavy|heaviness|squeez|crush|elephant/.test(f.get('chest_pain')?.evidence ?? '');
  return list([
    f.has('pain_radiating') && 'pain spreading to the arm, jaw, neck or back',
    f.has('sweating') && 'sweating',
    f.has('shortness_of_breath', 'breathing_difficulty') && 'breathlessness',
    f.has('nausea', 'vomiting') && 'nausea',
    f.has('fainting', 'dizziness') && 'feeling faint',
    f.has('palpitations') && 'a racing heart',
    quality && 'pressure or tightness',
    f.severe('chest_pain') && 'severe pain',
    f.flag('exertional') && 'pain on exertion',
    f.history.heartDisease && 'heart disease',
    f.history.diabetes && 'diabetes',
    (f.age ?? 0) >= 40 && 'age 40 or over',
  ]);
}

/** Chest pain that a complaint rule may handle: a clear harmless pattern in someone under 40 without risk factors. */
function chestPainExplained(f: Facts): boolean {
  if (!f.has('chest_pain') || cardiacFeatures(f).length > 0) return false;
  const harmless = f.flag('reproducible') || f.has('cough', 'runny_nose', 'injury', 'sprain', 'heartburn') || f.mild('chest_pain') || f.has('anxiety');
  return harmless && (f.isChild || (f.age !== undefined && f.age < 40) || f.mild('chest_pain'));
}

/** Breathlessness that is clearly mild ("a bit short of breath on the stairs") goes to the complaint rules. */
function breathingMild(f: Facts): boolean {
  if (f.has('breathing_difficulty')) return f.mild('breathing_difficulty') && !f.severe('breathing_difficulty');
  return f.has('shortness_of_breath') && !f.severe('shortness_of_breath');
}

const lowGlucose = (f: Facts): boolean => f.has('low_blood_sugar') || (f.readings.glucoseMgDl ?? 999) < 70;
const highGlucose = (f: Facts): boolean => f.has('high_blood_sugar', 'ketones') || (f.readings.glucoseMgDl ?? 0) >= 250;
const sepsisSign = (f: Facts): string[] => list([
  f.has('confusion') && 'confusion', f.has('drowsy', 'unresponsive') && 'being very drowsy', f.has('mottled_skin') && 'mottled or grey skin',
  f.has('blue_lips') && 'blue lips', f.has('fast_breathing') && 'very fast breathing', f.has('no_urine') && 'not peeing',
  (f.readings.respiratoryRate ?? 0) >= 25 && 'breathing 25 or more times a minute', (f.readings.pulseBpm ?? 0) >= 131 && 'a pulse over 130',
  (f.readings.systolic ?? 999) <= 90 && 'low blood pressure', (f.readings.spo2Pct ?? 100) < 92 && 'low oxygen',
]);

/** In priority order: the first that applies names the rule; all that apply are listed as red flags. */
export const RED_FLAGS: readonly RedFlag[] = [
  { id: 'suicide_risk', source: SOURCES.crisis, advice: ['Call or text {CRISIS_LINE} now to talk to someone. If you might act on these thoughts, call {EMERGENCY_NUMBER}.', 'Stay with someone you trust and move away anything you could use to hurt yourself.'],
    test: (f) => (f.has('suicidal_thoughts', 'self_harm') || f.safety('suicide') || f.safety('self_harm') ? 'thoughts of suicide or self-harm need help right now' : undefined) },
  { id: 'overdose_or_poisoning', source: SOURCES.nhsEmergency, advice: ['If the person is awake, call Poison Control (1-800-222-1222 in the US) while you wait for help.'],
    test: (f) => (f.safety('overdose') || (f.has('overdose') && (f.isChild || f.flag('intentional') || !/double|twice/.test(f.get('overdose')?.evidence ?? ''))) ? 'a possible overdose or poisoning' : undefined) },
  { id: 'violence', source: SOURCES.nhsEmergency, test: (f) => (f.safety('violence') ? 'someone is in danger of being hurt' : undefined) },
  { id: 'altered_consciousness', source: SOURCES.nhsEmergency,
    test: (f) => {
      if (f.has('unresponsive') || (f.safety('unresponsive') && !f.has('fainting', 'drowsy'))) return 'the person is unresponsive or will not wake up';
      if (f.has('confusion')) return 'new confusion';
      if (f.has('drowsy') && (f.isChild || f.fever || !f.mild('drowsy'))) return `${f.who} who is unusually drowsy or hard to wake`;
      return undefined;
    } },
  { id: 'seizure', source: SOURCES.nhsEmergency, test: (f) => (f.has('seizure') || f.safety('seizure') ? 'a seizure (fit)' : undefined) },
  { id: 'stroke_signs', source: SOURCES.ahaStroke,
    test: (f) => {
      const signs = list([f.has('face_droop') && 'face drooping', f.has('one_sided_weakness') && 'weakness or numbness on one side', f.has('speech_difficulty') && 'trouble speaking',
        f.has('vision_change') && (f.get('vision_change')?.onset === 'sudden' || f.has('headache', 'balance_loss', 'dizziness')) && 'sudden vision change',
        f.has('balance_loss') && (f.get('balance_loss')?.onset === 'sudden' || f.has('headache', 'vision_change')) && 'sudden loss of balance']);
      if (signs.length > 0) return `possible stroke signs: ${signs.join(', ')}`;
      return f.safety('stroke') ? 'words that describe stroke signs' : undefined;
    } },
  { id: 'anaphylaxis', source: SOURCES.anaphylaxis, advice: ['If there is an adrenaline (epinephrine) auto-injector, use it now.'],
    test: (f) => {
      const allergy = f.has('allergic_reaction', 'hives', 'sting', 'swelling_face_lips_tongue') || f.flag('allergen_exposure');
      const airway = f.has('throat_closing') || /tongue|throat|mouth/.test(f.get('swelling_face_lips_tongue')?.evidence ?? '');
      const systemic = f.has('breathing_difficulty', 'shortness_of_breath', 'wheeze', 'fainting', 'dizziness', 'trouble_swallowing', 'drooling');
      const detectorOnly = f.safety('anaphylaxis') && !(f.flag('breathing_ok') && !f.has('swelling_face_lips_tongue'));
      if (detectorOnly || airway || (allergy && systemic)) return 'signs of a severe allergic reaction (swelling of the mouth or throat, or trouble breathing)';
      return undefined;
    } },
  { id: 'breathing_difficulty', source: SOURCES.nhsEmergency,
    test: (f) => {
      if (f.has('blue_lips') || f.has('choking')) return 'blue lips or choking';
      if (f.has('drooling') && f.has('sore_throat', 'trouble_swallowing', 'fever')) return 'drooling and trouble swallowing, which can block the airway';
      if (f.has('breathing_difficulty') && !breathingMild(f)) return 'trouble breathing';
      if (f.has('fast_breathing') && (f.isChild || f.fever || f.has('shortness_of_breath'))) return `${f.who} breathing very fast`;
      if ((f.readings.respiratoryRate ?? 0) >= 30) return 'breathing 30 or more times a minute';
      if (f.has('shortness_of_breath') && (f.severe('shortness_of_breath') || f.has('chest_pain'))) return 'severe breathlessness';
      if (f.has('shortness_of_breath', 'chest_pain') && (f.recentSurgery || f.history.postpartum || f.pregnant || f.has('calf_pain') || /one|left|right/.test(f.get('leg_swelling')?.site ?? '') || f.flag('recent_travel'))) return 'breathlessness or chest pain with a risk of a blood clot in the lung';
      if (f.has('wheeze', 'shortness_of_breath') && f.flag('treated_no_response') && (f.history.asthma || f.history.copd)) return 'an asthma or COPD attack that the inhaler is not helping';
      if (f.safety('breathing') && !breathingMild(f) && !f.flag('breathing_ok')) return 'words that describe trouble breathing';
      return undefined;
    } },
  { id: 'low_oxygen', source: SOURCES.nhsEmergency,
    test: (f) => {
      const spo2 = f.readings.spo2Pct;
      if (spo2 === undefined) return undefined;
      const limit = f.history.copd ? 90 : 92;
      return spo2 < limit ? `an oxygen level of ${spo2}% (below ${limit}%)` : undefined;
    } },
  { id: 'cardiac_chest_pain', source: SOURCES.ahaCardiac,
    test: (f) => {
      if (f.has('chest_pain')) {
        if (chestPainExplained(f)) return undefined;
        const features = cardiacFeatures(f);
        return features.length > 0 ? `chest pain with ${features.join(', ')}` : 'chest pain without a clear harmless cause';
      }
      return f.safety('cardiac') ? 'words that describe heart-attack warning signs' : undefined;
    } },
  { id: 'severe_bleeding', source: SOURCES.nhsEmergency, advice: ['Press firmly on the wound with a clean cloth and keep pressing.'],
    test: (f) => {
      if (f.has('bleeding_severe')) return 'heavy bleeding that is not stopping';
      if (f.has('vomiting_blood')) return 'vomiting blood';
      if (f.history.anticoagulated && f.has('head_injury')) return 'a head injury while taking a blood thinner';
      if (f.history.anticoagulated && f.has('injury', 'wound') && f.has('bleeding')) return 'bleeding after an injury while taking a blood thinner';
      if (f.has('coughing_blood') && (f.severe('coughing_blood') || f.has('shortness_of_breath', 'chest_pain'))) return 'coughing up blood with breathlessness or chest pain';
      if (f.has('blood_in_stool') && (f.has('fainting', 'dizziness') || f.severe('blood_in_stool'))) return 'blood in the poop with feeling faint';
      const specific = f.has('nosebleed', 'blood_in_stool', 'blood_in_urine', 'vaginal_bleeding', 'coughing_blood', 'wound');
      return f.safety('bleeding') && !specific ? 'words that describe heavy bleeding' : undefined;
    } },
  { id: 'meningitis_signs', source: SOURCES.niceMeningitis,
    test: (f) => {
      if (f.has('rash_non_blanching')) return 'a rash that does not fade when pressed';
      if (f.fever && f.has('stiff_neck', 'light_sensitivity')) return 'fever with a stiff neck or light hurting the eyes';
      return undefined;
    } },
  { id: 'sudden_severe_headache', source: SOURCES.nhsEmergency,
    test: (f) => (f.has('worst_headache') || (f.has('headache') && f.has('stiff_neck') && f.get('headache')?.onset === 'sudden') ? 'a sudden, severe "worst ever" headache' : undefined) },
  { id: 'sepsis_signs', source: SOURCES.niceSepsis,
    test: (f) => {
      const infection = f.fever || f.hypothermic || f.has('chills');
      const signs = sepsisSign(f);
      if (infection && signs.length > 0) return `fever or chills with ${signs.join(', ')}`;
      if ((f.fever || f.hypothermic) && f.history.chemotherapy) return 'a fever during chemotherapy (possible neutropenic sepsis)';
      if (f.safety('sepsis') && infection) return 'words that describe sepsis signs';
      return undefined;
    } },
  { id: 'infant_fever', source: SOURCES.niceFever,
    test: (f) => ((f.fever || f.hypothermic) && f.under3Months ? `a baby under 3 months with a temperature${f.tempC !== undefined ? ` of ${f.tempC} °C` : ''}` : undefined) },
  { id: 'child_dehydration', source: SOURCES.niceFever,
    test: (f) => {
      if (!f.isChild) return undefined;
      const strong = f.has('no_urine') || /sunken|tears/.test(f.get('dehydration_signs')?.evidence ?? '') || (f.has('dehydration_signs') && f.has('drowsy', 'cant_keep_fluids'));
      return strong ? `${f.who} with signs of dehydration (few wet diapers or no pee, no tears, sunken eyes)` : undefined;
    } },
  { id: 'pregnancy_danger', source: SOURCES.niceAntenatal,
    test: (f) => {
      const bp = (f.readings.systolic ?? 0) >= 160 || (f.readings.diastolic ?? 0) >= 110;
      if (f.pregnant) {
        const spottingOnly = /spott/.test(f.get('vaginal_bleeding')?.evidence ?? '') && f.mild('vaginal_bleeding');
        if ((f.has('vaginal_bleeding') && !spottingOnly) || (f.has('bleeding') && !f.has('nosebleed', 'wound'))) return 'bleeding in pregnancy';
        if (f.has('reduced_fetal_movement')) return 'the baby moving less than usual';
        if (f.has('headache') && (f.has('vision_change', 'swelling_face_lips_tongue') || f.severe('headache') || bp)) return 'headache with vision changes or swelling in pregnancy (possible pre-eclampsia)';
        if (bp) return 'very high blood pressure in pregnancy';
        if (f.has('abdominal_pain') && !f.mild('abdominal_pain')) return 'belly pain in pregnancy';
        if ((f.has('waters_broken') || f.has('contractions')) && (f.history.pregnancyWeeks ?? 40) < 37) return 'labour signs before 37 weeks';
      }
      if (f.history.postpartum && (f.has('bleeding_severe') || f.severe('vaginal_bleeding') || (f.has('headache') && f.has('vision_change')))) return 'heavy bleeding or a severe headache with vision changes after giving birth';
      return undefined;
    } },
  { id: 'severe_abdominal_pain', source: SOURCES.nhsEmergency,
    test: (f) => {
      if (f.has('abdomen_rigid')) return 'a hard, rigid belly';
      if (f.has('abdominal_pain') && (f.severe('abdominal_pain') || f.has('fainting'))) return 'severe belly pain';
      if (f.has('testicular_pain') && (f.get('testicular_pain')?.onset === 'sudden' || f.severe('testicular_pain') || f.isChild)) return 'sudden or severe testicle pain (possible torsion)';
      return undefined;
    } },
  { id: 'hypertensive_crisis', source: SOURCES.ahaBp,
    test: (f) => {
      const high = (f.readings.systolic ?? 0) >= 180 || (f.readings.diastolic ?? 0) >= 120;
      const symptoms = f.has('headache', 'chest_pain', 'shortness_of_breath', 'breathing_difficulty', 'vision_change', 'confusion', 'one_sided_weakness', 'speech_difficulty', 'numbness', 'dizziness', 'nosebleed', 'nausea', 'vomiting');
      return high && symptoms ? `blood pressure of ${f.readings.systolic}/${f.readings.diastolic} with symptoms` : undefined;
    } },
  { id: 'hypoglycaemia_not_responding', source: SOURCES.adaGlucose,
    test: (f) => (lowGlucose(f) && (f.has('hypo_not_responding', 'confusion', 'drowsy', 'unresponsive', 'seizure') || (f.readings.glucoseMgDl ?? 999) < 40) ? 'low blood sugar that is not coming up or is causing confusion' : undefined) },
  { id: 'dka_signs', source: SOURCES.adaGlucose,
    test: (f) => {
      if (!highGlucose(f) && !(f.history.diabetes && f.has('fruity_breath', 'ketones'))) return undefined;
      const signs = f.has('vomiting', 'abdominal_pain', 'fruity_breath', 'ketones', 'fast_breathing', 'confusion', 'drowsy', 'breathing_difficulty', 'cant_keep_fluids');
      return signs ? 'high blood sugar with vomiting, belly pain, fruity breath or fast breathing (possible DKA)' : undefined;
    } },
  { id: 'head_injury_danger', source: SOURCES.niceHeadInjury,
    test: (f) => {
      if (!f.has('head_injury')) return undefined;
      const signs = list([f.has('fainting') && 'being knocked out', f.has('vomiting') && 'vomiting', f.has('drowsy', 'confusion') && 'drowsiness or confusion', f.has('vision_change') && 'vision changes',
        f.severe('headache') && 'a severe headache', f.olderAdult && 'age 65 or over', f.under3Months && 'a baby under 3 months', f.has('bleeding_severe') && 'heavy bleeding', f.has('seizure') && 'a seizure']);
      return signs.length > 0 ? `a head injury with ${signs.join(', ')}` : undefined;
    } },
  { id: 'spinal_cord_compression', source: SOURCES.nhsEmergency,
    test: (f) => (f.has('saddle_numbness') || (f.has('back_pain') && f.has('loss_bladder_bowel_control')) ? 'back pain with numbness between the legs or loss of bladder or bowel control' : undefined) },
  { id: 'major_injury', source: SOURCES.nhsEmergency,
    test: (f) => (/bone|skin/.test(f.get('deformity')?.evidence ?? '') ? 'a bone showing through the skin' : undefined) },
  { id: 'fainting_with_danger_signs', source: SOURCES.nhsEmergency,
    test: (f) => (f.has('fainting') && (f.has('chest_pain', 'palpitations', 'shortness_of_breath', 'head_injury') || f.history.heartDisease || f.pregnant || f.flag('exertional')) ? 'fainting with chest pain, a racing heart, breathlessness, heart disease or pregnancy' : undefined) },
  { id: 'declared_emergency', source: SOURCES.nhsEmergency, test: (f) => (f.safety('declared') ? 'the message says it is an emergency' : undefined) },
];

export interface RedFlagHit {
  flag: RedFlag;
  because: string;
}

/** Every red flag that applies, in priority order. */
export function findRedFlags(f: Facts): RedFlagHit[] {
  const hits: RedFlagHit[] = [];
  for (const flag of RED_FLAGS) {
    const because = flag.test(f);
    if (because) hits.push({ flag, because });
  }
  return hits;
}
