import type { Library, Passage, PassageHit } from './library.js';
import { expandQuestion, isDosingQuestion, questionTerms, signalsProblem } from './query.js';

/**
 * The lowest BM25+ score (MiniSearch, our boosts) we treat as a real answer. Calibrated on the questions in
 * test/unit/education.test.ts: off-topic questions that share one everyday word with an article
 * ("what's the weather" 7.2, "how do I fix my car" 8.2, "when is my next appointment" 10.2) stay below it;
 * the weakest on-topic questions ("can i take a bath" 17.8, "snoring" 18.1) are well above it.
 */
export const MIN_ANSWER_SCORE = 12;

/** Passages shown from other sections or articles must score at least this share of the best hit. */
/** At least this share of the question's meaningful words must be explained by the best article. */
export const MIN_COVERAGE = 0.5;

const RELATED_SHARE = 0.5;
const MAX_MATCHED_PASSAGES = 3;

export const NO_MATCH_MESSAGE = "I don't know. Please ask your care team.";

/** The article whose general safety section answers every dose question (no numbers, ask the pharmacist). */
const DOSE_SAFETY = { articleId: 'dose-questions', heading: 'General safety' };

export interface AnswerPassage {
  articleId: string;
  title: string;
  heading: string;
  text: string;
}

export interface Citation {
  articleId: string;
  title: string;
  source: string;
  version: string;
}

export type EducationAnswer =
  | {
      status: 'answered';
      passages: AnswerPassage[];
      citations: Citation[];
      /** The best article's "When to call your care team" advice, set when the question reports a problem. */
      whenToCall?: string;
      /** The question asks how much or how often: tell the patient to ask their pharmacist or care team. */
      dosingQuestion: boolean;
      /** The best hit's score and the share of the question's words it explains, for logs and calibration. */
      score: number;
      coverage: number;
    }
  | {
      status: 'no_match';
      message: typeof NO_MATCH_MESSAGE;
      /** The question reported a problem we could not match: the caller may offer to reach the care team. */
      problemSignal: boolean;
      score: number;
      coverage: number;
    };

/**
 * Answers a patient's question with passages from the library, or says it does not know.
 * Deterministic: the same library and question always give the same answer.
 */
export function answerQuestion(library: Library, question: string): EducationAnswer {
  const hits = library.search(expandQuestion(question), { limit: 10 });
  const best = hits[0];
  const dosingQuestion = isDosingQuestion(question);
  const problemSignal = signalsProblem(question);
  const score = best?.score ?? 0;
  const coverage = best === undefined ? 0 : termCoverage(question, hits.filter((hit) => hit.articleId === best.articleId));
  const goodMatch = best !== undefined && score >= MIN_ANSWER_SCORE && coverage >= MIN_COVERAGE;
  if (!goodMatch && !dosingQuestion) return { status: 'no_match', message: NO_MATCH_MESSAGE, problemSignal, score, coverage };

  const chosen: Passage[] = goodMatch ? relatedHits(hits, best) : [];
  const bestArticleId = goodMatch ? best.articleId : DOSE_SAFETY.articleId;
  let whenToCall: string | undefined;
  if (problemSignal) {
    const callPassages = library.passages.filter((passage) => passage.articleId === bestArticleId && isCallSection(passage.heading));
    whenToCall = callPassages.find((passage) => /^when to call/i.test(passage.heading))?.text;
    chosen.push(...callPassages);
  }
  if (dosingQuestion) {
    const safety = library.passages.find((passage) => passage.articleId === DOSE_SAFETY.articleId && passage.heading === DOSE_SAFETY.heading);
    if (safety) chosen.unshift(safety);
  }
  const passages = unique(chosen);
  return {
    status: 'answered',
    passages: passages.map(({ articleId, title, heading, text }) => ({ articleId, title, heading, text })),
    citations: citationsFor(library, passages),
    ...(whenToCall === undefined ? {} : { whenToCall }),
    dosingQuestion,
    score,
    coverage,
  };
}

/** The best hit, then up to two more that score close to it, best article first. */
function relatedHits(hits: PassageHit[], best: PassageHit): Passage[] {
  const close = hits.filter((hit) => hit.score >= best.score * RELATED_SHARE);
  const ordered = [...close.filter((hit) => hit.articleId === best.articleId), ...close.filter((hit) => hit.articleId !== best.articleId)];
  return ordered.slice(0, MAX_MATCHED_PASSAGES);
}

/**
 * Share of the question's meaningful words that the best article explains. Words a synonym rule recognised
 * count as explained. Stops one shared word ("eat" in "can my dog eat chocolate") from passing as an answer.
 */
function termCoverage(question: string, articleHits: PassageHit[]): number {
  const { recognised, own } = questionTerms(question);
  const matched = new Set(articleHits.flatMap((hit) => hit.matchedTerms));
  const explained = recognised + own.filter((term) => matched.has(term)).length;
  const total = recognised + own.length;
  return total === 0 ? 0 : explained / total;
}

function isCallSection(heading: string): boolean {
  return /^(when to call|call 911)/i.test(heading);
}

function unique(passages: Passage[]): Passage[] {
  const seen = new Set<string>();
  return passages.filter((passage) => (seen.has(passage.id) ? false : (seen.add(passage.id), true)));
}

function citationsFor(library: Library, passages: Passage[]): Citation[] {
  const articleIds = [...new Set(passages.map((passage) => passage.articleId))];
  return articleIds.flatMap((articleId) => {
    const article = library.articles.find((candidate) => candidate.id === articleId);
    return article ? [{ articleId, title: article.title, source: article.source, version: article.version }] : [];
  });
}
