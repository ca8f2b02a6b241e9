/**
 * The few questions whose answers could raise the level (content/clinical/triage/*.yaml `questions`): red flags
 * first, at most three, none already answered by the findings (a symptom mentioned either way counts as answered).
 */
import type { Facts } from './facts.js';
import { triageKnowledge } from './knowledge/load.js';
import { levelRank, type FollowUpQuestion, type TriageLevel } from './types.js';

/** Up to three questions that could raise `level`, most urgent first. */
export function followUpsFor(f: Facts, level: TriageLevel): FollowUpQuestion[] {
  const asked: FollowUpQuestion[] = [];
  for (const question of triageKnowledge().questions) {
    if (levelRank(question.raisesTo) <= levelRank(level) || f.answered(...question.answeredBy) || !question.askWhen(f)) continue;
    asked.push({ id: question.id, question: question.question, raisesTo: question.raisesTo, answer: question.answer });
  }
  return asked.sort((left, right) => levelRank(right.raisesTo) - levelRank(left.raisesTo)).slice(0, 3);
}
