/**
 * Deterministic detection of suicide and self-harm risk in a patient's message, after the NIMH ASQ and the
 * C-SSRS screen. Runs before every dialog step (SafetyService), ahead of the emergency detector.
 *
 *  - `active`: current ideation, intent, a plan, means at hand, a question about a lethal amount, self-harm
 *    happening now, or someone else's wish to die reported by the patient: the crisis reply at once.
 *  - `passive`: a wish to be dead without intent or plan ("i wish i wouldn't wake up"): the ASQ screener.
 *
 * The wording is data (content/clinical/crisis.yaml); this file only applies it:
 *  1. normalise the message with the shared normaliser (typos, shorthand, contractions);
 *  2. mask figures of speech ("this heat is killing me"), so their words count for nothing;
 *  3. match each concept's patterns; drop a match that is denied, in the past, or an education question;
 *  4. markers ("tonight", "i have the pills") count only beside a statement they escalate;
 *  5. the most urgent kind wins.
 * The message is never logged; `evidence` holds only the words that matched, for the audit trail.
 */
import { CLAUSE_BREAK, normalizeMessage, sourceWords, type NormalizedMessage } from './normalize.js';
import { clauseBounds, experiencer, isAboutPeopleInGeneral, isEducational, isHistorical, isNegated, textOf } from './crisis-context.js';
import { CRISIS_KINDS, crisisLanguage, type CompiledConcept, type CrisisKind, type CrisisLanguage } from './crisis-lexicon.js';
import { MASKED } from './crisis-patterns.js';
import { WordPrefixIndex } from '../language/prefilter.js';

export { CRISIS_KINDS, type CrisisKind } from './crisis-lexicon.js';

/** What the crisis detector found in a message. */
export interface CrisisMatch {
  /** `active`: answer with the crisis reply now. `passive`: a passive wish to die; run the screener. */
  level: 'active' | 'passive';
  kind: CrisisKind;
  /** The message words that matched (a handful), for the audit trail; never the whole message. */
  evidence: string;
}

interface Hit {
  concept: CompiledConcept;
  start: number;
  end: number;
  /** The statement's level here: someone else's passive wish, reported by the patient, is answered as active. */
  level?: 'active' | 'passive';
}

/** Bounds the work per message; far above any SMS or chat message. */
const MAX_CHARS = 5_000;

/** Figures of speech use up their words: nothing else may match them, and no gap may cross them. */
function maskFigures(words: string[], language: CrisisLanguage): string[] {
  const canonical = textOf(words, 0, words.length);
  const offsets = wordOffsets(words);
  const masked = [...words];
  for (const figure of language.figures) {
    for (const found of canonical.matchAll(figure)) {
      const start = offsets.get(found.index) ?? 0;
      const count = found[0].trim().split(' ').length;
      for (let index = start; index < start + count; index++) masked[index] = MASKED;
    }
  }
  return masked;
}

/** Character offset in canonical text -> word index. */
function wordOffsets(words: readonly string[]): Map<number, number> {
  const offsets = new Map<number, number>();
  let offset = 0;
  words.forEach((word, index) => {
    offsets.set(offset, index);
    offset += word.length + 1;
  });
  return offsets;
}

/** The matches that stand, and whether crisis wording was seen but set aside (denied, past, general, excluded). */
const indexes = new WeakMap<CrisisLanguage, { index: WordPrefixIndex; order: Map<RegExp, number> }>();

/** Which patterns can start at one of these words (language/prefilter.ts): the rest are not tried at all. */
function possiblePatterns(words: readonly string[], language: CrisisLanguage): Set<RegExp> {
  let built = indexes.get(language);
  if (!built) {
    const regexes = language.concepts.flatMap((concept) => concept.patterns.map((pattern) => pattern.regex));
    built = { index: new WordPrefixIndex(regexes.map((regex) => [regex.source])), order: new Map(regexes.map((regex, at) => [regex, at])) };
    indexes.set(language, built);
  }
  const regexes = [...built.order.keys()];
  return new Set(built.index.candidates(words).map((at) => regexes[at] as RegExp));
}

function findHits(words: readonly string[], language: CrisisLanguage): { hits: Hit[]; dismissed: boolean } {
  const canonical = textOf(words, 0, words.length);
  const offsets = wordOffsets(words);
  const possible = possiblePatterns(words, language);
  const hits: Hit[] = [];
  let dismissed = false;
  for (const concept of language.concepts) {
    for (const pattern of concept.patterns) {
      if (!possible.has(pattern.regex)) continue;
      for (const found of canonical.matchAll(pattern.regex)) {
        const start = offsets.get(found.index) ?? 0;
        const end = start + found[0].trim().split(' ').length;
        const [first, last] = clauseBounds(words, start, end);
        const scope = pattern.scope === 'message' ? canonical : textOf(words, first, last);
        const applies = (!pattern.requires || pattern.requires.test(scope)) && !pattern.forbids?.test(scope);
        const stands = applies && !isNegated(language, words, start, end) && !isHistorical(language, words, start, end) &&
          (concept.educationExempt || !isEducational(language, words, start, end)) &&
          // "when everyone is asleep" is a marker about the patient's plan; a statement about people in general is not theirs.
          (concept.role === 'marker' || concept.educationExempt || !isAboutPeopleInGeneral(language, words, start, end));
        if (!stands) {
          // A marker alone ("tonight") was never crisis wording; a statement or a mention set aside is.
          dismissed ||= concept.role !== 'marker';
          continue;
        }
        const reported = concept.level === 'passive' && experiencer(language, words, start, end) === 'other';
        if (concept.role !== 'mention') hits.push({ concept, start, end, level: reported ? 'active' : concept.level });
        break;
      }
    }
  }
  return { hits, dismissed };
}

const rank = (kind: CrisisKind): number => CRISIS_KINDS.indexOf(kind);

function evidenceOf(message: NormalizedMessage, hit: Hit): string {
  return sourceWords(message, hit.start, hit.end);
}

/** What the crisis detector made of a message. */
export interface CrisisAssessment {
  match?: CrisisMatch;
  /**
   * Crisis wording was there but set aside: denied ("i'm not suicidal"), in the past, asked about in general,
   * excluded by its context, or a figure of speech. The detector has decided: nothing else should overrule it.
   */
  dismissed: boolean;
}

/** {@link detectCrisis}, and whether crisis wording was seen and set aside (for SafetyService). */
export function assessCrisis(text: string, language = 'en'): CrisisAssessment {
  const compiled = crisisLanguage(language);
  const message = normalizeMessage(text.slice(0, MAX_CHARS), compiled.lexicon);
  const words = maskFigures(message.tokens.map((token) => token.word), compiled);
  const masked = words.includes(MASKED);
  if (!words.some((word) => word !== CLAUSE_BREAK && word !== MASKED)) return { dismissed: masked };
  const found = findHits(words, compiled);
  const dismissed = masked || found.dismissed;
  const statements = found.hits.filter((hit) => hit.concept.role === 'statement');
  if (statements.length === 0) return { dismissed };
  const markers = found.hits.filter((hit) =>
    hit.concept.role === 'marker' && statements.some((statement) => hit.concept.escalates.includes(statement.concept.id)));
  const byUrgency = (a: Hit, b: Hit): number => rank(a.concept.kind) - rank(b.concept.kind) || a.start - b.start;
  const statement = [...statements].sort(byUrgency)[0]!;
  const marker = [...markers].sort(byUrgency)[0];
  const escalated = marker !== undefined && rank(marker.concept.kind) < rank(statement.concept.kind);
  const level = escalated || statements.some((hit) => hit.level === 'active') ? 'active' : 'passive';
  if (!escalated) return { match: { level, kind: statement.concept.kind, evidence: evidenceOf(message, statement) }, dismissed };
  // A marker means little alone ("tonight"): the evidence names the statement it escalated as well.
  return { match: { level, kind: marker.concept.kind, evidence: `${evidenceOf(message, statement)} ... ${evidenceOf(message, marker)}` }, dismissed };
}

/**
 * The suicide or self-harm risk a patient's message shows, or `undefined` when it shows none.
 *
 * Deterministic and pure (the crisis file is read once, on first use): no model, no network. Third-person
 * reports ("my son said he wants to kill himself") count: the crisis line helps the person who is worried.
 * Denied ("i'm not suicidal"), past ("tried in 2015, not anymore") and general questions ("warning signs of
 * suicide in teens") do not. A question about a lethal amount always counts, however it is asked.
 */
export function detectCrisis(text: string, language = 'en'): CrisisMatch | undefined {
  return assessCrisis(text, language).match;
}
