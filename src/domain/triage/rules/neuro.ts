/**
 * Headache, dizziness, fainting, numbness, head injury and palpitations.
 * NHS "Headaches", "Dizziness", "Fainting", "Head injury and concussion", "Heart palpitations";
 * NICE CKS (headache assessment, blackouts), NICE NG232 (head injury).
 */
import type { Facts } from '../facts.js';
import { SOURCES } from '../sources.js';
import { GET_HELP_SOONER, decide, type ComplaintRule } from './common.js';

export const headache: ComplaintRule = {
  id: 'headache',
  evaluate(f: Facts) {
    if (!f.has('headache')) return undefined;
    const days = f.days('headache') ?? 0;
    if (f.has('head_injury')) return decide('urgent', 'headache.after_head_injury', SOURCES.niceHeadInjury, 'A headache after a head injury.');
    if (f.fever && !f.has('cough', 'runny_nose', 'sore_throat')) return decide('urgent', 'headache.with_fever', SOURCES.niceMeningitis, 'A headache with a fever and no cold symptoms to explain it.');
    if (f.severe('headache') || f.has('vomiting') || f.get('headache')?.onset === 'sudden') return decide('urgent', 'headache.severe', SOURCES.nhsPage, 'A severe or sudden headache, or one with vomiting.');
    if (f.immunosuppressed || f.history.anticoagulated || (f.age ?? 0) >= 50 && !f.flag('not_improving') && days < 7 && !/migraine/.test(f.get('headache')?.evidence ?? '')) {
      return decide('urgent', 'headache.risk_group', SOURCES.niceCks, 'A new headache in someone over 50, on a blood thinner, or with a weak immune system.');
    }
    if (days >= 7 || f.flag('not_improving') || f.flag('worsening')) return decide('routine', 'headache.persistent', SOURCES.niceCks, 'A headache that keeps coming back or is not getting better.');
    return decide('self_care', 'headache.uncomplicated', SOURCES.nhsPage, 'A headache without warning signs.', [
      'Rest, drink water, and take paracetamol (acetaminophen) or ibuprofen as the pack says. Try to keep regular meals and sleep.',
      'Get help right away if it is sudden and severe, or comes with a stiff neck, rash, confusion, weakness, trouble speaking or vision changes.',
    ]);
  },
};

export const dizziness: ComplaintRule = {
  id: 'dizziness',
  evaluate(f: Facts) {
    if (f.has('fainting')) return decide('urgent', 'dizziness.fainted', SOURCES.nhsPage, 'Fainting should be checked today to find the cause.');
    if (f.has('palpitations')) {
      if (f.has('dizziness') || f.history.heartDisease || (f.readings.pulseBpm ?? 0) >= 130) return decide('urgent', 'palpitations.with_symptoms', SOURCES.nhsPage, 'A racing or irregular heartbeat with dizziness, heart disease or a fast pulse.');
      return decide('routine', 'palpitations.brief', SOURCES.nhsPage, 'Palpitations without other symptoms should be checked by a doctor.');
    }
    if (!f.has('dizziness', 'balance_loss')) return undefined;
    if (f.olderAdult || f.history.anticoagulated || f.has('vomiting', 'headache', 'balance_loss') || f.severe('dizziness') || f.history.heartDisease) {
      return decide('urgent', 'dizziness.risk', SOURCES.nhsPage, 'Dizziness with vomiting, headache, unsteadiness, or in someone at higher risk.');
    }
    if (f.has('diarrhoea', 'runny_nose', 'fever', 'cough') || f.flag('mild')) return decide('self_care', 'dizziness.mild', SOURCES.nhsPage, 'Mild dizziness, likely from a passing illness or not drinking enough.', [
      'Sit or lie down until it passes, get up slowly, and drink water.',
      'Get help if you faint, if it keeps happening, or if it comes with chest pain, a racing heart, weakness or trouble speaking.',
    ]);
    return decide('routine', 'dizziness.unexplained', SOURCES.nhsPage, 'Dizziness without warning signs but without a clear cause.');
  },
};

export const headInjury: ComplaintRule = {
  id: 'head_injury',
  evaluate(f: Facts) {
    if (!f.has('head_injury')) return undefined;
    if (f.isInfant || f.has('headache', 'dizziness', 'nausea') || f.history.anticoagulated || !f.flag('mild')) return decide('urgent', 'head_injury.check', SOURCES.niceHeadInjury, 'A head injury that needs a check today.');
    return decide('self_care', 'head_injury.minor', SOURCES.niceHeadInjury, 'A minor bump to the head with no warning signs.', [
      'Hold something cold on the bump for up to 20 minutes. Rest and have an adult stay with the person for the next 24 hours.',
      'Call {EMERGENCY_NUMBER} or go to the emergency department if they vomit, get drowsy or confused, have a bad headache, a seizure, or any weakness.',
    ]);
  },
};

export const numbness: ComplaintRule = {
  id: 'numbness',
  evaluate(f: Facts) {
    if (!f.has('numbness', 'weakness')) return undefined;
    if (f.get('numbness')?.onset === 'sudden' || f.get('weakness')?.onset === 'sudden' || f.olderAdult) return decide('urgent', 'numbness.sudden', SOURCES.ahaStroke, 'New numbness or weakness that started suddenly, or in an older adult.');
    return decide('routine', 'numbness.gradual', SOURCES.niceCks, 'Numbness, tingling or weakness without stroke signs should be checked by a doctor.', [GET_HELP_SOONER]);
  },
};

export const NEURO_RULES: readonly ComplaintRule[] = [headache, dizziness, headInjury, numbness];
