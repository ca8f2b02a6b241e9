/**
 * The words of a symptom-check result, as a careful nurse would say them: what to do first and once, then at
 * most three tips that fit that level, a line for any warning sign the patient could not answer, one safety
 * net, and then why, with the source. Lists are "- " lines and paragraphs are separated by a blank line, so
 * the same text reads well as an SMS and renders as markdown in Web Chat (which joins single line breaks).
 */
import type { TriageResult } from '../triage/engine.js';
import { levelRank, type FollowUpQuestion, type TriageLevel } from '../triage/types.js';
import { yesNoPart } from './answers.js';
import { dispositionAdvice, type SymptomSettings } from './service.js';

const MAX_TIPS = 3;

/** The result as messages: what to do (with tips), then why. */
export interface ResultMessages {
  advice: string;
  why: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Lines that repeat the headline's instruction: the engine opens its advice with the level's own instruction
 * ("Call 911 now, or go to the nearest emergency department", "Get seen today: ..."), which the headline
 * already gives.
 */
function repeatsHeadline(line: string, level: TriageLevel, settings: SymptomSettings): boolean {
  switch (level) {
    case 'emergency':
      return new RegExp(`\\bcall ${escape(settings.emergencyNumber)}\\b[^.]*\\bnow\\b|nearest emergency department`, 'i').test(line);
    case 'urgent':
      return /^(?:get|you should be) seen today\b/i.test(line);
    case 'routine':
      return /^book an appointment\b/i.test(line);
    case 'self_care':
      return /^this sounds like something you can care for at home/i.test(line);
  }
}

/** What to do if the answer to a question the patient could not answer is yes. */
function ifYes(question: FollowUpQuestion, settings: SymptomSettings): string {
  const action = question.raisesTo === 'emergency' ? `call ${settings.emergencyNumber} now` : 'get seen today';
  return `I could not tell your answer to "${yesNoPart(question)}" If the answer is yes, ${action}.`;
}

/**
 * The result's messages. `unanswered`: yes/no questions the patient did not answer (asked twice, or left for
 * another question); each one that could still raise the level gets a line saying what a yes would mean.
 */
export function resultMessages(result: TriageResult, settings: SymptomSettings, unanswered: FollowUpQuestion[] = []): ResultMessages {
  const { level } = result;
  const headline = dispositionAdvice(level, settings);
  const tips = [...new Set(result.advice.map((line) => line.trim()))]
    .filter((line) => line.length > 0 && line !== headline && !repeatsHeadline(line, level, settings))
    .slice(0, MAX_TIPS);
  const paragraphs = [[headline, ...tips.map((tip) => `- ${tip}`)].join('\n')];
  paragraphs.push(...unanswered.filter((question) => levelRank(question.raisesTo) > levelRank(level)).map((question) => ifYes(question, settings)));
  // One safety net: none when the instruction is already "call now", or when a tip already says when to call.
  if (level !== 'emergency' && !tips.some((tip) => tip.includes(settings.emergencyNumber))) {
    paragraphs.push(`If you get worse or feel very unwell, call ${settings.emergencyNumber}.`);
  }
  return { advice: paragraphs.join('\n\n'), why: `Why: ${result.rule.because}\n\nSource: ${result.rule.source}` };
}
