/**
 * The last check before a medicine answer leaves the engine: no line may carry a dose. The table already refuses
 * digits in patient text; this guard also covers text built in code and anything a later change adds.
 */

const NUMBER = String.raw`(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|a couple of|a few|several)`;
const UNIT = String.raw`(?:mg|mcg|µg|ug|micrograms?|milligrams?|g|grams?|gm|kg|ml|mls|millilit(?:re|er)s?|l|lit(?:re|er)s?|tablets?|tabs?|pills?|caps?|capsules?|caplets?|times|x|units?|iu|drops?|puffs?|sprays?|doses?|sachets?|spoons?(?:ful)?|teaspoons?(?:ful)?|tablespoons?(?:ful)?|tsp|tbsp|patch(?:es)?|lozenges?|injections?|shots?)`;
/** "500mg", "1-2 tablets", "two tablets", "3 x", "every 4 hours": an amount, a count or an interval. */
const DOSE = new RegExp(String.raw`(?:\b|(?<=\d))${NUMBER}\s*(?:(?:-|to|or)\s*${NUMBER}\s*)?${UNIT}\b|\bevery\s+\d+\s*(?:hours?|hrs?|h)\b`, 'i');

/** Whether text states an amount of medicine (a number with a dose unit). */
export function containsDose(text: string): boolean {
  return DOSE.test(text);
}

/** Said instead of any line the guard removes, and when nothing is left. */
export const NO_DOSE_LINE = 'For how much or how often to take a medicine, follow the label or ask your pharmacist.';

/**
 * Drops every line that states a dose (never edits one: half a sentence about a medicine is worse than none)
 * and says where to get dosing advice instead.
 */
export function withoutDoses(lines: readonly string[]): string[] {
  const kept = lines.filter((line) => !containsDose(line));
  if (kept.length === lines.length) return [...lines];
  return kept.includes(NO_DOSE_LINE) ? kept : [...kept, NO_DOSE_LINE];
}
