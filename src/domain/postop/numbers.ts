/**
 * Reading the answer forms that are numbers: a 0-10 pain score and a temperature. Numbers are read from the
 * patient's own text (the word folding would split "38.5"), and each reading remembers where it was, so the rest
 * of the answer can still be read by triage.
 */
import { GENERAL, generalSaid, readSpans, type FormReading } from './forms.js';
import { compilePhrases, findMentions, type AnswerClause } from './phrases.js';

interface NumberFound {
  value: number;
  span: [number, number];
}

const NUMBER_WORDS: Readonly<Record<string, number>> = { zero: 0, nil: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
/** "7/10", "7 out of 10", "8 of 10". */
const OUT_OF_TEN = /(?<![\d.,])(\d{1,2}(?:[.,]\d)?)\s*(?:\/|out of|outta|of)\s*10(?![.,]?\d)/gi;
const BARE_NUMBER = /(?<![\d.,/])(\d{1,3}(?:[.,]\d{1,2})?)(?![\d/])/g;
/** A number followed by these is a dose, a time or a duration, not the answer. */
const NOT_THE_ANSWER_AFTER = /^\s*(?:%|mg\b|ml\b|mcg\b|kg\b|lbs?\b|pounds|pills?|tablets?|tabs?\b|capsules?|days?\b|d\b|hours?\b|hrs?\b|h\b|mins?\b|minutes?|weeks?\b|wks?\b|months?|years?|times|x\b|am\b|pm\b|a\.m|p\.m|:\d|o.?clock)/i;

function decimal(text: string): number {
  return Number(text.replace(',', '.').replace(/\s*point\s*/, '.'));
}

function numbersIn(text: string, pattern: RegExp, skip: readonly [number, number][] = []): NumberFound[] {
  const found: NumberFound[] = [];
  for (const match of text.matchAll(pattern)) {
    const end = match.index + match[0].length;
    if (skip.some(([from, to]) => match.index < to && from < end)) continue;
    if (NOT_THE_ANSWER_AFTER.test(text.slice(end, end + 12))) continue;
    found.push({ value: decimal(match[1] ?? ''), span: [match.index, end] });
  }
  return found;
}

/** Said of an earlier time: "it was a 9 yesterday". */
const EARLIER = /\b(?:was|were|yesterday|yday|last night|earlier|before|this morning|used to|at first|initially)\b/;
const NOW = /\b(?:now|today|currently|at the moment|atm|still|tonight|right now)\b/;
/** A correction of the score just said: "10!!! ok maybe a 6", "8, actually more like 5". */
const CORRECTION = /\b(?:ok|okay|actually|i mean|more like|or rather|realistically|honestly|jk|kidding|joking|nah|wait)\b/;
const SEGMENT_EDGE = /[.,;:!?\n()]|\b(?:but|though|tho|although|however)\b/g;

/** The part of the text (between commas, full stops and "but"s) that a score was said in. */
function segmentAround(text: string, span: readonly [number, number]): string {
  let from = 0;
  let to = text.length;
  for (const edge of text.matchAll(SEGMENT_EDGE)) {
    if (edge.index + edge[0].length <= span[0]) from = edge.index + edge[0].length;
    else if (edge.index >= span[1]) {
      to = edge.index;
      break;
    }
  }
  return text.slice(from, to).toLowerCase();
}

/**
 * The score that is the answer among several: a corrected one ("10!!! ok maybe a 6": the last), else the current
 * one when the others are said of an earlier time ("was 9 yesterday, 4 today"), else the highest ("6-7", "7 or 8"),
 * the safer reading of an in-between.
 */
function currentScore(text: string, scores: readonly NumberFound[]): number {
  const ordered = [...scores].sort((left, right) => left.span[0] - right.span[0]);
  const corrected = ordered.filter((found, index) => index > 0 && CORRECTION.test(text.slice(ordered[index - 1]?.span[1] ?? 0, found.span[0]).toLowerCase()));
  if (corrected.length > 0) return corrected.at(-1)?.value ?? 0;
  const earlier = (found: NumberFound): boolean => {
    const segment = segmentAround(text, found.span);
    return EARLIER.test(segment) && !NOW.test(segment);
  };
  const current = ordered.filter((found) => !earlier(found));
  return Math.max(...(current.length > 0 ? current : ordered).map((found) => found.value));
}

const NO_PAIN = compilePhrases(['no pain*', 'pain free', 'painfree', 'doesnt|dont|not hurt*', 'not sore']);

const SCALE_BOUNDS = /\b(?:scale|from|between|range)\s+(?:of\s+)?(?:0|1|zero|one)\s*(?:to|-|and|through)\s*(?:10|ten)\b/gi;

/**
 * A 0-10 score: "7", "seven", "7/10", "about a 6", "6-7" (the higher), "no pain" (0). A score above 10 of 10 is 10;
 * a bare number above 10 is no score. A decimal rounds up ("6.5" is 7): the worse reading of an in-between.
 */
export function readScale(text: string, clauses: readonly AnswerClause[]): FormReading {
  // The scale's own ends are not a score: "on a scale of 1 to 10 it's a meh".
  const bounds = [...text.matchAll(SCALE_BOUNDS)].map((match): [number, number] => [match.index, match.index + match[0].length]);
  const outOfTen = numbersIn(text, OUT_OF_TEN).map((found) => ({ ...found, value: Math.min(10, found.value) }));
  const bare = numbersIn(text, BARE_NUMBER, outOfTen.map((found) => found.span));
  const words = clauses.flatMap((clause) => clause.tokens.filter((token) => Object.hasOwn(NUMBER_WORDS, token.word)).map((token): NumberFound => ({ value: NUMBER_WORDS[token.word] ?? 0, span: [token.start, token.end] })));
  const scores = [...outOfTen, ...bare, ...words].filter((found) => found.value >= 0 && found.value <= 10 && !bounds.some(([from, to]) => found.span[0] < to && from < found.span[1]));
  // Only the numbers read as the score are taken out: "8, fever of 102" leaves the 102 for triage.
  const spans = scores.map((found) => found.span);
  if (scores.length > 0) {
    const value = Math.ceil(currentScore(text, scores));
    return { value, facts: { pain: value }, spans };
  }
  if (bare.length > 0) return { facts: {}, spans };
  const mentions = findMentions<string>(clauses, [{ tag: 'none', patterns: NO_PAIN }, ...GENERAL.filter((set) => set.tag === 'no')]);
  if (mentions.some((mention) => !mention.negated)) return { value: 0, facts: { pain: 0 }, spans: readSpans(clauses, mentions) };
  return { facts: {}, spans };
}

/** "38.5C", "101.2", "38,4", "99 F", "102 degrees". */
const READING = /(?<![\d.,/])(\d{2,3}(?:(?:[.,]|\s*point\s*)\d{1,2})?)\s*(?:°|º)?\s*(?:degrees?\b|deg\b)?\s*(?:(celsius|centigrade|fahrenheit|c|f)\b)?/gi;
const CELSIUS = { min: 34, max: 43 };
const FAHRENHEIT = { min: 90, max: 110 };

/**
 * °C from a number and its unit letter. Without a unit, 34-43 is °C and 90-110 is °F (the ranges a living
 * person's thermometer shows); anything else is not a temperature.
 */
export function toCelsius(value: number, unit: string | undefined): number | undefined {
  const letter = unit?.[0]?.toLowerCase();
  const inCelsius = value >= CELSIUS.min && value <= CELSIUS.max;
  const inFahrenheit = value >= FAHRENHEIT.min && value <= FAHRENHEIT.max;
  if (inCelsius && letter !== 'f') return value;
  if (inFahrenheit && letter !== 'c') return Math.round(((value - 32) * 5 * 10) / 9) / 10;
  return undefined;
}

const UNITS: Readonly<Record<string, number>> = {
  zero: 0, oh: 0, nought: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const digitOf = (word: string | undefined): number | undefined => (word === undefined ? undefined : /^\d$/.test(word) ? Number(word) : UNITS[word] !== undefined && (UNITS[word] ?? 10) < 10 ? UNITS[word] : undefined);

/**
 * Numbers said in words, as a voice-to-text or a careful patient writes them: "thirty seven point two", "ninety
 * nine point five", "a hundred and one", "thirty eight", "37 point 4". Read only where a whole reading is said.
 */
export function spelledNumbers(clauses: readonly AnswerClause[]): NumberFound[] {
  const found: NumberFound[] = [];
  for (const { tokens } of clauses) {
    let index = 0;
    while (index < tokens.length) {
      let at = index;
      let value: number | undefined;
      const word = (offset = 0): string | undefined => tokens[at + offset]?.word;
      if ((word() === 'a' || word() === 'one') && word(1) === 'hundred') {
        value = 100;
        at += 2;
        if (word() === 'and') at += 1;
      }
      const tens = TENS[word() ?? ''];
      if (tens !== undefined) {
        value = (value ?? 0) + tens;
        at += 1;
        const unit = digitOf(word());
        if (unit !== undefined && unit > 0) {
          value += unit;
          at += 1;
        }
      } else if (UNITS[word() ?? ''] !== undefined && value !== undefined) {
        value += UNITS[word() ?? ''] ?? 0;
        at += 1;
      } else if (value === undefined && /^\d{2,3}$/.test(word() ?? '') && word(1) === 'point') {
        value = Number(word());
        at += 1;
      }
      if (value === undefined) {
        index += 1;
        continue;
      }
      if (word() === 'point') {
        let decimals = '';
        for (let digit = digitOf(word(1)); digit !== undefined; digit = digitOf(word(1))) {
          decimals += String(digit);
          at += 1;
        }
        if (decimals) {
          value = Number(`${value}.${decimals}`);
          at += 1;
        }
      }
      found.push({ value, span: [tokens[index]?.start ?? 0, tokens[at - 1]?.end ?? 0] });
      index = Math.max(at, index + 1);
    }
  }
  return found;
}

/** The patient could not take it: read as "unknown", an answer in its own right. */
const NOT_TAKEN = compilePhrases([
  'not taken|checked|measured|done', 'didnt|havent|hadnt|couldnt|cant|cannot|forgot|unable|wasnt|dont ~ take|taken|took|check*|measure*|find|get',
  'not able ~ take|check*|measure*', 'thermometer*', 'skip|skipped|unknown|na|dunno', 'n a', 'dont|havent have|got|own ~ one|any', 'do not have ~ one|any',
]);

/** A temperature in °C, or "unknown" when the patient says they could not take it ("no thermometer", "no fever"). */
export function readTemperature(text: string, clauses: readonly AnswerClause[]): FormReading {
  const readings = [...text.matchAll(READING)]
    .filter((match) => !NOT_THE_ANSWER_AFTER.test(text.slice(match.index + match[0].length, match.index + match[0].length + 12)))
    .map((match) => ({ celsius: toCelsius(decimal(match[1] ?? ''), match[2]), span: [match.index, match.index + match[0].length] as [number, number] }))
    .filter((reading) => reading.celsius !== undefined);
  const taken = readings.map((reading) => reading.span);
  for (const spelled of spelledNumbers(clauses)) {
    const celsius = toCelsius(spelled.value, undefined);
    if (celsius !== undefined && !taken.some(([from, to]) => spelled.span[0] < to && from < spelled.span[1])) readings.push({ celsius, span: spelled.span });
  }
  const spans = readings.map((reading) => reading.span);
  const celsius = readings.map((reading) => reading.celsius as number);
  if (celsius.length > 0) {
    // Several readings ("101 last night, 99.5 now"): the one furthest from normal, as triage reads them.
    const value = celsius.reduce((worst, next) => (Math.abs(next - 37) > Math.abs(worst - 37) ? next : worst));
    return { value, facts: { temperature_c: value }, spans };
  }
  const mentions = findMentions<string>(clauses, [{ tag: 'not_taken', patterns: NOT_TAKEN }, ...GENERAL]);
  const said = generalSaid(mentions);
  const notTaken = mentions.some((mention) => mention.tag === 'not_taken') || said.has('no') || said.has('hedge') || said.has('normal');
  // "fever"/"feel hot" words are not taken out: triage still reads them.
  if (notTaken) return { value: 'unknown', facts: {}, spans: [...spans, ...readSpans(clauses, mentions)] };
  return { facts: {}, spans };
}
