/**
 * The few questions whose answers could raise the level: red flags first, at most three, none already
 * answered by the findings (a symptom mentioned either way counts as answered).
 */
import type { Facts } from './facts.js';
import { levelRank, type FollowUpQuestion, type SymptomCode, type TriageLevel } from './types.js';

interface Question {
  id: string;
  question: string;
  raisesTo: (f: Facts) => TriageLevel;
  /** Mentioning any of these (present or denied) answers the question. */
  answeredBy: SymptomCode[];
  askWhen: (f: Facts) => boolean;
}

const any = (f: Facts): boolean => f.findings.symptoms.some((symptom) => !symptom.negated);
const adult = (f: Facts): boolean => !f.isChild;

const QUESTIONS: readonly Question[] = [
  { id: 'breathing', question: 'Are you having trouble breathing, or are the lips or face turning blue?', raisesTo: () => 'emergency', answeredBy: ['breathing_difficulty', 'shortness_of_breath', 'blue_lips'],
    askWhen: (f) => f.has('cough', 'wheeze', 'chest_pain', 'fever', 'allergic_reaction', 'hives', 'sting', 'swelling_face_lips_tongue', 'runny_nose', 'sore_throat', 'anxiety', 'palpitations') },
  { id: 'infant_age', question: 'How old is the baby? Is the baby under 3 months old?', raisesTo: () => 'emergency', answeredBy: [],
    askWhen: (f) => f.isInfant && f.age === undefined && f.fever },
  { id: 'meningitis', question: 'Is there a stiff neck, a rash that does not fade when you press a glass on it, or does light hurt the eyes?', raisesTo: () => 'emergency',
    answeredBy: ['stiff_neck', 'rash_non_blanching', 'light_sensitivity'], askWhen: (f) => f.fever || f.has('headache') },
  { id: 'alertness', question: 'Is the person confused, very sleepy, or hard to wake?', raisesTo: () => 'emergency', answeredBy: ['confusion', 'drowsy', 'unresponsive'],
    askWhen: (f) => f.fever || f.has('head_injury', 'vomiting', 'low_blood_sugar', 'high_blood_sugar') || f.isInfant },
  { id: 'stroke', question: 'Is there any face drooping, weakness or numbness on one side, or trouble speaking?', raisesTo: () => 'emergency',
    answeredBy: ['face_droop', 'one_sided_weakness', 'speech_difficulty'], askWhen: (f) => f.has('headache', 'dizziness', 'numbness', 'weakness', 'vision_change', 'balance_loss') },
  { id: 'sudden_headache', question: 'Did the headache start suddenly, and is it the worst you have ever had?', raisesTo: () => 'emergency', answeredBy: ['worst_headache'], askWhen: (f) => f.has('headache') },
  { id: 'chest_pain', question: 'Do you have chest pain or pressure, especially spreading to the arm, jaw or back?', raisesTo: () => 'emergency', answeredBy: ['chest_pain'],
    askWhen: (f) => adult(f) && f.has('shortness_of_breath', 'palpitations', 'dizziness', 'sweating', 'nausea', 'heartburn', 'fainting', 'anxiety') },
  { id: 'severe_belly', question: 'Is the belly pain severe, or is the belly hard to touch? Any blood in the vomit?', raisesTo: () => 'emergency', answeredBy: ['abdomen_rigid', 'vomiting_blood'],
    askWhen: (f) => f.has('abdominal_pain', 'vomiting') },
  { id: 'swelling', question: 'Is there any swelling of the lips, tongue or throat?', raisesTo: () => 'emergency', answeredBy: ['swelling_face_lips_tongue', 'throat_closing'],
    askWhen: (f) => f.has('rash', 'hives', 'itching', 'sting', 'allergic_reaction', 'side_effect') },
  { id: 'back_red_flags', question: 'Any numbness between the legs, or trouble controlling your bladder or bowels?', raisesTo: () => 'emergency', answeredBy: ['saddle_numbness', 'loss_bladder_bowel_control'],
    askWhen: (f) => f.has('back_pain') },
  { id: 'self_harm', question: 'Are you having any thoughts of harming yourself or ending your life?', raisesTo: () => 'emergency', answeredBy: ['suicidal_thoughts', 'self_harm'],
    askWhen: (f) => f.has('low_mood', 'anxiety', 'insomnia', 'hallucinations') },
  { id: 'heavy_bleeding', question: 'Is the bleeding heavy, or still going after 10 minutes of firm pressure?', raisesTo: () => 'emergency', answeredBy: ['bleeding_severe'],
    askWhen: (f) => f.has('bleeding', 'wound', 'nosebleed') },
  { id: 'dehydration', question: 'Is the person peeing much less than usual, with a dry mouth or no tears when crying?', raisesTo: (f) => (f.isChild ? 'emergency' : 'urgent'),
    answeredBy: ['no_urine', 'dehydration_signs'], askWhen: (f) => f.has('vomiting', 'diarrhoea', 'cant_keep_fluids') || (f.isChild && f.fever) },
  { id: 'keep_fluids', question: 'Can you keep fluids down?', raisesTo: () => 'urgent', answeredBy: ['cant_keep_fluids'], askWhen: (f) => f.has('vomiting') },
  { id: 'fever', question: 'Do you have a fever of 38 °C (100.4 °F) or higher?', raisesTo: () => 'urgent', answeredBy: ['fever', 'chills'],
    askWhen: (f) => f.tempC === undefined && f.has('painful_urination', 'urinary_frequency', 'wound', 'wound_redness', 'back_pain', 'abdominal_pain', 'ear_pain', 'rash', 'sore_throat', 'cough', 'headache', 'joint_pain') },
  { id: 'wound_signs', question: 'Is there spreading redness, pus, or is the wound opening?', raisesTo: () => 'urgent', answeredBy: ['wound_redness', 'wound_pus', 'wound_opening'],
    askWhen: (f) => f.has('wound', 'bite', 'burn') || f.recentSurgery },
  { id: 'calf', question: 'Is one leg swollen, red, warm, or painful in the calf?', raisesTo: () => 'urgent', answeredBy: ['leg_swelling', 'calf_pain'],
    askWhen: (f) => f.recentSurgery || f.pregnant || f.history.postpartum === true },
  { id: 'weight_bearing', question: 'Can you put weight on it and walk a few steps?', raisesTo: () => 'urgent', answeredBy: ['cant_bear_weight', 'deformity'], askWhen: (f) => f.has('sprain', 'injury', 'joint_pain') },
  { id: 'flank', question: 'Do you have pain in your back or side, just below the ribs?', raisesTo: () => 'urgent', answeredBy: ['flank_pain', 'back_pain'], askWhen: (f) => f.has('painful_urination', 'urinary_frequency') },
  { id: 'details', question: 'What symptoms do you have, and when did they start?', raisesTo: () => 'urgent', answeredBy: [], askWhen: (f) => !any(f) },
];

/** Up to three questions that could raise `level`, most urgent first. */
export function followUpsFor(f: Facts, level: TriageLevel): FollowUpQuestion[] {
  const asked: FollowUpQuestion[] = [];
  for (const question of QUESTIONS) {
    const raisesTo = question.raisesTo(f);
    if (levelRank(raisesTo) <= levelRank(level) || f.answered(...question.answeredBy) || !question.askWhen(f)) continue;
    asked.push({ id: question.id, question: question.question, raisesTo });
  }
  return asked.sort((left, right) => levelRank(right.raisesTo) - levelRank(left.raisesTo)).slice(0, 3);
}
