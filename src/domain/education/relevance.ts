import type { Article, Library, Passage, PassageHit } from './library.js';
import { processTerm, tokenize } from './text.js';

/**
 * Subject gating: a passage may answer a question only when every subject the question names (a medicine, a
 * condition, a body part) is what the passage is about. BM25 alone lets one shared word through: a pregnant
 * patient asking about doxycycline got the NSAID passage because both mention pregnancy.
 */

/**
 * A passage that merely names a subject counts only when its own heading and text hold this many of the
 * question's words: "wash your hands" names a hand, but it does not answer "my hand is swollen".
 */
export const MIN_WORDS_FOR_A_MENTION = 2;

/** The question as the gate reads it: its subjects and its stemmed words (synonyms included). */
export interface GateQuestion {
  subjects: string[];
  /** The expanded question, as searched. */
  text: string;
  words: ReadonlySet<string>;
}

/** Builds the gate's view of a question from its subject ids and its (expanded) wording. */
export function gateQuestion(subjects: string[], expandedQuestion: string): GateQuestion {
  return { subjects, text: expandedQuestion, words: stemmedWords(expandedQuestion) };
}

/**
 * The question's subjects that neither the article (its title, topics, headings, `about`) nor, in context, the
 * passage itself is about. Empty when the passage may answer.
 */
export function uncoveredSubjects(question: GateQuestion, article: Article, passage: Passage): string[] {
  const missing = question.subjects.filter((id) => !article.subjects.includes(id));
  if (missing.length === 0) return missing;
  const own = passageWords(passage);
  const inContext = [...question.words].filter((word) => own.has(word)).length >= MIN_WORDS_FOR_A_MENTION;
  return missing.filter((id) => !(inContext && passage.subjects.includes(id)));
}

/**
 * The best hit (of those given, best first) that covers every subject and whose article `explains` the question,
 * or undefined. Within that article, the section whose own words match best wins over one that scored higher only
 * through the article's title and topics: "signs of sepsis" is answered by the section about sepsis, not by the
 * stroke section of the same article.
 */
export function firstCoveredHit(
  library: Library,
  hits: PassageHit[],
  question: GateQuestion,
  explains: (articleId: string) => boolean,
): PassageHit | undefined {
  const covered = hits.filter((hit) => uncoveredSubjects(question, articleOf(library, hit), hit).length === 0);
  const first = covered.find((hit) => explains(hit.articleId));
  if (!first) return first;
  // Every section of an article shares its title and topics in the index, so within the article the section's own
  // words decide: how well its heading and text alone match the question, then how many of the subjects it names.
  const own = new Map(library.search(question.text, { withinArticle: first.articleId, limit: 50 }).map((hit) => [hit.id, hit.score]));
  const named = (hit: PassageHit) => question.subjects.filter((id) => hit.subjects.includes(id)).length;
  const ownScore = (hit: PassageHit) => own.get(hit.id) ?? 0;
  const better = (a: PassageHit, b: PassageHit) => ownScore(a) > ownScore(b) || (ownScore(a) === ownScore(b) && named(a) > named(b));
  return covered.filter((hit) => hit.articleId === first.articleId).reduce((best, hit) => (better(hit, best) ? hit : best), first);
}

/** The article a passage belongs to; a passage always has one (the library is built from articles). */
export function articleOf(library: Library, passage: Pick<Passage, 'articleId'>): Article {
  const article = library.articles.find((candidate) => candidate.id === passage.articleId);
  if (!article) throw new Error(`passage of unknown article ${passage.articleId}`);
  return article;
}

/** Sections shown when the question reports a problem now, in the order shown. */
export type ProblemRole = 'do_now' | 'when_to_call' | 'call_911';

/**
 * The article's "what to do now" section (its `doNow` front matter), its "When to call" section and its
 * "Call 911" section, whichever it has.
 */
export function problemSections(library: Library, article: Article): { role: ProblemRole; passage: Passage }[] {
  const own = library.passages.filter((passage) => passage.articleId === article.id);
  const sections: { role: ProblemRole; passage: Passage | undefined }[] = [
    { role: 'do_now', passage: article.doNow ? own.find((passage) => passage.heading === article.doNow) : undefined },
    { role: 'when_to_call', passage: own.find((passage) => /^when to call/i.test(passage.heading)) },
    { role: 'call_911', passage: own.find((passage) => /^call 911/i.test(passage.heading)) },
  ];
  return sections.flatMap(({ role, passage }) => (passage ? [{ role, passage }] : []));
}

const wordsByPassage = new WeakMap<Passage, ReadonlySet<string>>();

/** The stemmed words of the passage's own heading and text (not its article's title or topics). */
function passageWords(passage: Passage): ReadonlySet<string> {
  let words = wordsByPassage.get(passage);
  if (!words) {
    words = stemmedWords(`${passage.heading} ${passage.text}`);
    wordsByPassage.set(passage, words);
  }
  return words;
}

function stemmedWords(text: string): ReadonlySet<string> {
  return new Set(tokenize(text).flatMap((word) => processTerm(word) ?? []));
}
