/**
 * Reading a patient's reply to a dose reminder. Only a whole reply made of dose words counts: every word must
 * be one we know (an answer, a time, a filler such as "ok" or "thanks"), so a question ("did I take it?"), a
 * symptom ("took it but I feel dizzy") or anything else gives `undefined` and goes to the conversation, with the
 * dose left open. Safety (emergency words, STOP) is decided before this, elsewhere.
 */
import { editDistance, squeeze } from '../safety/normalize.js';

export type PartOfDay = 'morning' | 'noon' | 'afternoon' | 'evening' | 'night';

/** Which open dose the patient means: a part of the day, a time, a word of a dose's name, or all of them. */
export type DoseHint = { partOfDay: PartOfDay } | { time: string } | { name: string } | { all: true };

export interface DoseReply {
  answer: 'taken' | 'skipped' | 'snoozed';
  /** Snooze length the patient asked for; absent for a plain "snooze" / "later" (the caller's default). */
  minutes?: number;
  which?: DoseHint;
  /** The reply was a bare menu number ("1"): the caller may confirm it where a menu is also open. */
  menuDigit?: true;
}

export const MAX_SNOOZE_MINUTES = 24 * 60;

// `take` only answers when negated ("didn't take it"): "take it" or "did I take it" is no answer.
type WordClass = 'yes' | 'takeVerb' | 'take' | 'no' | 'skip' | 'snooze' | 'verbNegator' | 'notYet' | 'filler';

const WORDS: Record<WordClass, string[]> = {
  yes: ['yes', 'y', 'ya', 'yah', 'yea', 'yeah', 'yep', 'yup'],
  takeVerb: ['taken', 'took', 'tooken', 'taking', 'done'],
  take: ['take'],
  no: ['no', 'n', 'nope', 'nah'],
  skip: ['skip', 'skipped', 'skipping', 'skipt', 'missed', 'pass'],
  snooze: ['snooze', 'snoozed', 'snoozing', 'later', 'remind', 'wait', 'bit', 'while'],
  verbNegator: ['not', 'didnt', 'didn', 'havent', 'hasnt', 'dont', 'never', 'cant', 'wont'],
  notYet: ['yet', 'now'],
  filler: [
    'ok', 'okay', 'k', 'i', 'ive', 'im', 'it', 'its', 'the', 'my', 'a', 'an', 'one', 'ones', 'pill', 'pills', 'med', 'meds', 'medicine',
    'medication', 'tablet', 'tablets', 'dose', 'doses', 'just', 'already', 'thanks', 'thank', 'you', 'thx', 'ty',
    'please', 'pls', 'plz', 'have', 'has', 'did', 'do', 'me', 'in', 'for', 'and', 'today', 'this', 'that', 'all',
    'good', 'again', 'sir', 'maam', 'dear', 'am', 'pm', 'at', 'of', 'with', 'to',
  ],
};
const PARTS_OF_DAY: Record<string, PartOfDay> = {
  morning: 'morning', breakfast: 'morning', noon: 'noon', midday: 'noon', lunch: 'noon', lunchtime: 'noon',
  afternoon: 'afternoon', evening: 'evening', dinner: 'evening', supper: 'evening', night: 'night', tonight: 'night',
  bedtime: 'night', bed: 'night',
};
const ALL_WORDS = new Set(['both', 'them', 'everything']);
// A reply that opens like a question is one, with or without its question mark ("did I take it").
const QUESTION_OPENERS = new Set(['did', 'do', 'does', 'should', 'can', 'could', 'what', 'when', 'how', 'why', 'which', 'is', 'will', 'shall', 'may', 'where', 'who']);
const DIGITS: Record<string, DoseReply['answer']> = { '1': 'taken', '2': 'skipped', '3': 'snoozed' };

const classOf = new Map<string, WordClass>(Object.entries(WORDS).flatMap(([wordClass, words]) => words.map((word) => [word, wordClass as WordClass])));
const KNOWN = [...classOf.keys(), ...Object.keys(PARTS_OF_DAY), ...ALL_WORDS];
const FUZZY_TARGETS = KNOWN.filter((word) => word.length >= 5 && classOf.get(word) !== 'filler');

/** The known word a patient's word stands for: itself, with stretched letters undone ("yesss"), or one typo away (5+ letters). */
function spell(word: string): string | undefined {
  if (KNOWN.includes(word)) return word;
  const squeezed = KNOWN.find((known) => squeeze(known) === squeeze(word));
  if (squeezed) return squeezed;
  if (word.length < 5) return undefined;
  // Typos rarely hit the first letter, and requiring it keeps "water" from reading as "later".
  const near = FUZZY_TARGETS.filter((target) => target[0] === word[0] && editDistance(word, target, 1) <= 1);
  return near.length === 1 ? near[0] : undefined;
}

const EMOJI: [RegExp, string][] = [
  [/[\u2705\u2714\u2611\u{1F44D}]/gu, ' taken '],
  [/[\u274C\u2716\u274E\u{1F44E}]/gu, ' skip '],
  [/[\u23F0\u{1F4A4}]/gu, ' snooze '],
];

/** Lower-case words; times become "@HH:MM", durations "#<minutes>", a duration-less "in a bit" a snooze word. */
function words(text: string): string[] {
  let folded = text;
  for (const [emoji, word] of EMOJI) folded = folded.replace(emoji, word);
  folded = folded.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/['\u2018\u2019`]/g, '');
  folded = folded
    .replace(/\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m|p\.?m)\b\.?/g, (_all, hour: string, minute: string | undefined, half: string) => ` @${clock(Number(hour) % 12 + (half.startsWith('p') ? 12 : 0), Number(minute ?? 0))} `)
    .replace(/(?<!@)\b(\d{1,2}):(\d{2})\b/g, (_all, hour: string, minute: string) => ` @${clock(Number(hour), Number(minute))} `)
    .replace(/\b(?:an?|one) (?:hour|hr) and a half\b/g, ' #90 ')
    .replace(/\bhalf (?:an )?(?:hour|hr)\b/g, ' #30 ')
    .replace(/\b(?:an?|one) (?:hour|hr)\b/g, ' #60 ')
    .replace(/\b(\d{1,5})\s*(m|mins?|minutes?|h|hrs?|hours?)\b/g, (_all, amount: string, unit: string) => ` #${Number(amount) * (unit.startsWith('h') ? 60 : 1)} `);
  return folded.split(/[^a-z0-9@#:]+/).filter(Boolean);
}

function clock(hour: number, minute: number): string {
  return hour > 23 || minute > 59 ? 'invalid' : `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/**
 * The dose answer a reply gives, or `undefined` when it is not one. Understands "taken", "took it", "yes",
 * "1", "done", "✅"; "skip", "no", "2", "not today"; "snooze", "snooze 30", "later", "in 20 min",
 * "remind me in an hour", "3"; which dose ("took the morning one", "noon taken", "the 8pm one", "both"),
 * with one typo in words of five letters or more. `doseNames` are the open doses' names, so "took lisinopril"
 * or "took the morning pill" can name one.
 */
export function parseDoseReply(text: string, doseNames: readonly string[] = []): DoseReply | undefined {
  if (text.includes('?') || text.length > 200) return undefined;
  const seen = new Set<WordClass>();
  const hints: DoseHint[] = [];
  let minutes: number | undefined;
  let digit: string | undefined;
  const nameWords = new Set(doseNames.flatMap((name) => words(name)).filter((word) => !classOf.has(word) && !/^[@#0-9]/.test(word)));
  const tokens = words(text);
  if (QUESTION_OPENERS.has(tokens[0] ?? '') && classOf.get(tokens[1] ?? '') !== 'verbNegator') return undefined;
  for (const [index, token] of tokens.entries()) {
    if (token.startsWith('#')) minutes = Number(token.slice(1));
    else if (token.startsWith('@')) hints.push({ time: token.slice(1) });
    else if (/^\d+$/.test(token)) {
      // A bare number is a menu digit, or a snooze length right after "snooze" / "in" / "for".
      if (tokens.length === 1 && DIGITS[token]) digit = token;
      else if (['snooze', 'in', 'for'].includes(spell(tokens[index - 1] ?? '') ?? '')) minutes = Number(token);
      else if (DIGITS[token] && index === 0) digit = token;
      else return undefined;
    } else if (nameWords.has(token)) hints.push({ name: token });
    else {
      const word = spell(token);
      if (word === undefined) return undefined;
      if (PARTS_OF_DAY[word]) hints.push({ partOfDay: PARTS_OF_DAY[word] });
      else if (ALL_WORDS.has(word)) hints.push({ all: true });
      else seen.add(classOf.get(word)!);
    }
  }
  if (minutes !== undefined) {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_SNOOZE_MINUTES) return undefined;
    seen.add('snooze');
  }
  const answer = answerOf(seen);
  const fromDigit = digit === undefined ? undefined : DIGITS[digit];
  const final = answer ?? fromDigit;
  if (!final || (answer && fromDigit && answer !== fromDigit)) return undefined;
  const which = oneHint(hints);
  if (which === null) return undefined;
  return {
    answer: final,
    ...(final === 'snoozed' && minutes !== undefined ? { minutes } : {}),
    ...(which ? { which } : {}),
    ...(answer === undefined ? { menuDigit: true as const } : {}),
  };
}

/** The answer the words give, or undefined when they give none or disagree ("yes skip"). */
function answerOf(seen: Set<WordClass>): DoseReply['answer'] | undefined {
  const has = (wordClass: WordClass) => seen.has(wordClass);
  if (has('verbNegator')) {
    // "didn't take it", "not today" -> skipped; "not yet", "not now" -> snoozed; "no" agrees with either.
    if (has('yes')) return undefined;
    if (has('snooze')) return has('skip') ? undefined : 'snoozed';
    if (has('notYet')) return has('skip') ? undefined : 'snoozed';
    return 'skipped';
  }
  if (has('take') || (has('notYet') && !has('takeVerb') && !has('yes'))) return undefined;
  // "no, later": the patient has not taken it and asks to be reminded.
  if (has('snooze')) return has('yes') || has('takeVerb') || has('skip') ? undefined : 'snoozed';
  const taken = has('yes') || has('takeVerb');
  const skipped = has('skip') || has('no');
  if (taken === skipped) return undefined;
  return taken ? 'taken' : 'skipped';
}

/** The one dose hint given, undefined for none, null when they disagree ("morning and noon"). */
function oneHint(hints: DoseHint[]): DoseHint | undefined | null {
  const distinct = [...new Map(hints.map((hint) => [JSON.stringify(hint), hint])).values()];
  if (distinct.length > 1) return null;
  const [hint] = distinct;
  return hint && 'time' in hint && hint.time === 'invalid' ? null : hint;
}

/** An open dose a reply may answer. */
export interface OpenDose {
  key: string;
  displayName: string;
  /** The plan's local time "HH:MM". */
  localTime: string;
  at: Date;
}

const PART_RANGES: Record<PartOfDay, [string, string]> = {
  morning: ['04:00', '11:00'], noon: ['11:00', '14:00'], afternoon: ['12:00', '17:00'], evening: ['17:00', '21:00'], night: ['20:00', '04:00'],
};

const inRange = (time: string, [start, end]: [string, string]) => (start <= end ? time >= start && time < end : time >= start || time < end);
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * The open doses a reply answers: the latest when it names none, the one it names, or all for "both".
 * Empty when it names one that is not open ("the noon one" with only a morning dose open): ask which.
 */
export function pickDoses(open: readonly OpenDose[], which: DoseHint | undefined): OpenDose[] {
  const latestFirst = [...open].sort((left, right) => right.at.getTime() - left.at.getTime());
  let matching: OpenDose[];
  if (!which) matching = latestFirst;
  else if ('all' in which) return latestFirst;
  else if ('partOfDay' in which) matching = latestFirst.filter((dose) => inRange(dose.localTime, PART_RANGES[which.partOfDay]));
  else if ('name' in which) matching = latestFirst.filter((dose) => words(dose.displayName).includes(which.name));
  else {
    // "the 8am one": the dose planned at that time, or the nearest within an hour of it.
    const distance = (dose: OpenDose) => Math.abs(minutesOf(dose.localTime) - minutesOf(which.time));
    matching = latestFirst.filter((dose) => distance(dose) <= 60).sort((left, right) => distance(left) - distance(right));
  }
  return matching.slice(0, 1);
}
