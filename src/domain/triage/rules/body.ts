/**
 * Muscles and joints, chest pain without cardiac features, mental health without immediate risk, medicines,
 * blood sugar, blood pressure, and general symptoms (tiredness, weight loss, pain).
 * NHS "Back pain", "Sprains and strains", "Broken bones", "Depression", "Side effects", "Low blood sugar";
 * NICE CKS (low back pain, depression, generalised anxiety); ADA hypoglycaemia 15-15 rule; AHA blood pressure.
 */
import type { Facts } from '../facts.js';
import { SOURCES } from '../sources.js';
import { GET_HELP_SOONER, decide, type ComplaintRule } from './common.js';

export const musculoskeletal: ComplaintRule = {
  id: 'musculoskeletal',
  evaluate(f: Facts) {
    if (f.has('deformity', 'cant_bear_weight')) return decide('urgent', 'msk.possible_fracture', SOURCES.nhsPage, 'A possible broken bone: cannot put weight on it, cannot use it, or it looks out of shape.', ['Keep it still and supported; a cold pack wrapped in a towel helps with swelling.']);
    if (f.has('injury') && (f.olderAdult || f.history.anticoagulated)) return decide('urgent', 'msk.fall_risk_group', SOURCES.nhs111, 'A fall or injury in an older adult or someone on a blood thinner.');
    if (f.has('back_pain')) {
      if (f.fever || f.immunosuppressed || f.has('weight_loss') || f.has('numbness')) return decide('urgent', 'msk.back_pain_red_flags', SOURCES.niceCks, 'Back pain with fever, numbness or weight loss, or with a weak immune system.');
      if ((f.days('back_pain') ?? 0) >= 42 || f.flag('worsening')) return decide('routine', 'msk.back_pain_persistent', SOURCES.niceCks, 'Back pain lasting 6 weeks or more, or getting worse.');
      return decide('self_care', 'msk.back_pain', SOURCES.niceCks, 'Back pain without warning signs; most back pain gets better in a few weeks.', [
        'Keep moving gently and stay as active as you can. Heat and pain relief such as ibuprofen or paracetamol (acetaminophen) can help.',
        'Call {EMERGENCY_NUMBER} if you get numbness between the legs or cannot control your bladder or bowels. Get help if it lasts more than 6 weeks or comes with fever.',
      ]);
    }
    if (f.has('joint_pain') && f.fever) return decide('urgent', 'msk.hot_joint', SOURCES.niceCks, 'Joint pain with a fever can be an infection in the joint.');
    if (f.has('sprain', 'injury', 'neck_pain', 'joint_pain')) {
      if (f.has('neck_pain') && f.has('injury')) return decide('urgent', 'msk.neck_injury', SOURCES.nhsPage, 'Neck pain after an injury.');
      if (f.has('joint_pain') && (f.days('joint_pain') ?? 0) >= 14) return decide('routine', 'msk.joint_persistent', SOURCES.niceCks, 'Joint pain lasting 2 weeks or more.');
      if (f.severe('sprain', 'joint_pain', 'pain') || f.has('leg_swelling') && f.severe('leg_swelling')) return decide('urgent', 'msk.severe_injury', SOURCES.nhsPage, 'A painful injury with a lot of swelling may need an X-ray.');
      return decide('self_care', 'msk.sprain', SOURCES.nhsPage, 'A sprain, strain or minor injury you can still move and put weight on.', [
        'Rest it, hold an ice pack wrapped in a towel on it for up to 20 minutes every few hours, and keep it raised. Pain relief can help.',
        'Get help today if you cannot put weight on it, it looks out of shape, it goes numb, or the pain gets worse.',
      ]);
    }
    return undefined;
  },
};

export const chestPainOther: ComplaintRule = {
  id: 'chest_pain_other',
  evaluate: (f: Facts) => (f.has('chest_pain') ? decide('urgent', 'chest.non_cardiac', SOURCES.telephoneTriage, 'Chest pain with a likely harmless cause (it hurts when pressed, or with a cough) still needs a check today.') : undefined),
};

export const mentalHealth: ComplaintRule = {
  id: 'mental_health',
  evaluate(f: Facts) {
    if (f.has('hallucinations')) return decide('urgent', 'mental.psychosis', SOURCES.nhsPage, 'Hearing voices or seeing things that are not there needs help today.', ['If you feel unsafe, call {CRISIS_LINE}.']);
    if (!f.has('low_mood', 'anxiety', 'insomnia')) return undefined;
    const crisisLine = 'If you ever have thoughts of harming yourself, call or text {CRISIS_LINE} any time.';
    if (f.has('anxiety') && !f.has('low_mood') && f.flag('mild')) return decide('self_care', 'mental.mild_anxiety', SOURCES.niceCks, 'Mild worry or stress without signs of risk.', ['Slow breathing, regular exercise and talking to someone you trust can help.', crisisLine, GET_HELP_SOONER]);
    return decide('routine', 'mental.low_mood', SOURCES.niceCks, 'Low mood, anxiety or poor sleep without thoughts of self-harm: talking to your care team can help.', [crisisLine]);
  },
};

export const medicines: ComplaintRule = {
  id: 'medicines',
  evaluate(f: Facts) {
    if (f.has('overdose')) return decide('urgent', 'medicine.extra_dose', SOURCES.nhs111, 'An extra dose of a medicine taken by mistake.', ['Call Poison Control (1-800-222-1222 in the US) or your pharmacist now for advice.']);
    if (!f.has('side_effect')) return undefined;
    if (f.has('fainting', 'confusion', 'bleeding', 'swelling_face_lips_tongue', 'vomiting', 'fever') || f.severe('side_effect')) return decide('urgent', 'medicine.serious_side_effect', SOURCES.nhsPage, 'A possible side effect with worrying symptoms.');
    return decide('routine', 'medicine.side_effect', SOURCES.nhsPage, 'A possible side effect of a medicine: your care team or pharmacist should review it. Do not stop a prescribed medicine without advice.');
  },
};

export const metabolic: ComplaintRule = {
  id: 'metabolic',
  evaluate(f: Facts) {
    const glucose = f.readings.glucoseMgDl;
    if ((f.has('low_blood_sugar') || (glucose !== undefined && glucose < 70)) && f.flag('resolved') && !f.has('confusion', 'drowsy', 'hypo_not_responding')) {
      return decide('routine', 'sugar.low_resolved', SOURCES.adaGlucose, 'A low blood sugar that was treated and has come back up: your care team should review your diabetes plan.', ['If it happens again: 15 g of fast sugar, check again after 15 minutes, then eat a snack.']);
    }
    if (f.has('low_blood_sugar') || (glucose !== undefined && glucose < 70)) {
      return decide('urgent', 'sugar.low', SOURCES.adaGlucose, `Low blood sugar${glucose !== undefined ? ` (${glucose} mg/dL)` : ''}.`, [
        'Eat or drink 15 g of fast sugar now (half a cup of juice or 4 glucose tablets), then check again in 15 minutes and repeat if still low.',
        'Call {EMERGENCY_NUMBER} if it does not come up, or if the person becomes confused or very sleepy.',
      ]);
    }
    if (f.has('high_blood_sugar') || (glucose !== undefined && glucose >= 250)) {
      if ((glucose ?? 0) >= 300 || f.has('thirst', 'urinary_frequency', 'fatigue')) return decide('urgent', 'sugar.high_symptoms', SOURCES.adaGlucose, 'High blood sugar with symptoms or over 300 mg/dL.', ['Drink water, take your diabetes medicine as prescribed, and check for ketones if you have strips.']);
      return decide('routine', 'sugar.high', SOURCES.adaGlucose, 'High blood sugar without other symptoms.');
    }
    if ((f.readings.systolic ?? 0) >= 180 || (f.readings.diastolic ?? 0) >= 120) return decide('urgent', 'bp.very_high_no_symptoms', SOURCES.ahaBp, `Blood pressure of ${f.readings.systolic}/${f.readings.diastolic} without symptoms: recheck after 5 minutes of rest and get advice today.`);
    if ((f.readings.spo2Pct ?? 100) < 95) return decide('urgent', 'oxygen.borderline', SOURCES.nhsPage, `An oxygen level of ${f.readings.spo2Pct}% is lower than normal.`);
    if ((f.readings.pulseBpm ?? 80) >= 130 || (f.readings.pulseBpm ?? 80) < 40) return decide('urgent', 'pulse.abnormal', SOURCES.nhsPage, `A resting pulse of ${f.readings.pulseBpm}.`);
    return undefined;
  },
};

export const general: ComplaintRule = {
  id: 'general',
  evaluate(f: Facts) {
    if (f.has('poor_feeding') && f.isInfant) return decide('urgent', 'general.infant_not_feeding', SOURCES.niceFever, 'A baby feeding much less than usual.');
    if (f.has('weight_loss', 'night_sweats')) return decide('routine', 'general.weight_loss', SOURCES.niceCks, 'Unexplained weight loss or night sweats should be checked by a doctor.');
    const bleedHours = f.hours('nosebleed') ?? 0;
    if (f.has('nosebleed') && (f.history.anticoagulated || (bleedHours >= 0.33 && bleedHours <= 6 && !f.flag('resolved')))) return decide('urgent', 'general.nosebleed', SOURCES.nhsPage, 'A nosebleed lasting over 20 minutes or while on a blood thinner.');
    if (f.has('nosebleed')) return decide('self_care', 'general.nosebleed_minor', SOURCES.nhsPage, 'A nosebleed.', ['Sit up, lean forward and pinch the soft part of the nose for 10 to 15 minutes.', 'Get help if it lasts more than 20 minutes or is very heavy.']);
    if (f.has('toothache')) return decide('routine', 'general.dental', SOURCES.nhsPage, 'Tooth or gum pain: see a dentist in the next few days.', ['Get help today if your face or neck swells, or you have a fever.']);
    if (f.has('vaginal_bleeding')) return decide('routine', 'general.vaginal_bleeding', SOURCES.nhsPage, 'Unusual vaginal bleeding outside pregnancy should be checked by a doctor.');
    return undefined;
  },
};

/** Only when no complaint rule matched: a symptom we recognise but have no specific rule for. */
export const fallback: ComplaintRule = {
  id: 'fallback',
  evaluate(f: Facts) {
    if (!f.has('fatigue', 'weakness', 'thirst', 'pain', 'chills', 'poor_feeding', 'pale_skin', 'sweating')) return undefined;
    if (f.olderAdult && f.has('weakness', 'fatigue') && f.flag('sudden_onset')) return decide('urgent', 'general.older_adult_sudden_weakness', SOURCES.nhs111, 'Sudden weakness or tiredness in an older adult.');
    if (f.severe('pain')) return decide('urgent', 'general.severe_pain', SOURCES.nhs111, 'Severe pain without a clear cause should be checked today.');
    return decide('routine', 'general.symptom', SOURCES.nhs111, 'A symptom without warning signs that a clinician should review in the next few days.', [GET_HELP_SOONER]);
  },
};

export const BODY_RULES: readonly ComplaintRule[] = [musculoskeletal, chestPainOther, mentalHealth, medicines, metabolic, general];
