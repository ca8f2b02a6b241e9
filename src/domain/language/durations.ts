/**
 * How long something has been going on, in hours before `now`, from lay phrases: "for 3 weeks", "2 days ago",
 * "since yesterday", "all morning", "since Monday", "past couple of days". Works on canonical words (text.ts).
 */

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
  twelve: 12, few: 3, couple: 2, several: 4, half: 0.5,
};
const UNIT_HOURS: Record<string, number> = { minute: 1 / 60, hour: 1, day: 24, night: 24, week: 24 * 7, month: 24 * 30, year: 24 * 365 };
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const AMOUNT = '(\\d+(?:\\.\\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|couple|several|half)';
const UNIT = '(minute|hour|day|night|week|month|year)s?';
const SPAN = new RegExp(`\\b(?:for|past|last|over|about|almost|nearly|around|like|since|in)? ?(?:the )?(?:(?:past|last|over) )?(?:about |almost |nearly |around |like |over )?${AMOUNT} (?:of )?(?:an? )?${UNIT}\\b`);
const AGO = new RegExp(`\\b${AMOUNT} (?:of )?${UNIT} ago\\b`);

function amountOf(word: string): number {
  return NUMBER_WORDS[word] ?? Number(word);
}

/** Hours since the start of today's morning (07:00), at least one. */
function sinceMorning(now: Date): number {
  return Math.max(1, now.getHours() - 7);
}

/** The duration stated in one clause, in hours, or undefined. */
export function parseDuration(clause: string, now: Date): number | undefined {
  const ago = AGO.exec(clause);
  if (ago) return amountOf(ago[1] ?? '1') * (UNIT_HOURS[ago[2] ?? 'hour'] ?? 1);
  // The first span that is a duration: "2 year old" (an age) or "30 weeks pregnant" is skipped, not final.
  for (const span of clause.matchAll(new RegExp(SPAN.source, 'g'))) {
    const after = clause.slice(span.index + span[0].length, span.index + span[0].length + 14);
    const before = clause.slice(Math.max(0, span.index - 14), span.index);
    // "my son 4 year have chickenpox": an age said after the person, not how long it has lasted.
    if (/\b(son|daughter|child|kid|baby|boy|girl|toddler|grandson|granddaughter)\s*$/.test(before)) continue;
    // "3 days after my op" dates the operation, not the symptom.
    if (/^ (after|post|since) (my|the|his|her|their|a|an)\b/.test(after)) continue;
    if (!/^ (old|pregnant|along|gestation|post|postpartum|postop|pp)\b/.test(after)) return amountOf(span[1] ?? '1') * (UNIT_HOURS[span[2] ?? 'hour'] ?? 1);
  }
  if (/\b(day before yesterday)\b/.test(clause)) return 48 + now.getHours();
  if (/\b(since|from|started|began|start) (yesterday|last night)\b/.test(clause) || /\byesterday\b/.test(clause)) {
    return /\bnight\b/.test(clause) ? now.getHours() + 3 : 24;
  }
  if (/\blast night\b|\bovernight\b/.test(clause)) return now.getHours() + 3;
  if (/\b(this morning|all morning|since morning|when i woke up|since i woke up|all day|today|this afternoon)\b/.test(clause)) return sinceMorning(now);
  if (/\b(tonight|this evening)\b/.test(clause)) return Math.max(1, now.getHours() - 18);
  if (/\b(just now|just started|minutes ago|an hour ago|few minutes|suddenly|right now)\b/.test(clause)) return 0.5;
  if (/\b(since|last|on) (the )?weekend\b/.test(clause)) return Math.max(24, ((now.getDay() + 1) % 7) * 24);
  if (/\b(since|for|all|about|over|past) (a |the )?(last )?week\b|\blast week\b/.test(clause)) return 24 * 7;
  if (/\b(last|a|past) month\b/.test(clause)) return 24 * 30;
  const weekday = /\b(?:since|on|from|started|last) (sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/.exec(clause);
  if (weekday) {
    const back = (now.getDay() - WEEKDAYS.indexOf(weekday[1] ?? 'monday') + 7) % 7 || 7;
    return back * 24 + Math.max(0, now.getHours() - 7);
  }
  return undefined;
}
