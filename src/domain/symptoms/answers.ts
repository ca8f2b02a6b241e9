/**
 * Reading a patient's answer to a follow-up question. Only a real yes, no or "not sure" answers a yes/no
 * question: "3" (a menu number), "what is a stiff neck?" or "my temp is 39" are something else, and the
 * dialog asks again or handles them as what they are. Counting them as "yes" raised levels on nothing.
 */
import type { FollowUpQuestion } from '../triage/types.js';

/** An answer to a yes/no question. `unsure` counts as yes: missing an emergency is worse than a false alarm. */
export type FollowUpAnswer = 'yes' | 'no' | 'unsure';

/** Whether a question wants yes/no or the patient's own words ("What symptoms do you have?"). */
export type AnswerKind = 'yes_no' | 'open';

// Hedges first: "not sure", "no idea" and "don't know" start like a no, "I think so" like a yes.
const UNSURE = /^(?:(?:i|im|i am) )?(?:not sure|unsure|not certain|dont know|do not know|dunno|idk|no idea|maybe|perhaps|possibly|kind of|kinda|sort of|sorta|a little|a bit|slightly|i think so|i guess|might be|could be|hard to say|cant tell|can not tell|cannot tell|sometimes|on and off)\b/;
const NO = /^(?:n|no|nope|nah|naw|noo+|nop|not really|not at all|none|neither|never|negative|nothing like that|i dont think so|dont think so|i dont|i do not|it isnt|it is not|there isnt|there is not|hes not|shes not|he isnt|she isnt|they are not|no way)\b/;
const YES = /^(?:y|yes|yess+|yeah|yea|yep|yup|ya|yah|ye|sure|si|correct|right|affirmative|i do|i am|it is|there is|there are|he is|she is|they are|he does|she does|it does|i did|he did|she did|true|definitely|absolutely|of course|very much)\b/;
const THUMBS_UP = /^\s*(?:\u{1F44D}[\u{1F3FB}-\u{1F3FF}]?\s*)+$/u;
const THUMBS_DOWN = /^\s*(?:\u{1F44E}[\u{1F3FB}-\u{1F3FF}]?\s*)+$/u;

/** Lower-case words only: "Yes!!", "YES." and "yes, a bit" read alike; apostrophes vanish ("don't" -> "dont"). */
function plain(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['\u2018\u2019`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The answer a reply gives to a yes/no question, or `undefined` when it gives none ("3", a new question). */
export function readAnswer(text: string): FollowUpAnswer | undefined {
  if (THUMBS_UP.test(text)) return 'yes';
  if (THUMBS_DOWN.test(text)) return 'no';
  const words = plain(text);
  if (UNSURE.test(words)) return 'unsure';
  if (NO.test(words)) return 'no';
  if (YES.test(words)) return 'yes';
  return undefined;
}

const YES_NO_START = /^(?:is|are|was|were|am|do|does|did|can|could|has|have|had|will|would|should|any|anything)\b/i;

/** The question's sentences; a question mark, full stop or line break ends one. */
function sentences(question: string): string[] {
  return question.split(/(?<=[?.!])\s+|\n+/).map((part) => part.trim()).filter(Boolean);
}

/**
 * Yes/no or open. The triage engine says so where it can (`answer` on the question); otherwise a question is
 * yes/no when its last sentence starts like one ("Is ...?", "Do you ...?", "Any ...?").
 */
export function answerKind(question: FollowUpQuestion): AnswerKind {
  const declared = (question as { answer?: unknown }).answer;
  if (declared === 'yes_no' || declared === 'open') return declared;
  return YES_NO_START.test(sentences(question.question).at(-1) ?? '') ? 'yes_no' : 'open';
}

/** The yes/no part of a question, for asking again: "How old is the baby? Is the baby under 3 months old?" -> the last. */
export function yesNoPart(question: FollowUpQuestion): string {
  const parts = sentences(question.question);
  const last = parts.at(-1) ?? question.question;
  return parts.length > 1 && YES_NO_START.test(last) ? last : question.question;
}
