/**
 * Fever, coughs and colds, sore throat, ear and eye complaints.
 * NICE NG143 (fever in under 5s, traffic lights), NICE CKS (cough, sore throat, otitis media, conjunctivitis),
 * NHS "when to get help" pages for each, CDC "when to seek care" for respiratory illness.
 */
import type { Facts } from '../facts.js';
import { SOURCES } from '../sources.js';
import { GET_HELP_SOONER, decide, forHowLong, type ComplaintRule } from './common.js';

const FLUIDS = 'Drink plenty of fluids and rest. Paracetamol (acetaminophen) or ibuprofen can help with fever and aches; follow the dose on the pack.';

export const fever: ComplaintRule = {
  id: 'fever',
  evaluate(f: Facts) {
    if (!f.fever) return undefined;
    const temp = f.tempC;
    const days = f.days('fever') ?? 0;
    const src = f.isChild ? SOURCES.niceFever : SOURCES.nhsPage;
    if (f.isInfant && f.age === undefined) return decide('urgent', 'fever.infant_age_unknown', SOURCES.niceFever, 'A baby with a fever needs to be checked today, and the same day if under 3 months.');
    if (f.isInfant && (f.age ?? 1) < 0.5 && (temp ?? 38) >= 39) return decide('urgent', 'fever.infant_3_6_months', SOURCES.niceFever, `A baby aged 3 to 6 months with a temperature of ${temp} °C.`);
    if (f.isInfant) return decide('urgent', 'fever.infant', SOURCES.niceFever, 'A baby under 1 year with a fever should be seen today.');
    if (f.immunosuppressed) return decide('urgent', 'fever.immunosuppressed', SOURCES.niceSepsis, 'A fever in someone whose immune system is weakened by treatment.');
    if (f.recentSurgery) return decide('urgent', 'fever.post_op', SOURCES.wound, 'A fever after a recent operation can mean an infection.');
    if ((temp ?? 0) >= 40) return decide('urgent', 'fever.very_high', src, `A very high temperature of ${temp} °C.`);
    // NICE NG143 amber: a feverish child who is drinking or feeding less needs to be seen the same day.
    if (f.isChild && f.has('poor_feeding', 'cant_keep_fluids', 'dehydration_signs')) return decide('urgent', 'fever.child_poor_intake', SOURCES.niceFever, 'A child with a fever who is drinking or eating less than usual.');
    if (f.isChild && days >= 5) return decide('urgent', 'fever.child_5_days', SOURCES.niceFever, `A child with a fever${forHowLong(f.hours('fever'))} (5 days or more).`);
    if (f.olderAdult) return decide('urgent', 'fever.older_adult', SOURCES.niceSepsis, 'A fever in an adult aged 65 or over.');
    if (f.history.kidneyDisease || f.history.diabetes || f.history.heartDisease || f.history.copd) return decide('urgent', 'fever.chronic_condition', SOURCES.niceSepsis, 'A fever in someone with a long-term condition.');
    if (f.flag('worsening') && !f.isChild) return decide('routine', 'fever.worsening', src, 'A fever with symptoms that are getting worse.');
    if (days >= 3) return decide('routine', 'fever.persistent', src, `A fever${forHowLong(f.hours('fever'))}, which has lasted 3 days or more.`);
    return decide('self_care', 'fever.uncomplicated', src, `A fever${f.isChild ? ' in a child' : ''} without warning signs.`, [
      FLUIDS, f.isChild ? 'Dress your child in light clothing and offer drinks often. Check on them during the night.' : 'Stay home and rest until you feel better.',
      'Get help today if the fever lasts more than 3 days (5 days for a child), if it goes above 40 °C (104 °F), or if there is a rash, a stiff neck, confusion or trouble breathing.',
    ]);
  },
};

export const coughCold: ComplaintRule = {
  id: 'cough_cold',
  evaluate(f: Facts) {
    if (!f.has('cough', 'runny_nose', 'sinus_pain', 'wheeze', 'shortness_of_breath')) return undefined;
    const weeks = (f.days('cough', 'runny_nose', 'sinus_pain') ?? 0) / 7;
    if (f.has('shortness_of_breath')) return decide('urgent', 'respiratory.breathless', SOURCES.nhsPage, 'Feeling short of breath should be checked today.');
    if (f.has('wheeze')) {
      if (f.history.asthma && f.flag('mild') && !f.flag('treated_no_response') && !f.flag('worsening')) return decide('routine', 'respiratory.wheeze_known_asthma', SOURCES.niceCks, 'A mild wheeze in someone with asthma who is managing.', ['Use your reliever inhaler as your asthma plan says.', GET_HELP_SOONER]);
      return decide('urgent', 'respiratory.wheeze', SOURCES.nhsPage, 'New wheezing should be checked today.');
    }
    if (f.has('coughing_blood')) return decide('urgent', 'respiratory.coughing_blood', SOURCES.nhsPage, 'Coughing up blood should be checked today.');
    if (f.isInfant && f.has('cough') && (f.under3Months || f.fever)) return decide('urgent', 'respiratory.infant', SOURCES.niceFever, 'A young baby with a cough should be checked today.');
    if (f.has('cough') && f.fever && (f.olderAdult || f.immunosuppressed || f.history.copd || f.history.heartDisease)) return decide('urgent', 'respiratory.chest_infection_risk', SOURCES.niceCks, 'A cough with fever in someone at higher risk of a chest infection.');
    if (f.has('cough') && weeks >= 3) return decide('routine', 'respiratory.cough_3_weeks', SOURCES.nhsPage, `A cough${forHowLong(f.hours('cough'))}, which is 3 weeks or more.`);
    if (f.has('sinus_pain') && weeks >= 1.5) return decide('routine', 'respiratory.sinus_10_days', SOURCES.niceCks, 'Sinus pain lasting more than 10 days.');
    if (f.flag('worsening') && f.fever) return decide('routine', 'respiratory.worsening', SOURCES.nhsPage, 'A cold with fever that is getting worse.');
    if (f.isInfant) return decide('routine', 'respiratory.infant_cold', SOURCES.niceCks, 'A baby with cold symptoms and no warning signs.', ['Keep up feeds; saline drops can help a blocked nose.', 'Get help today if the baby feeds less than half the usual amount, has a fever, or breathes fast or with effort.']);
    return decide('self_care', 'respiratory.cold', SOURCES.nhsPage, 'A cough or cold without warning signs.', [
      FLUIDS, 'Honey in warm water can ease a cough (not for babies under 1 year).',
      'Most coughs and colds get better in 1 to 3 weeks. Get help if you feel short of breath, cough up blood, have chest pain, or the cough lasts more than 3 weeks.',
    ]);
  },
};

export const soreThroat: ComplaintRule = {
  id: 'sore_throat',
  evaluate(f: Facts) {
    if (!f.has('sore_throat', 'trouble_swallowing')) return undefined;
    const days = f.days('sore_throat', 'trouble_swallowing') ?? 0;
    if (f.severe('sore_throat') && f.has('trouble_swallowing')) return decide('urgent', 'throat.severe_swallowing', SOURCES.niceCks, 'A severe sore throat with trouble swallowing.');
    if (f.immunosuppressed) return decide('urgent', 'throat.immunosuppressed', SOURCES.niceCks, 'A sore throat in someone with a weakened immune system.');
    if (f.has('trouble_swallowing') && !f.has('sore_throat')) return decide('routine', 'throat.swallowing', SOURCES.nhsPage, 'Trouble swallowing should be checked by a doctor.');
    if (days >= 7 || (f.fever && f.severe('sore_throat'))) return decide('routine', 'throat.persistent', SOURCES.niceCks, days >= 7 ? 'A sore throat lasting a week or more.' : 'A severe sore throat with fever.');
    return decide('self_care', 'throat.uncomplicated', SOURCES.nhsPage, 'A sore throat without warning signs.', [
      FLUIDS, 'Gargling warm salty water (adults) and soft, cool foods can help.',
      'Get help if it lasts more than a week, if it is hard to swallow or breathe, or if you are drooling.',
    ]);
  },
};

export const earPain: ComplaintRule = {
  id: 'ear_pain',
  evaluate(f: Facts) {
    if (!f.has('ear_pain')) return undefined;
    const days = f.days('ear_pain') ?? 0;
    if (f.isInfant || (f.isChild && f.fever && (f.tempC ?? 0) >= 39)) return decide('urgent', 'ear.young_or_high_fever', SOURCES.niceCks, 'Ear pain in a baby, or in a child with a high fever.');
    if (days >= 3 || f.fever || f.severe('ear_pain') || /draining|leaking/.test(f.get('ear_pain')?.evidence ?? '')) return decide('routine', 'ear.persistent', SOURCES.niceCks, 'Ear pain lasting 3 days or more, with fever, fluid, or severe pain.');
    return decide('self_care', 'ear.uncomplicated', SOURCES.niceCks, 'Ear pain without warning signs; most ear infections clear in about 3 days.', [
      'Pain relief such as paracetamol (acetaminophen) or ibuprofen helps. A warm cloth over the ear may soothe it.',
      'Get help if it lasts more than 3 days, if fluid comes out of the ear, if there is swelling behind the ear, or a high fever.',
    ]);
  },
};

export const eye: ComplaintRule = {
  id: 'eye',
  evaluate(f: Facts) {
    if (!f.has('eye_pain', 'red_eye', 'vision_change')) return undefined;
    if (/chemical/.test(f.get('eye_pain')?.evidence ?? '')) return decide('emergency', 'eye.chemical', SOURCES.nhsEmergency, 'A chemical in the eye.', ['Rinse the eye with clean running water for 20 minutes.']);
    // NHS: a red eye that is painful or sensitive to light needs an eye check the same day (keratitis, iritis).
    if (f.has('vision_change') || f.severe('eye_pain') || (f.has('red_eye') && f.has('eye_pain', 'pain', 'light_sensitivity'))) return decide('urgent', 'eye.pain_or_vision', SOURCES.nhsPage, 'A painful red eye, one sensitive to light, or a change in vision should be checked today.');
    if (f.has('eye_pain')) return decide('routine', 'eye.pain', SOURCES.nhsPage, 'Eye pain without vision changes.');
    if (f.isInfant && f.under3Months) return decide('urgent', 'eye.newborn', SOURCES.niceCks, 'A sticky red eye in a newborn.');
    return decide('self_care', 'eye.conjunctivitis', SOURCES.niceCks, 'A red or sticky eye without pain or vision changes, most likely conjunctivitis.', [
      'Clean the eye with cooled boiled water and a clean cotton pad. Wash hands often and do not share towels.',
      'Get help if the eye becomes painful, light hurts, vision changes, or it is not better in a week.',
    ]);
  },
};

export const INFECTION_RULES: readonly ComplaintRule[] = [fever, coughCold, soreThroat, earPain, eye];
