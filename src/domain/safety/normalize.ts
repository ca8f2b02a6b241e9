/**
 * Text normalisation shared by the safety detectors.
 *
 * Patients write on cheap phones, in a hurry and sometimes in distress: no capitals, no punctuation, typos
 * ("chest pian", "cant breath"), stretched letters ("heeelp"), curly apostrophes from iOS keyboards, words run
 * together ("chestpain") or split ("can t"). Detectors match patterns against a canonical spelling of the
 * message, and each canonical word remembers which words of the message it came from, so a match can be
 * reported as the patient's own words for the audit trail.
 */

/** Marks a clause break (sentence punctuation, comma, semicolon, new line) in a token stream. */
export const CLAUSE_BREAK = '|';

/** One canonical word, pointing back at the message words `[from, to)` it was made from. */
export interface CanonicalToken {
  word: string;
  from: number;
  to: number;
}

/** A message after normalisation. */
export interface NormalizedMessage {
  /** The message's words, lower-cased and stripped of accents and punctuation; clause breaks as {@link CLAUSE_BREAK}. */
  words: string[];
  /** The canonical spelling of `words`, used for matching. */
  tokens: CanonicalToken[];
}

/** The vocabulary a detector wants its input spelled in. */
export interface Lexicon {
  /** Words that are kept as they are (their own spelling is right). */
  known: ReadonlySet<string>;
  /** Misspellings, abbreviations and run-together words mapped to canonical words (a value may hold spaces). */
  variants: ReadonlyMap<string, string>;
  /** Word sequences (canonical spelling) replaced by others, longest first: `can not` -> `cant`. */
  phrases: ReadonlyMap<string, string>;
  /** Long, distinctive words that absorb near-miss typos (edit distance 1, or 2 for 8+ letters). */
  fuzzyTargets: readonly string[];
  /** Stems whose every ending is meant ("convuls" covers "convulsed"): such words are never "corrected". */
  prefixes: readonly string[];
  /** Words a run-together word may be split into ("chestpain" -> "chest pain"); other words are never split. */
  splittable: ReadonlySet<string>;
}

/** Lower-case, strip accents (so Spanish "corazón" matches "corazon"), unify apostrophes and dashes. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b\u02bc\u00b4`]/g, "'")
    .replace(/[\u2010-\u2015\u2212-]/g, ' ')
    // "pain 9/10" is a score, not two clauses.
    .replace(/([0-9])\s*\/\s*([0-9])/g, '$1 of $2')
    // Read before apostrophes and dots go, or "he'll", "s.o.b.", "o.d." and "od'd" become "hell", "s o b", "o d", "odd".
    .replace(/\b(he|she|they|we|i|you|it)\s*'\s*ll\b/g, '$1 will')
    .replace(/\b(he|she|they|we|you)\s*'\s*d\b/g, '$1 would')
    .replace(/\bs\.o\.b\b\.?/g, 'short of breath')
    .replace(/\bo\.d\.?(?=\s|$|')/g, 'od')
    .replace(/\bod\s*'\s*(?:d|ed)\b/g, 'overdosed');
}

const BREAK_CHARS = /[.,;:!?()[\]{}\n\r/\\|]/;

/** Splits folded text into words and clause breaks; apostrophes inside a word vanish ("can't" -> "cant"). */
export function splitWords(folded: string): string[] {
  const words: string[] = [];
  let current = '';
  const flush = (): void => {
    if (current) words.push(current);
    current = '';
  };
  for (let index = 0; index < folded.length; index++) {
    const char = folded[index] ?? '';
    if (/[a-z0-9]/.test(char)) {
      current += char;
    } else if (char === "'") {
      // Inside a word ("can't") it is dropped; elsewhere it separates like a space.
      if (!current || !/[a-z]/.test(folded[index + 1] ?? '')) flush();
    } else if (char === '.' && /[0-9]$/.test(current) && /[0-9]/.test(folded[index + 1] ?? '')) {
      current += char; // a decimal such as 2.5 stays one word
    } else if (BREAK_CHARS.test(char)) {
      flush();
      if (words.length > 0 && words[words.length - 1] !== CLAUSE_BREAK) words.push(CLAUSE_BREAK);
    } else {
      flush();
    }
  }
  flush();
  while (words[words.length - 1] === CLAUSE_BREAK) words.pop();
  return words;
}

/** Collapses every run of one letter to a single letter: "bleeeding", "bleding" and "bleeding" agree. */
export function squeeze(word: string): string {
  return word.replace(/([a-z])\1+/g, '$1');
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so "pian" is one edit from
 * "pain"). Returns `cap + 1` at once when the lengths alone differ by more than `cap`.
 */
export function editDistance(left: string, right: string, cap = 3): number {
  if (Math.abs(left.length - right.length) > cap) return cap + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= left.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= right.length; j++) rows[i]!.push(i === 0 ? j : 0);
  }
  for (let i = 1; i <= left.length; i++) {
    for (let j = 1; j <= right.length; j++) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[left.length]![right.length]!;
}

const squeezeIndexes = new WeakMap<Lexicon, Map<string, string | null>>();

/** squeeze(word) -> canonical word, or null where two canonical words squeeze alike (then nothing is guessed). */
function squeezeIndex(lexicon: Lexicon): Map<string, string | null> {
  let index = squeezeIndexes.get(lexicon);
  if (index) return index;
  index = new Map();
  const add = (key: string, canonical: string): void => {
    const existing = index!.get(key);
    index!.set(key, existing === undefined || existing === canonical ? canonical : null);
  };
  for (const word of lexicon.known) add(squeeze(word), word);
  for (const [variant, canonical] of lexicon.variants) add(squeeze(variant), canonical);
  squeezeIndexes.set(lexicon, index);
  return index;
}

function fuzzyMatch(word: string, lexicon: Lexicon): string | undefined {
  if (word.length < 5 || /[0-9]/.test(word)) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const target of lexicon.fuzzyTargets) {
    // Typos rarely hit the first letter, and requiring it keeps "heard" from becoming "heart".
    if (target[0] !== word[0]) continue;
    const allowed = word.length >= 8 && target.length >= 8 && target[1] === word[1] ? 2 : 1;
    const distance = editDistance(word, target, allowed);
    if (distance <= allowed && distance < bestDistance) {
      best = target;
      bestDistance = distance;
    }
  }
  return best;
}

/** Tries to read a run-together word as two words the lexicon knows ("chestpain", "cantbreathe"). */
function splitRunTogether(word: string, lexicon: Lexicon): string | undefined {
  if (word.length < 6) return undefined;
  for (let cut = 2; cut <= word.length - 2; cut++) {
    const head = word.slice(0, cut);
    const tail = word.slice(cut);
    if (Math.max(head.length, tail.length) < 4) continue;
    const left = lexicon.variants.get(head) ?? head;
    const right = lexicon.variants.get(tail) ?? tail;
    if (lexicon.splittable.has(left) && lexicon.splittable.has(right)) return `${left} ${right}`;
  }
  return undefined;
}

/** No clinical word is longer; longer "words" (pasted links, keyboard mashing) are left as they are. */
const MAX_WORD = 24;

const spellings = new WeakMap<Lexicon, Map<string, string>>();
const SPELLING_CACHE_LIMIT = 20_000;

/** The canonical spelling of one word (may be several words, e.g. "kms" -> "kill myself"). */
export function spellWord(word: string, lexicon: Lexicon): string {
  let cache = spellings.get(lexicon);
  if (!cache) spellings.set(lexicon, (cache = new Map()));
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  const spelled = spellUncached(word, lexicon);
  // Bounded, so a stream of random words cannot grow it without end.
  if (cache.size >= SPELLING_CACHE_LIMIT) cache.clear();
  cache.set(word, spelled);
  return spelled;
}

function spellUncached(word: string, lexicon: Lexicon): string {
  if (word === CLAUSE_BREAK || /^[0-9.]+$/.test(word)) return word;
  const direct = lexicon.variants.get(word) ?? (lexicon.known.has(word) ? word : undefined);
  if (direct) return direct;
  // Stretched letters ("heeelp", "pleeease"): try runs of two first, which keeps "bleeding" and "too" right.
  const shortened = word.replace(/([a-z])\1{2,}/g, '$1$1');
  const fromShortened = lexicon.variants.get(shortened) ?? (lexicon.known.has(shortened) ? shortened : undefined);
  if (fromShortened) return fromShortened;
  if (shortened.length > MAX_WORD) return shortened;
  // Dropped final g ("bleedin", "chokin").
  if (shortened.length >= 5 && shortened.endsWith('in') && lexicon.known.has(`${shortened}g`)) return `${shortened}g`;
  if (lexicon.prefixes.some((prefix) => shortened.startsWith(prefix))) return shortened;
  // Doubled letters ("bleding", "diarhea"), only for words long enough to be a typo: "be" is not "bee".
  const fromSqueezed = word.length >= 4 ? squeezeIndex(lexicon).get(squeeze(word)) : undefined;
  if (fromSqueezed) return fromSqueezed;
  return splitRunTogether(shortened, lexicon) ?? fuzzyMatch(shortened, lexicon) ?? shortened;
}

function applyPhrases(tokens: CanonicalToken[], phrases: ReadonlyMap<string, string>, longest: number): CanonicalToken[] {
  const result: CanonicalToken[] = [];
  let index = 0;
  while (index < tokens.length) {
    let replaced = false;
    for (let size = Math.min(longest, tokens.length - index); size >= 1 && !replaced; size--) {
      const window = tokens.slice(index, index + size);
      const replacement = phrases.get(window.map((token) => token.word).join(' '));
      if (replacement === undefined) continue;
      const from = window[0]!.from;
      const to = window[window.length - 1]!.to;
      for (const word of replacement.split(' ').filter(Boolean)) result.push({ word, from, to });
      index += size;
      replaced = true;
    }
    if (!replaced) result.push(tokens[index++]!);
  }
  return result;
}

function isKnown(word: string, lexicon: Lexicon): boolean {
  return lexicon.known.has(word) || lexicon.variants.has(word);
}

/**
 * Re-joins a word split by a stray space ("bleed ing", "brea the") or typed letter by letter ("h e l p"),
 * when the joined word is one the detectors care about and a part is not a word on its own.
 */
function joinSplitWords(words: readonly string[], lexicon: Lexicon): CanonicalToken[] {
  const segments: CanonicalToken[] = [];
  let index = 0;
  while (index < words.length) {
    let end = index;
    while (end < words.length && /^[a-z]$/.test(words[end] ?? '')) end++;
    if (end - index >= 3) {
      if (end - index <= MAX_WORD) segments.push({ word: words.slice(index, end).join(''), from: index, to: end });
      else for (let letter = index; letter < end; letter++) segments.push({ word: words[letter] ?? '', from: letter, to: letter + 1 });
      index = end;
      continue;
    }
    const word = words[index] ?? '';
    const next = words[index + 1] ?? '';
    const joined = spellWord(`${word}${next}`, lexicon);
    // Only a join that spells a word about as long ("brea thing"), never one that swallows a word ("throwing up").
    const wanted = (lexicon.splittable.has(joined) || lexicon.fuzzyTargets.includes(joined)) && joined.length >= word.length + next.length - 1;
    if (next && word.length >= 2 && next.length >= 2 && word !== CLAUSE_BREAK && next !== CLAUSE_BREAK && wanted && (!isKnown(word, lexicon) || !isKnown(next, lexicon))) {
      segments.push({ word: `${word}${next}`, from: index, to: index + 2 });
      index += 2;
      continue;
    }
    segments.push({ word, from: index, to: index + 1 });
    index++;
  }
  return segments;
}

const longestPhrases = new WeakMap<ReadonlyMap<string, string>, number>();

/** Folds, splits and spells a message in the lexicon's canonical vocabulary. */
export function normalizeMessage(text: string, lexicon: Lexicon): NormalizedMessage {
  const words = splitWords(foldText(text));
  const spelled: CanonicalToken[] = [];
  for (const segment of joinSplitWords(words, lexicon)) {
    for (const part of spellWord(segment.word, lexicon).split(' ')) spelled.push({ ...segment, word: part });
  }
  let longest = longestPhrases.get(lexicon.phrases);
  if (longest === undefined) {
    longest = Math.max(1, ...[...lexicon.phrases.keys()].map((key) => key.split(' ').length));
    longestPhrases.set(lexicon.phrases, longest);
  }
  return { words, tokens: applyPhrases(spelled, lexicon.phrases, longest) };
}

/** The message words behind canonical tokens `[start, end)`, for reporting what matched. */
export function sourceWords(message: NormalizedMessage, start: number, end: number): string {
  const first = message.tokens[start];
  const last = message.tokens[end - 1];
  if (!first || !last) return '';
  return message.words
    .slice(first.from, last.to)
    .filter((word) => word !== CLAUSE_BREAK)
    .join(' ');
}

/**
 * SMS shorthand and apostrophe-less contractions, shared by every detector. Values are canonical words;
 * contractions lose their apostrophe ("cant", "dont", "im") because many phones never type one.
 */
export const COMMON_VARIANTS: ReadonlyMap<string, string> = new Map([
  ['cannot', 'cant'], ['cnt', 'cant'], ['kant', 'cant'], ['caint', 'cant'], ['carnt', 'cant'], ['cant', 'cant'],
  ['dnt', 'dont'], ['dont', 'dont'], ['doesent', 'doesnt'], ['dosent', 'doesnt'], ['dosnt', 'doesnt'], ['doesnt', 'doesnt'],
  ['didint', 'didnt'], ['didnt', 'didnt'], ['isint', 'isnt'], ['hasent', 'hasnt'], ['havnt', 'havent'], ['havent', 'havent'],
  ['couldint', 'couldnt'], ['cudnt', 'couldnt'], ['couldnt', 'couldnt'], ['wouldnt', 'wouldnt'], ['wont', 'wont'],
  ['imma', 'im going to'], ['ima', 'im going to'], ['gonna', 'going to'], ['gunna', 'going to'], ['gona', 'going to'],
  ['wanna', 'want to'], ['wana', 'want to'], ['tryna', 'trying to'], ['gotta', 'got to'], ['kinda', 'kind of'],
  ['alot', 'a lot'], ['lotta', 'a lot of'], ['u', 'you'], ['ur', 'your'], ['pls', 'please'], ['plz', 'please'],
  ['plez', 'please'], ['ppl', 'people'], ['bc', 'because'], ['cuz', 'because'], ['coz', 'because'], ['bcuz', 'because'],
  ['becuz', 'because'], ['rn', 'right now'], ['idk', 'i dont know'], ['dunno', 'dont know'], ['abt', 'about'],
  ['thru', 'through'], ['tho', 'though'], ['nite', 'night'], ['b4', 'before'], ['hrs', 'hours'], ['yrs', 'years'],
  ['mins', 'minutes'], ['wks', 'weeks'], ['dr', 'doctor'], ['doc', 'doctor'], ['nomore', 'no more'], ['anymore', 'anymore'],
  ['tmrw', 'tomorrow'], ['2day', 'today'], ['tdy', 'today'], ['bf', 'boyfriend'], ['gf', 'girlfriend'], ['hubby', 'husband'],
  ['msg', 'message'], ['msgs', 'messages'], ['txt', 'text'], ['txts', 'texts'], ['txting', 'texting'], ['tlk', 'talk'],
  ['spk', 'speak'], ['sum1', 'someone'], ['some1', 'someone'], ['any1', 'anyone'], ['no1', 'no one'], ['ok', 'ok'],
  ['okay', 'ok'], ['k', 'ok'], ['kk', 'ok'], ['yr', 'your'], ['ya', 'you'], ['ye', 'yes'], ['yea', 'yes'],
]);

const CONTRACTION_STEMS = ['can', 'won', 'don', 'doesn', 'didn', 'isn', 'aren', 'wasn', 'weren', 'haven', 'hasn', 'hadn', 'couldn', 'wouldn', 'shouldn', 'ain'];

/** Multi-word spellings of one canonical word, and contractions split by a phone ("can t", "i m"). */
export const COMMON_PHRASES: ReadonlyMap<string, string> = new Map([
  ...CONTRACTION_STEMS.map((stem): [string, string] => [`${stem} t`, stem === 'won' ? 'wont' : `${stem}t`]),
  ['i m', 'im'], ['i am', 'im'], ['i ve', 'ive'], ['i d', 'id'], ['i ll', 'ill'], ['he s', 'hes'], ['she s', 'shes'],
  ['it s', 'its'], ['that s', 'thats'], ['they re', 'theyre'], ['you re', 'youre'], ['there s', 'theres'],
  ['can not', 'cant'], ['could not', 'couldnt'], ['will not', 'wont'], ['would not', 'wouldnt'], ['do not', 'dont'],
  ['does not', 'doesnt'], ['did not', 'didnt'], ['is not', 'isnt'], ['are not', 'arent'], ['was not', 'wasnt'],
  ['were not', 'werent'], ['have not', 'havent'], ['has not', 'hasnt'], ['had not', 'hadnt'],
  ['unable to', 'cant'], ['not able to', 'cant'], ['any more', 'anymore'], ['no one', 'noone'], ['my self', 'myself'],
  ['goin to', 'going to'], ['going ta', 'going to'], ['want ta', 'want to'],
]);

/** Builds a lexicon from detector vocabulary plus the shared SMS shorthand. */
export function buildLexicon(parts: {
  known: Iterable<string>;
  variants?: Iterable<[string, string]>;
  phrases?: Iterable<[string, string]>;
  fuzzyTargets?: readonly string[];
  prefixes?: readonly string[];
  splittable?: Iterable<string>;
}): Lexicon {
  const variants = new Map([...COMMON_VARIANTS, ...(parts.variants ?? [])]);
  const phrases = new Map([...COMMON_PHRASES, ...(parts.phrases ?? [])]);
  const known = new Set(parts.known);
  for (const value of [...variants.values(), ...phrases.values()]) for (const word of value.split(' ')) known.add(word);
  return {
    known,
    variants,
    phrases,
    fuzzyTargets: (parts.fuzzyTargets ?? []).filter((target) => target.length >= 5),
    prefixes: (parts.prefixes ?? []).filter((prefix) => prefix.length >= 4),
    splittable: new Set(parts.splittable ?? []),
  };
}
