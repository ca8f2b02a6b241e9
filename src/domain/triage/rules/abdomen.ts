/**
 * Belly pain, vomiting and diarrhoea, bowel and urinary complaints, pregnancy problems without danger signs.
 * NHS "Stomach ache", "Diarrhoea and vomiting", "Urinary tract infections", "Blood in urine" and pregnancy pages;
 * NICE CKS (gastroenteritis, UTI, constipation, dyspepsia); NICE NG143 dehydration signs for children.
 */
import type { Facts } from '../facts.js';
import { SOURCES } from '../sources.js';
import { GET_HELP_SOONER, decide, forHowLong, type ComplaintRule } from './common.js';

export const abdominalPain: ComplaintRule = {
  id: 'abdominal_pain',
  evaluate(f: Facts) {
    if (!f.has('abdominal_pain')) return undefined;
    const site = f.get('abdominal_pain')?.site ?? '';
    const hours = f.hours('abdominal_pain') ?? 0;
    if (/right lower|lower right|bottom right/.test(site) && !f.mild('abdominal_pain')) return decide('urgent', 'abdomen.right_lower', SOURCES.nhsPage, 'Pain in the lower right belly can be appendicitis and should be checked today.');
    if (f.pregnant) return decide('urgent', 'abdomen.pregnancy', SOURCES.niceAntenatal, 'Belly pain in pregnancy should be checked today.');
    if (f.fever || f.has('vomiting') || f.has('blood_in_stool')) return decide('urgent', 'abdomen.with_fever_or_vomiting', SOURCES.nhsPage, 'Belly pain with fever, vomiting or blood in the poop.');
    if (f.olderAdult || f.recentSurgery || f.isInfant) return decide('urgent', 'abdomen.risk_group', SOURCES.nhs111, `Belly pain in ${f.who}${f.recentSurgery ? ' after recent surgery' : ''}.`);
    if (f.get('abdominal_pain')?.severity === 'moderate' && !f.has('diarrhoea')) return decide('urgent', 'abdomen.moderate', SOURCES.nhs111, 'Belly pain that is more than mild.');
    if (f.flag('worsening') || hours >= 24 * 7) return decide('routine', 'abdomen.persistent', SOURCES.nhsPage, `Belly pain${forHowLong(hours)} or getting worse.`);
    if (f.has('diarrhoea', 'nausea', 'constipation', 'heartburn') || f.mild('abdominal_pain')) {
      return decide('self_care', 'abdomen.mild', SOURCES.nhsPage, 'Mild belly pain with a likely simple cause (upset stomach, wind, constipation).', [
        'Rest, sip water, and eat small plain meals. A hot water bottle on the belly can help.',
        'Get help today if the pain gets severe, moves to the lower right side, or comes with fever, vomiting or blood in the poop.',
      ]);
    }
    return decide('routine', 'abdomen.unclear', SOURCES.nhs111, 'Belly pain without warning signs but without a clear simple cause.');
  },
};

export const vomitingDiarrhoea: ComplaintRule = {
  id: 'vomiting_diarrhoea',
  evaluate(f: Facts) {
    if (!f.has('vomiting', 'diarrhoea', 'nausea', 'cant_keep_fluids')) return undefined;
    const days = f.days('vomiting', 'diarrhoea', 'cant_keep_fluids') ?? 0;
    const vomitDays = f.days('vomiting', 'cant_keep_fluids') ?? 0;
    if (f.isInfant && (f.has('vomiting', 'diarrhoea') || f.has('poor_feeding'))) return decide('urgent', 'gastro.infant', SOURCES.niceCks, 'A baby with vomiting or diarrhoea can get dehydrated quickly.');
    if (f.has('cant_keep_fluids')) return decide('urgent', 'gastro.cannot_keep_fluids', SOURCES.niceCks, 'Not able to keep fluids down.');
    if (f.has('dehydration_signs') || f.has('no_urine')) return decide('urgent', 'gastro.dehydration', SOURCES.nhsPage, 'Signs of dehydration such as a dry mouth, dark pee or not peeing.');
    if (f.has('blood_in_stool')) return decide('urgent', 'gastro.bloody_diarrhoea', SOURCES.nhsPage, 'Blood in the poop.');
    if ((f.history.diabetes || f.history.kidneyDisease || f.immunosuppressed) && f.has('vomiting', 'diarrhoea')) return decide('urgent', 'gastro.risk_condition', SOURCES.niceCks, 'Vomiting or diarrhoea in someone with diabetes, kidney disease or a weak immune system.');
    if (f.pregnant && f.has('vomiting') && (vomitDays >= 1 || f.has('cant_keep_fluids'))) return decide('urgent', 'gastro.pregnancy', SOURCES.nhsPage, 'Vomiting in pregnancy that lasts a day or more.');
    if (vomitDays >= 2 || days >= 7 || (f.isChild && vomitDays >= 1)) return decide('routine', 'gastro.persistent', SOURCES.nhsPage, `Vomiting or diarrhoea${forHowLong(f.hours('vomiting', 'diarrhoea'))}, longer than usual.`);
    if (f.olderAdult && f.has('vomiting', 'diarrhoea')) return decide('routine', 'gastro.older_adult', SOURCES.niceCks, 'Vomiting or diarrhoea in an adult aged 65 or over.');
    return decide('self_care', 'gastro.uncomplicated', SOURCES.nhsPage, 'A stomach upset without signs of dehydration.', [
      'Sip water or an oral rehydration drink often, a little at a time. Eat plain food when you feel ready.',
      'Stay home until 48 hours after the last episode and wash hands well.',
      'Get help if you cannot keep fluids down, pee much less than usual, see blood, or it lasts more than 2 days of vomiting or 7 days of diarrhoea.',
    ]);
  },
};

export const bowel: ComplaintRule = {
  id: 'bowel',
  evaluate(f: Facts) {
    if (f.has('blood_in_stool')) return decide('urgent', 'bowel.blood', SOURCES.nhsPage, 'Blood in the poop or black poop should be checked today.');
    if (f.has('constipation')) {
      if ((f.days('constipation') ?? 0) >= 7 || f.isInfant) return decide('routine', 'bowel.constipation_persistent', SOURCES.niceCks, 'Constipation lasting a week or more, or in a baby.');
      return decide('self_care', 'bowel.constipation', SOURCES.niceCks, 'Constipation without warning signs.', ['Drink more water, eat fruit, vegetables and whole grains, and walk if you can.', 'Get help if it lasts more than a week, or with severe pain, vomiting or blood.']);
    }
    if (f.has('heartburn')) {
      if ((f.days('heartburn') ?? 0) >= 21 || f.has('weight_loss', 'trouble_swallowing')) return decide('routine', 'bowel.heartburn_persistent', SOURCES.niceCks, 'Heartburn lasting 3 weeks or more, or with weight loss or trouble swallowing.');
      return decide('self_care', 'bowel.heartburn', SOURCES.niceCks, 'Heartburn without warning signs.', ['Eat smaller meals, avoid late meals, and try an antacid from the pharmacy.', GET_HELP_SOONER]);
    }
    return undefined;
  },
};

export const urinary: ComplaintRule = {
  id: 'urinary',
  evaluate(f: Facts) {
    if (f.has('testicular_pain')) return decide('urgent', 'urinary.testicle', SOURCES.nhsPage, 'Testicle pain should be checked today.');
    if (f.has('no_urine') && !f.isChild) return decide('urgent', 'urinary.not_peeing', SOURCES.nhsPage, 'Not peeing for many hours.');
    if (!f.has('painful_urination', 'urinary_frequency', 'blood_in_urine', 'flank_pain')) return undefined;
    if (f.has('flank_pain') && (f.fever || f.has('vomiting', 'chills'))) return decide('urgent', 'urinary.kidney_infection', SOURCES.niceCks, 'Urinary symptoms with fever or pain in the side can be a kidney infection.');
    if (f.fever || f.has('chills')) return decide('urgent', 'urinary.with_fever', SOURCES.niceCks, 'Urinary symptoms with a fever.');
    if (f.isChild || f.pregnant || f.recentSurgery || f.immunosuppressed) return decide('urgent', 'urinary.risk_group', SOURCES.niceCks, `A urine infection in ${f.pregnant ? 'pregnancy' : f.who} should be checked today.`);
    if (f.has('flank_pain')) return decide('urgent', 'urinary.flank_pain', SOURCES.nhsPage, 'Pain in the side or lower back with urinary symptoms.');
    if (f.has('blood_in_urine')) return decide('routine', 'urinary.blood', SOURCES.nhsPage, 'Blood in the pee should always be checked by a doctor.');
    return decide('routine', 'urinary.uti', SOURCES.niceCks, 'Symptoms of a urine infection without fever; a clinician can decide on treatment.', ['Drink plenty of water. A pharmacist can also advise.', 'Get help today if you get a fever, shivers, pain in your back or side, or start vomiting.']);
  },
};

export const pregnancy: ComplaintRule = {
  id: 'pregnancy',
  evaluate(f: Facts) {
    if (!f.pregnant && !f.history.postpartum) return undefined;
    if (f.pregnant && (f.has('contractions', 'waters_broken'))) return decide('urgent', 'pregnancy.labour', SOURCES.niceAntenatal, 'Signs of labour: call your maternity unit or labour and delivery now.');
    if (f.pregnant && f.has('vaginal_bleeding')) return decide('urgent', 'pregnancy.spotting', SOURCES.niceAntenatal, 'Light spotting in pregnancy should be checked today.');
    if (f.pregnant && f.has('headache', 'leg_swelling', 'swelling_face_lips_tongue', 'vision_change')) return decide('urgent', 'pregnancy.preeclampsia_check', SOURCES.niceAntenatal, 'Headache or swelling in pregnancy needs a blood pressure check today.');
    if (f.history.postpartum && (f.fever || f.has('wound_redness', 'wound_pus', 'leg_swelling', 'calf_pain', 'vaginal_bleeding'))) return decide('urgent', 'pregnancy.postpartum', SOURCES.nhsPage, 'Fever, wound problems, bleeding or leg swelling after giving birth.');
    if (f.history.postpartum && f.has('low_mood', 'anxiety')) return decide('urgent', 'pregnancy.postnatal_mood', SOURCES.nhsPage, 'Low mood or anxiety after giving birth deserves support soon.');
    return undefined;
  },
};

export const ABDOMEN_RULES: readonly ComplaintRule[] = [abdominalPain, vomitingDiarrhoea, bowel, urinary, pregnancy];
