/**
 * What a free-text message at the menu is, so "ok thanks" or "running 10 min late" never gets a triage result.
 * The rule is small: text names a recognisable symptom (or a temperature or reading) -> a symptom check; says
 * the patient feels unwell without a symptom ("not feeling well") -> ask what is wrong; an acknowledgement
 * ("took it", "👍", "see you tuesday") -> a short thanks; anything else -> the menu.
 */

/** How the main menu should treat a free-text message. */
export type MenuText = 'symptoms' | 'unwell' | 'ack' | 'other';

/**
 * Medicine names that contain a symptom word: "took my pain meds" reports a dose, not pain. Removed before the
 * symptom test; "took my pain meds but my knee still hurts" still has its symptom.
 */
const MEDICINE_NAMES = /\b(?:pain|allergy|cold|cough|fever|headache|nausea|sleep|sleeping|blood pressure|bp|heart|sugar|anxiety|stomach)[ -]?(?:meds?|medicines?|medications?|pills?|tablets?|killers?|relievers?|relief|reducers?|syrup|drops|patch(?:es)?|spray|inhaler)\b/gi;

const UNWELL = /\b(?:sick|unwell|ill|poorly|under the weather|not (?:feeling |doing )?(?:well|good|great|right|ok|okay|myself)|feel(?:ing|s)? (?:bad|awful|terrible|horrible|off|lousy|rough|crappy|crap|worse|weird|strange|funny)|something (?:is |feels )?wrong|getting worse)\b/i;

const ACK = /^(?:ok(?:ay)?|k+|kk|alright|all right|fine|thanks?|thank you|thanks a lot|thank u|thx|ty|tysm|cheers|got it|gotcha|will do|sounds good|great|cool|perfect|awesome|nice|noted|understood|done|did it|took (?:it|them|my \w+(?: \w+)?)|taken|i took (?:it|them|my \w+(?: \w+)?)|see you(?: \w+)*|see ya|bye|goodbye|good night|have a good (?:day|night|one)|running (?:\d+ )?(?:min(?:ute)?s? )?late|on my way|omw|be there soon)(?:[ ,]+(?:thanks?|thank you|thx|ty|so much|a lot|again|very much|bye|see you|\w+))?$/i;
const ONLY_EMOJI_OR_PUNCTUATION = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Emoji_Component}\p{P}\p{S}\s]*$/u;

/** The message without medicine names that contain symptom words ("pain meds", "cough syrup"). */
export function withoutMedicineNames(text: string): string {
  return text.replace(MEDICINE_NAMES, 'medicine');
}

/**
 * Classifies a free-text message at the menu. `describesSymptoms` is the triage rules' own test for a
 * symptom (SymptomCheckService.describesSymptoms), so the menu and the symptom check agree.
 */
export function classifyMenuText(text: string, describesSymptoms: (text: string) => boolean): MenuText {
  const trimmed = text.trim();
  if (trimmed === '' || ONLY_EMOJI_OR_PUNCTUATION.test(trimmed)) return 'ack';
  if (describesSymptoms(withoutMedicineNames(trimmed))) return 'symptoms';
  if (UNWELL.test(trimmed)) return 'unwell';
  const words = trimmed.toLowerCase().replace(/[^\p{L}\p{N}\s']+/gu, ' ').replace(/\s+/g, ' ').trim();
  return ACK.test(words) ? 'ack' : 'other';
}
