/**
 * What in an answer is about the patient's wound now. Patients explain: "had some swelling last week but it went
 * down", "my husband has a chest infection", "my hand is swollen from the drip", "blood everywhere jk". Those parts
 * are blanked before the answer is read, so they set no fact and raise no flag; the rest is read as it is.
 *
 * Each rule is a complete list of the ways people say it, not a list of cases; each errs towards keeping a part:
 * a part is left out only when the answer itself says it is past and over, someone else's, elsewhere, or a joke.
 * Heavy bleeding anywhere is never left out (NHS: bleeding that will not stop is a 999 call, whatever bled).
 */
import { compilePhrases, findMentions, spansOf, tokenize, withoutSpans, type AnswerClause, type Token } from './phrases.js';
import type { Question } from './protocol.js';

/** A stretch of a clause between "but"s: "bled a bit" | "stopped straight away". */
interface Segment {
  clause: number;
  tokens: Token[];
  words: string[];
}

const SEGMENT_BREAK: ReadonlySet<string> = new Set(['but', 'though', 'tho', 'although', 'however', 'whereas']);

function segmentsOf(clauses: readonly AnswerClause[]): Segment[] {
  const segments: Segment[] = [];
  clauses.forEach((clause, index) => {
    let tokens: Token[] = [];
    const flush = (): void => {
      if (tokens.length > 0) segments.push({ clause: index, tokens, words: tokens.map((token) => token.word) });
      tokens = [];
    };
    for (const token of clause.tokens) {
      if (SEGMENT_BREAK.has(token.word)) flush();
      else tokens.push(token);
    }
    flush();
  });
  return segments;
}

const asClause = (segment: Segment): AnswerClause[] => tokenize(segment.words.join(' '));
const says = (segment: Segment, patterns: readonly RegExp[]): boolean => findMentions(asClause(segment), [{ tag: 'x', patterns }]).length > 0;
const FIRST_PERSON: ReadonlySet<string> = new Set(['i', 'im', 'ive', 'id', 'me', 'my', 'mine', 'myself']);
/** Someone else is the subject ("my husband has ...") and the patient is not in the part ("my wife is worried I'm bleeding"). */
const someoneElse = (segment: Segment): boolean =>
  findMentions(asClause(segment), [{ tag: 'x', patterns: OTHER_PERSON }]).some((mention) => mention.from <= 1) &&
  !says(segment, REPORTED_BY_OTHER) && !segment.words.slice(1).some((word) => FIRST_PERSON.has(word));

/** Said of a time before now: "was", "had", "yesterday", "last week", "on tuesday", "in hospital", "at first". */
const PAST = compilePhrases([
  'was|were|had|used|yesterday|yday|earlier|before|ago|initially|previously|bled|swelled|leaked|oozed',
  'last night|week|time|weekend',
  'on monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun',
  'in hospital', 'in the hospital', 'at first', 'first day|days|night|week', 'this morning', 'night|day after',
  'when ~ took|removed|changed|taken|came',
]);
/** Still so now: a part saying this is not over ("was red and still is", "worse again"). */
const NOW = compilePhrases(['still|again|worse|worsening|back|bigger|spreading|more', 'keeps|keep ~ coming|going|getting']);
/**
 * Over now: "went down", "gone", "stopped straight away", "nothing since", "dry now", "closed now", "fine today",
 * "going down now", "getting better", "not anymore".
 */
const RESOLVED = compilePhrases([
  'went|gone|going|come|came|coming|settled|settling down', 'went|gone|going away', 'all gone',
  'gone now|away|down|since', 'its|thats gone now',
  'cleared|resolved|stopped|healed|disappeared|settled|subsided|improving|improved',
  'better now|today|since', 'getting better',
  'fine|ok|okay|good|dry|closed|normal|nothing|none|clear now|today|since', 'nothing|none since|anymore|now|today|else', 'nothing ~ since', 'no more', 'not anymore|since',
  'restitched|resutured|restapled|reglued',
  'stitched|glued|stapled|closed back|again|up',
]);

/** Someone else has it: "my husband has", "she's got". Not "my wife says it's swollen": that is the patient's. */
const OTHER_PERSON = compilePhrases([
  'husband|wife|partner|hubby|son|daughter|mum|mom|mother|dad|father|kid|kids|child|baby|brother|sister|friend|neighbour|neighbor|roommate|flatmate|boyfriend|girlfriend|grandson|granddaughter|nan|grandma|grandpa|he|she|hes|shes ~ has|had|have|got|gets|is|was|didnt|doesnt',
]);
const REPORTED_BY_OTHER = compilePhrases(['says|said|thinks|thought|reckons|noticed|told|saw|sees|looked|checked']);

/**
 * Elsewhere, for the wound questions: another site ("nose", "gums", "period") or a cause that is not the wound
 * (the drip, a cannula, an injection, a cold). Only when the part names no wound.
 */
const ELSEWHERE = compilePhrases([
  'nose|nosebleed|nosebleeds|nostril|nostrils|gums|gum|period|menstrual',
  'drip|cannula|canula|iv|needle|injection|jab|catheter|cuff',
  'blood test|tests|draw', 'bloods taken',
]);
const WOUND = compilePhrases(['wound|incision|cut|scar|stitch*|staple*|suture*|dressing|bandage|drain|dressings|op|operation|surgery|site|steri*']);
/** Heavy bleeding is never left out (rule kept with the bleeding question's own "heavy" words). */
const HEAVY_BLEEDING = compilePhrases([
  'gush*|pour*|spurt*|soak*|drench*|everywhere|hemorrhag*|haemorrhag*',
  'wont|doesnt|isnt|not|cant|cannot|hasnt|didnt stop*', 'keeps|keep|still bleeding',
]);

/** "jk", "just kidding", "only joking": the part before it was not meant. */
const RETRACTION = compilePhrases(['jk|jks|jkjk|jokes|joking|kidding|lolz', 'just|only kidding|joking', 'not really ~ lol|haha']);

/**
 * The wound hurting on a breath, a cough or a laugh is the incision, not the chest: "my stitches pull when I take a
 * deep breath", "hurts my scar to cough". Blanked so neither the breathing question nor triage reads a breath.
 */
const WOUND_PAIN_ON_EFFORT = compilePhrases([
  'wound|incision|cut|scar|stitch*|staple*|suture*|tummy|belly|stomach|abdomen|drain ~ pull*|hurt*|sore|ache*|aching|sting*|twinge*|tug*|pain* ~ when|if|on|as|with ~ ~ breath*|breathe|inhale|cough*|laugh*|sneez*',
  'hurts|pulls|tugs|stings|sore ~ my? ~ wound|incision|cut|scar|stitches|staples|tummy|belly ~ to|when|if ~ breath*|breathe|cough*|laugh*|sneez*',
]);

const WOUND_QUESTION_FACTS: ReadonlySet<string> = new Set(['redness', 'swelling', 'drainage', 'wound_opening', 'bleeding']);

/** The parts of an answer to leave out, as character spans of the text. */
function leftOutSpans(question: Question, clauses: readonly AnswerClause[]): [number, number][] {
  const segments = segmentsOf(clauses);
  const out = new Set<number>();
  segments.forEach((segment, index) => {
    if (says(segment, HEAVY_BLEEDING) && !segments.slice(index + 1).some((later) => says(later, RETRACTION))) return;
    const later = segments.slice(index + 1);
    const next = later[0];
    // Past and over: said of a time before, and a later part says it is over; or the very next part begins "stopped".
    const resolvedNext = next !== undefined && findMentions(asClause(next), [{ tag: 'x', patterns: RESOLVED }]).some((mention) => mention.from <= 2);
    if (!says(segment, NOW) && ((says(segment, PAST) && later.some((part) => says(part, RESOLVED))) || resolvedNext)) out.add(index);
    if (someoneElse(segment)) out.add(index);
    if (WOUND_QUESTION_FACTS.has(question.fact) && says(segment, ELSEWHERE) && !says(segment, WOUND)) out.add(index);
    if (next !== undefined && findMentions(asClause(next), [{ tag: 'x', patterns: RETRACTION }]).some((mention) => mention.from === 0)) out.add(index);
  });
  const spans: [number, number][] = [...out].map((index) => {
    const tokens = segments[index]?.tokens ?? [];
    return [tokens[0]?.start ?? 0, tokens.at(-1)?.end ?? 0];
  });
  // "loads of blood lol jk a spot": what comes before the "jk" in the same part was not meant.
  for (const segment of segments) {
    const joke = findMentions(asClause(segment), [{ tag: 'x', patterns: RETRACTION }]).find((mention) => mention.from > 0);
    if (joke) spans.push([segment.tokens[0]?.start ?? 0, segment.tokens[joke.from - 1]?.end ?? 0]);
  }
  return [...spans, ...spansOf(clauses, findMentions(clauses, [{ tag: 'effort', patterns: WOUND_PAIN_ON_EFFORT }]))];
}

/** The answer with the parts that are not about the patient's wound now blanked (same length, same places). */
export function currentPart(question: Question, text: string): string {
  return withoutSpans(text, leftOutSpans(question, tokenize(text)));
}

/**
 * Not an answer: the patient cannot check ("can't see it, it's on my back", "the dressing is the dark kind", "I'm
 * not supposed to take the dressing off") or asks what the question means ("what do you mean by swollen", "idk how
 * to tell"). The question is asked again rather than a plain yes, no or hedge being recorded.
 */
const ASKS_BACK = compilePhrases([
  'idk|dunno|unsure|sure|know how|what ~ tell|check|know|look|measure',
  'dont|do not know how to? ~ tell|check|look|see|measure',
  'how do|would|can|should i ~ tell|know|check|see',
  'what do|does you|it|that mean*', 'what does ~ mean', 'meaning of|by', 'whats a|an', 'what is a|an',
  'what does|do|should ~ look|looks|feel|feels like',
]);
const CANNOT_ANSWER = compilePhrases([
  'cant|cannot|couldnt|unable ~ see|tell|reach|check|look ~ it|properly|well|wound|scar|cut|incision|because|cos|coz|under|from',
  'cant|cannot|couldnt|unable see|tell', 'on|under my back|bum|bottom|behind', 'under a|the|my ~ dressing|dressings|bandage|cast|plaster|binder',
  'dark|black|opaque|brown|coloured|colored ~ dressing|dressings|bandage|kind|type|sort|one',
  'dressing|dressings|bandage ~ dark|black|opaque',
  'not supposed|meant|allowed ~ take|look|remove|open|lift|touch',
  'cant|cannot|couldnt ~ take|get ~ dressing|bandage|it ~ off',
]);

/** True when the answer asks what the question means or how to tell: asked again even if it names the question's words. */
export function asksBack(clauses: readonly AnswerClause[]): boolean {
  return findMentions(clauses, [{ tag: 'asks', patterns: ASKS_BACK, plainNegation: true }]).some((mention) => !mention.negated);
}

/** True when the answer says the patient cannot see or check. */
export function cannotAnswer(clauses: readonly AnswerClause[]): boolean {
  return findMentions(clauses, [{ tag: 'cannot', patterns: CANNOT_ANSWER, plainNegation: true }]).some((mention) => !mention.negated);
}

const ACKNOWLEDGEMENT = /^\s*(?:ok(?:ay)?|k+|kk|okie|oki|alright|got it|noted|sure thing|thanks?|thank you|ty|thx|cheers|(?:\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}]|\uFE0F|\u200D)+)[\s.!]*$/iu;

/** Not an answer at all: "ok", "k", "thanks", an emoji. Asked again, never read as a plain yes, no or "fine". */
export function onlyAcknowledges(text: string): boolean {
  return ACKNOWLEDGEMENT.test(text);
}
