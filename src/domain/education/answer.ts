import type { TextReading } from './lexicon.js';
import type { Library, Passage, PassageHit } from './library.js';
import { expandQuestion, isDosingQuestion, questionTerms, signalsProblem } from './query.js';
import { articleOf, firstCoveredHit, gateQuestion, problemSections, uncoveredSubjects, type GateQuestion, type ProblemRole } from './relevance.js';

/**
 * The lowest BM25+ score (MiniSearch, our boosts) we treat as a real answer. Calibrated on the questions in
 * test/unit/education.test.ts: off-topic questions that share one everyday word with an article
 * ("what's the weather" 7.2, "how do I fix my car" 8.2, "when is my next appointment" 10.2) stay below it;
 * the weakest on-topic questions ("can i take a bath" 17.8, "snoring" 18.1) are well above it.
 */
export const MIN_ANSWER_SCORE = 12;

/** At least this share of the question's meaningful words must be explained by the answering article. */
export const MIN_COVERAGE = 0.5;

/** Passages shown from other sections or articles must score at least this share of the answering hit. */
const RELATED_SHARE = 0.5;
const MAX_MATCHED_PASSAGES = 3;
/** Enough hits to find one about the question's subjects when the top-scoring ones are not. */
const CANDIDATE_HITS = 20;

/** The reply when no passage is about the question. */
export const NO_MATCH_MESSAGE = "I don't know. Please ask your care team.";
/** For questions about a medicine: the pharmacist knows the patient's medicines and can check interactions. */
export const NO_MATCH_MEDICINE_MESSAGE = "I don't know. Please ask your pharmacist or care team.";

/** The article whose general safety section answers every dose question (no numbers, ask the pharmacist). */
const DOSE_SAFETY = { articleId: 'dose-questions', heading: 'General safety' };

/** Why a passage is in the answer: the answer itself, a related one, or a section shown for a problem now. */
export type PassageRole = 'answer' | 'related' | 'dose_safety' | ProblemRole;

/** One passage of an answer, with why it is there. */
export interface AnswerPassage {
  articleId: string;
  title: string;
  heading: string;
  text: string;
  role: PassageRole;
}

/** An article an answer drew on, with what the source line and the logs need. */
export interface Citation {
  articleId: string;
  title: string;
  source: string;
  version: string;
  reviewedOn: string;
  reviewedBy: string;
}

/** An answer from the library's passages, or "I don't know" with the reason. */
export type EducationAnswer =
  | {
      status: 'answered';
      /** The answer first (after the dose safety passage for dose questions), then related and problem sections. */
      passages: AnswerPassage[];
      citations: Citation[];
      /** The answering article's "When to call your care team" advice, set when the question reports a problem. */
      whenToCall?: string;
      /** The question asks how much or how often: tell the patient to ask their pharmacist or care team. */
      dosingQuestion: boolean;
      /** The question reports a problem now: show what to do and when to call. */
      problemSignal: boolean;
      /** Subject ids the question names (all covered by the answer). */
      subjects: string[];
      /** The best hit's score and the share of the question's words the answering article explains, for logs. */
      score: number;
      coverage: number;
    }
  | {
      status: 'no_match';
      message: typeof NO_MATCH_MESSAGE | typeof NO_MATCH_MEDICINE_MESSAGE;
      /** A pet or thing is what the question is about; a named subject no passage is about; or nothing matched. */
      reason: 'not_a_patient' | 'subject_not_covered' | 'no_passage';
      /** The question reported a problem we could not match: the caller may offer to reach the care team. */
      problemSignal: boolean;
      subjects: string[];
      score: number;
      coverage: number;
    };

/**
 * Answers a patient's question with passages from the library, or says it does not know. A passage answers only
 * if it is about every subject the question names. Deterministic: the same library and question give the same answer.
 */
export function answerQuestion(library: Library, question: string): EducationAnswer {
  const reading = library.lexicon.read(question);
  const subjects = reading.subjects.map((mention) => mention.id);
  const dosingQuestion = isDosingQuestion(question);
  const problemSignal = signalsProblem(question);
  const message = reading.aboutMedicine || dosingQuestion ? NO_MATCH_MEDICINE_MESSAGE : NO_MATCH_MESSAGE;
  const noMatch = (reason: 'not_a_patient' | 'subject_not_covered' | 'no_passage', score: number, coverage: number): EducationAnswer =>
    ({ status: 'no_match', message, reason, problemSignal, subjects, score, coverage });
  if (reading.nonPatient) return noMatch('not_a_patient', 0, 0);

  const expanded = expandQuestion(question, canonicalNames(library, reading));
  const gate = gateQuestion(subjects, expanded);
  const hits = library.search(expanded, { limit: CANDIDATE_HITS });
  const score = hits[0]?.score ?? 0;
  const strong = hits.filter((hit) => hit.score >= MIN_ANSWER_SCORE);
  const coverageOf = (articleId: string) => termCoverage(question, reading, hits.filter((hit) => hit.articleId === articleId));
  const chosen = firstCoveredHit(library, strong, gate, (articleId) => coverageOf(articleId) >= MIN_COVERAGE);
  const coverage = chosen ? coverageOf(chosen.articleId) : 0;
  const safety = library.passages.find((passage) => passage.articleId === DOSE_SAFETY.articleId && passage.heading === DOSE_SAFETY.heading);
  const answerable = chosen !== undefined;
  // A dose question naming nothing we know still gets the general safety advice; one naming a medicine we do
  // not cover is the pharmacist's, not a general passage's.
  if (!answerable && !(dosingQuestion && safety && subjects.length === 0)) {
    const coveredAtAll = strong.some((hit) => uncoveredSubjects(gate, articleOf(library, hit), hit).length === 0);
    return noMatch(strong.length > 0 && !coveredAtAll ? 'subject_not_covered' : 'no_passage', score, coverage);
  }

  const answeringArticle = articleOf(library, answerable ? chosen : { articleId: DOSE_SAFETY.articleId });
  const sections = problemSignal ? problemSections(library, answeringArticle) : [];
  // Order decides the role a passage keeps when it is picked twice: the answer, then the problem sections.
  const chosenPassages: { passage: Passage; role: PassageRole }[] = [];
  if (dosingQuestion && safety) chosenPassages.push({ passage: safety, role: 'dose_safety' });
  if (answerable) chosenPassages.push({ passage: chosen, role: 'answer' });
  chosenPassages.push(...sections);
  if (answerable) chosenPassages.push(...relatedHits(library, hits, chosen, gate));
  const passages = uniqueById(chosenPassages).map(({ passage, role }) => ({
    articleId: passage.articleId, title: passage.title, heading: passage.heading, text: passage.text, role,
  }));
  const whenToCall = sections.find((section) => section.role === 'when_to_call')?.passage.text;
  return {
    status: 'answered',
    passages,
    citations: citationsFor(library, passages),
    ...(whenToCall === undefined ? {} : { whenToCall }),
    dosingQuestion,
    problemSignal,
    subjects,
    score,
    coverage,
  };
}

/** Article words for the subjects the patient named in other words ("panadol" finds "acetaminophen"). */
function canonicalNames(library: Library, reading: TextReading): string[] {
  return reading.subjects.flatMap((mention) => {
    const name = library.lexicon.canonical.get(mention.id);
    return name && name !== mention.phrase ? [name] : [];
  });
}

/** Up to two more hits that score close to the answering one and are about the same subjects, its article first. */
function relatedHits(library: Library, hits: PassageHit[], chosen: PassageHit, gate: GateQuestion): { passage: Passage; role: 'related' }[] {
  const close = hits.filter((hit) => hit !== chosen && hit.score >= chosen.score * RELATED_SHARE)
    .filter((hit) => uncoveredSubjects(gate, articleOf(library, hit), hit).length === 0);
  const ordered = [...close.filter((hit) => hit.articleId === chosen.articleId), ...close.filter((hit) => hit.articleId !== chosen.articleId)];
  return ordered.slice(0, MAX_MATCHED_PASSAGES - 1).map((passage) => ({ passage, role: 'related' as const }));
}

/**
 * Share of the question's meaningful words that the answering article explains. Words a synonym rule or the
 * subject vocabulary recognised count as explained. Stops one shared word ("eat" in "can my dog eat
 * chocolate") from passing as an answer.
 */
function termCoverage(question: string, reading: TextReading, articleHits: PassageHit[]): number {
  const { recognised, own } = questionTerms(question, reading.subjects.map((mention) => mention.phrase));
  const matched = new Set(articleHits.flatMap((hit) => hit.matchedTerms));
  const explained = recognised + own.filter((term) => matched.has(term)).length;
  const total = recognised + own.length;
  return total === 0 ? 0 : explained / total;
}

function uniqueById<T extends { passage: Passage }>(entries: T[]): T[] {
  const seen = new Set<string>();
  return entries.filter(({ passage }) => (seen.has(passage.id) ? false : (seen.add(passage.id), true)));
}

function citationsFor(library: Library, passages: AnswerPassage[]): Citation[] {
  const articleIds = [...new Set(passages.map((passage) => passage.articleId))];
  return articleIds.map((articleId) => {
    const { title, source, version, reviewedOn, reviewedBy } = articleOf(library, { articleId });
    return { articleId, title, source, version, reviewedOn, reviewedBy };
  });
}
