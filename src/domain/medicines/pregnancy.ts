/**
 * Pregnancy, trying to conceive and breastfeeding: noticing them in a message (or the patient's record) and
 * turning the table's pregnancy rules into plain instructions.
 */
import type { MedicineCatalog } from './compile.js';
import { capitalise, type MedicineMention } from './find.js';
import { isNegated, phrasesAt, type Clauses } from './language.js';
import { PREGNANCY_STATES, type PregnancyRule, type PregnancyState } from './schema.js';

/** What the caller already knows about the patient; the message can override it ("I'm not pregnant any more"). */
export interface PregnancyContext {
  pregnant?: boolean;
  breastfeeding?: boolean;
}

/** How the answer says each state. */
export const STATE_PHRASES: Record<PregnancyState, string> = {
  pregnant: 'pregnant',
  trying_to_conceive: 'trying to get pregnant',
  breastfeeding: 'breastfeeding',
};

/**
 * The states a message affirms, plus those from the record unless the message denies them. A hedge counts
 * ("I might be pregnant"): warning someone who is not pregnant costs little, missing one who is costs a lot.
 */
export function pregnancyStates(clauses: Clauses, catalog: MedicineCatalog, context: PregnancyContext = {}): PregnancyState[] {
  const affirmed = new Set<PregnancyState>();
  const denied = new Set<PregnancyState>();
  for (const words of clauses) {
    let index = 0;
    while (index < words.length) {
      const [longest] = phrasesAt(catalog.states, words, index);
      if (!longest) {
        index++;
        continue;
      }
      const negated = isNegated(words, index, index + longest.length);
      for (const state of longest.values) (negated ? denied : affirmed).add(state);
      index += longest.length;
    }
  }
  if (context.pregnant && !denied.has('pregnant')) affirmed.add('pregnant');
  if (context.breastfeeding && !denied.has('breastfeeding')) affirmed.add('breastfeeding');
  return PREGNANCY_STATES.filter((state) => affirmed.has(state));
}

/** The rule for one mention in the first state it covers; a rule for the medicine wins over one for its class. */
export function pregnancyRuleFor(
  mention: MedicineMention,
  states: readonly PregnancyState[],
  catalog: MedicineCatalog,
): { rule: PregnancyRule; state: PregnancyState } | undefined {
  for (const state of states) {
    const rules = catalog.table.pregnancy.filter((rule) => rule.when.includes(state));
    const rule = rules.find((candidate) => candidate.applies.includes(mention.id))
      ?? rules.find((candidate) => candidate.applies.some((id) => mention.groups.includes(id)));
    if (rule) return { rule, state };
  }
  return undefined;
}

/** The instruction for one rule, naming the medicine as the patient did. */
export function pregnancyLines(rule: PregnancyRule, state: PregnancyState, mention: MedicineMention): string[] {
  const when = STATE_PHRASES[state];
  const lines: string[] = [];
  if (rule.advice === 'caution') {
    lines.push(`Check with your pharmacist, midwife or doctor before taking ${mention.name} while ${when}: ${rule.reason}.`);
  } else if (rule.ifTaking === 'do_not_stop') {
    lines.push(`${capitalise(mention.name)} is not recommended while ${when}: ${rule.reason}.`);
  } else {
    lines.push(`Do not take ${mention.name} while ${when}: ${rule.reason}.`);
  }
  if (rule.ifTaking) lines.push(ifTakingLine(rule, mention));
  if (rule.note) lines.push(rule.note);
  return lines;
}

function ifTakingLine(rule: PregnancyRule, mention: MedicineMention): string {
  // A patient who says she stopped on her own still needs the prescriber: some of these must not stop abruptly.
  const stopped = mention.status === 'stopped';
  switch (rule.ifTaking) {
    case 'stop_and_contact':
      return stopped ? 'Contact your prescriber today to tell them.' : 'If you are taking it, stop and contact your prescriber today.';
    case 'do_not_stop': {
      const risk = rule.stopRisk ?? 'stopping suddenly can be harmful';
      return stopped
        ? `Contact your prescriber today about having stopped it: ${risk}.`
        : `If you take it, do not stop it on your own: ${risk}. Contact your prescriber today.`;
    }
    default:
      // Said plainly: a patient planning a pregnancy on an ACE inhibitor or leflunomide needs the prescriber now.
      return 'If you take it, or have already taken some, contact your prescriber today (your pharmacist if it was not prescribed).';
  }
}
