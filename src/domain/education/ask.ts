import { answerQuestion, type EducationAnswer } from './answer.js';
import type { Library } from './library.js';

/** An optional model that phrases an answer from given passages only (see src/integrations/azure-openai). */
export type GroundedAnswerer = (
  question: string,
  passages: { id: string; title: string; text: string }[],
) => Promise<{ status: 'answered'; text: string; citedIds: string[] } | { status: 'refused'; reason: string }>;

const MAX_REPLY_CHARS = 600;
const ASK_PHARMACIST = 'For how much or how often to take a medicine, ask your pharmacist or care team. They know your medicines.';
const NOT_A_HEALTH_QUESTION = "I can only answer health questions from our clinic's reviewed library.";

/**
 * Answers patients' health questions from the reviewed library, as chat-sized replies that always name the
 * source. With a model configured, the model may phrase the answer from the retrieved passages; an answer
 * that cites nothing is never shown (the passages are shown instead), and a refused one is explained.
 */
export class EducationService {
  constructor(private readonly deps: { library: Library; answerer?: GroundedAnswerer }) {}

  async ask(question: string): Promise<string[]> {
    const answer = answerQuestion(this.deps.library, question);
    if (answer.status === 'no_match') {
      return [answer.problemSignal ? `${answer.message} If this is about a problem you have now, reply 2 to check your symptoms or AGENT to reach a nurse.` : answer.message];
    }
    const source = `Source: ${[...new Set(answer.citations.map((c) => c.title))].join('; ')} (${answer.citations.map((c) => `v${c.version}`).join(', ')}, CareLoop library).`;
    if (answer.dosingQuestion) return [shorten(answer.passages[0]?.text ?? ''), ASK_PHARMACIST, source];

    if (this.deps.answerer) {
      const passages = answer.passages.map((p, i) => ({ id: `p${i + 1}`, title: `${p.title}: ${p.heading}`, text: p.text }));
      const grounded = await this.deps.answerer(question, passages).catch(() => undefined);
      if (grounded?.status === 'refused' && grounded.reason === 'injection') return [NOT_A_HEALTH_QUESTION];
      if (grounded?.status === 'answered' && grounded.citedIds.length > 0) {
        const cited = passages.filter((p) => grounded.citedIds.includes(p.id)).map((p) => p.title.split(':')[0]);
        return compact([grounded.text, answer.whenToCall, `Source: ${[...new Set(cited)].join('; ')} (CareLoop library).`]);
      }
      // Refused, failed or uncited: the library's own words are the answer.
    }
    return compact([shorten(answer.passages[0]?.text ?? ''), whenToCallUnlessShown(answer), source]);
  }
}

/** An SMS-sized tip from an article (its first section), for the education drip; undefined if unknown. */
export function tipFor(library: Library, articleId: string): string | undefined {
  const first = library.passages.find((p) => p.articleId === articleId);
  return first ? `${first.title}: ${shorten(first.text, 300)} Reply 3 to ask a question.` : undefined;
}

function whenToCallUnlessShown(answer: Extract<EducationAnswer, { status: 'answered' }>): string | undefined {
  return answer.whenToCall && !answer.passages[0]?.text.includes(answer.whenToCall) ? shorten(answer.whenToCall) : undefined;
}

/** Cuts at a sentence end before `max` characters, so an SMS never ends mid-sentence. */
function shorten(text: string, max = MAX_REPLY_CHARS): string {
  const plain = text.replace(/\s+/g, ' ').trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  return end > max / 3 ? cut.slice(0, end + 1) : `${cut.slice(0, max - 1)}…`;
}

const compact = (lines: (string | undefined)[]) => lines.filter((line): line is string => Boolean(line && line.trim()));
