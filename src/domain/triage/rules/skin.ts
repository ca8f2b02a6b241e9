/**
 * Rashes, allergy, bites and stings, burns, wounds and post-operative problems, leg swelling.
 * NHS "Rashes in babies and children", "Hives", "Animal and human bites", "Burns and scalds", "Cuts and grazes",
 * "DVT"; NICE NG158 (venous thromboembolism); CDC surgical site infection criteria.
 */
import type { Facts } from '../facts.js';
import { SOURCES } from '../sources.js';
import { GET_HELP_SOONER, decide, type ComplaintRule } from './common.js';

export const rash: ComplaintRule = {
  id: 'rash',
  evaluate(f: Facts) {
    if (!f.has('rash', 'hives', 'itching', 'swelling_face_lips_tongue', 'allergic_reaction')) return undefined;
    if (f.has('swelling_face_lips_tongue')) return decide('urgent', 'rash.facial_swelling', SOURCES.anaphylaxis, 'Swelling of the lips or face without trouble breathing; it needs a check today.');
    if (f.has('rash', 'hives') && f.fever) return decide('urgent', 'rash.with_fever', SOURCES.niceFever, 'A rash with a fever should be checked today.');
    if (f.has('rash', 'hives') && f.has('side_effect')) return decide('urgent', 'rash.new_medicine', SOURCES.nhsPage, 'A rash after starting a new medicine can be a drug reaction.');
    if (f.isInfant && f.under3Months) return decide('urgent', 'rash.young_baby', SOURCES.nhsPage, 'A rash in a baby under 3 months.');
    if (/blister|peeling|mouth/.test(f.get('rash')?.evidence ?? '') || f.flag('worsening')) return decide('urgent', 'rash.spreading', SOURCES.nhsPage, 'A rash that is spreading fast or blistering.');
    if ((f.days('rash', 'itching') ?? 0) >= 7 || f.immunosuppressed) return decide('routine', 'rash.persistent', SOURCES.nhsPage, 'A rash lasting a week or more.');
    return decide('self_care', 'rash.mild', SOURCES.nhsPage, 'An itchy rash or hives without fever or swelling.', [
      'An antihistamine from the pharmacy and a cool cloth can ease itching. Avoid anything that seems to trigger it.',
      'Call {EMERGENCY_NUMBER} if the lips, tongue or throat swell or breathing gets hard. Get help if the rash does not fade when pressed with a glass, or comes with a fever.',
    ]);
  },
};

export const bitesStingsBurns: ComplaintRule = {
  id: 'bites_stings_burns',
  evaluate(f: Facts) {
    if (f.has('bite')) {
      const tick = /tick/.test(f.get('bite')?.evidence ?? '');
      if (tick) return decide('routine', 'bite.tick', SOURCES.cdc, 'A tick bite; watch for a spreading rash or fever over the next weeks.');
      return decide('urgent', 'bite.animal_or_human', SOURCES.nhsPage, 'An animal or human bite can get infected and may need antibiotics or a tetanus or rabies shot.');
    }
    if (f.has('burn')) {
      if (f.severe('burn') || f.isChild || /face|hand|chemical|electric/.test(f.get('burn')?.evidence ?? '')) return decide('urgent', 'burn.serious', SOURCES.nhsPage, 'A large or deep burn, a burn on the face or hands, or a burn in a child.');
      return decide('self_care', 'burn.minor', SOURCES.nhsPage, 'A small burn.', ['Cool it under cool running water for 20 minutes, then cover loosely with cling film or a clean dressing. Do not use ice or butter.', 'Get help if it is larger than the palm of the hand, blisters badly, or looks infected.']);
    }
    if (f.has('sting')) return decide('self_care', 'sting.local', SOURCES.nhsPage, 'An insect sting with only a local reaction.', ['Remove the sting if you can see it, wash the area, and hold something cold on it.', 'Call {EMERGENCY_NUMBER} if the face, lips or throat swell or breathing gets hard.']);
    return undefined;
  },
};

export const woundPostOp: ComplaintRule = {
  id: 'wound_post_op',
  evaluate(f: Facts) {
    const infected = f.has('wound_redness', 'wound_pus', 'wound_opening');
    if (infected) return decide('urgent', 'wound.infection_or_opening', SOURCES.wound, 'A wound with spreading redness, pus or an opening should be seen today.');
    if (f.recentSurgery && f.has('bleeding')) return decide('urgent', 'wound.post_op_bleeding', SOURCES.wound, 'Bleeding from a surgical wound.');
    if (f.has('wound') && /deep|gash|gaping|puncture/.test(f.get('wound')?.evidence ?? '')) return decide('urgent', 'wound.deep', SOURCES.nhsPage, 'A deep cut may need stitches within a few hours.');
    if (f.has('wound') && f.history.diabetes && /foot|toe/.test(f.get('wound')?.evidence ?? '')) return decide('urgent', 'wound.diabetic_foot', SOURCES.niceCks, 'A foot wound in someone with diabetes.');
    if (f.recentSurgery && f.has('pain', 'nausea', 'constipation', 'wound')) return decide('routine', 'post_op.recovery', SOURCES.wound, 'A recovery problem after surgery without signs of infection; your surgical team should know.', [GET_HELP_SOONER]);
    if (f.has('wound')) return decide('self_care', 'wound.minor', SOURCES.nhsPage, 'A small cut or graze.', ['Clean it under running water, press with a clean cloth to stop bleeding, and cover with a plaster.', 'Get help if it keeps bleeding after 10 minutes of pressure, is deep or gaping, or shows redness, pus or warmth.']);
    return undefined;
  },
};

export const legSwelling: ComplaintRule = {
  id: 'leg_swelling',
  evaluate(f: Facts) {
    if (!f.has('leg_swelling', 'calf_pain')) return undefined;
    const site = f.get('leg_swelling')?.site ?? f.get('calf_pain')?.site ?? '';
    const clotRisk = f.recentSurgery || f.pregnant || f.history.postpartum || f.flag('recent_travel') || f.history.immunosuppressed;
    const injured = f.has('sprain', 'injury');
    if (!injured && (f.has('calf_pain') || /one|left|right/.test(site) || clotRisk)) return decide('urgent', 'leg.possible_dvt', SOURCES.niceDvt, 'A swollen or painful leg that could be a blood clot (DVT).');
    if (f.has('shortness_of_breath') || f.history.heartDisease || f.history.kidneyDisease) return decide('urgent', 'leg.swelling_heart_kidney', SOURCES.nhsPage, 'Swollen legs with breathlessness, heart or kidney disease.');
    if (injured) return undefined;
    return decide('routine', 'leg.swelling_both', SOURCES.nhsPage, 'Swelling of both legs or ankles without signs of a clot.', ['Raise your legs when sitting and walk regularly.', GET_HELP_SOONER]);
  },
};

export const SKIN_RULES: readonly ComplaintRule[] = [rash, bitesStingsBurns, woundPostOp, legSwelling];
