import { answerQuestion, NO_MATCH_MESSAGE, type AnswerPassage, type EducationAnswer } from './answer.js';
import { chatText, MAX_REPLY_CHARS, sectionText, shorten, sourceLine } from './format.js';
import { answerMedicineQuestion } from '../medicines/index.js';
import type { Library } from './library.js';

/** An optional model that phrases an answer from given passages only (see src/integrations/azure-openai). */
export type GroundedAnswerer = (
  question: string,
  passages: { id: string; title: string; text: string }[],
) => Promise<{ status: 'answered'; text: string; citedIds: string[] } | { status: 'refused'; reason: string }>;

/** What the medicine-safety rules (src/domain/medicines) answer about a medicine question, when they know. */
export interface MedicineAnswer {
  kind: 'emergency' | 'avoid' | 'warn' | 'ask_pharmacist';
  lines: string[];
  source: string;
  medicines: string[];
}

/** What the caller knows about the patient that changes a medicine answer. */
export interface PatientContext {
  pregnant?: boolean;
  breastfeeding?: boolean;
}

/** The medicine-safety rules' entry point (by default `answerMedicineQuestion` of src/domain/medicines). */
export type MedicineAnswerer = (text: string, context?: PatientContext) => MedicineAnswer | undefined | Promise<MedicineAnswer | undefined>;

/** This deployment's numbers, substituted for `{EMERGENCY_NUMBER}`, `{CRISIS_LINE}`, `{POISON_CONTROL}` (and the articles' US 911). */
export interface EducationSettings {
  emergencyNumber: string;
  crisisLine: string;
  poisonControl: string;
}

/** US numbers, as the articles are written: used for whatever the caller's settings leave out. */
const US_NUMBERS: EducationSettings = { emergencyNumber: '911', crisisLine: '988', poisonControl: '1-800-222-1222' };

const ASK_PHARMACIST = 'For how much or how often to take a medicine, ask your pharmacist or care team. They know your medicines.';
const NOT_A_HEALTH_QUESTION = "I can only answer health questions from our clinic's reviewed library.";
const OFFER_HELP = 'If this is about a problem you have now, reply 2 to check your symptoms or AGENT to reach a nurse.';

/**
 * Answers patients' health questions as chat-sized replies that always name the source. Medicine-safety rules,
 * when given, answer first; otherwise the reviewed library does. With a model configured, the model may phrase
 * the answer from the retrieved passages; an answer that cites nothing is never shown (the passages are shown
 * instead), and a refused one is explained.
 */
export class EducationService {
  private readonly medicines: MedicineAnswerer | null;
  private readonly settings: EducationSettings;

  /** `medicines: null` turns the medicine-safety rules off (tests of the library alone). */
  constructor(
    private readonly deps: { library: Library; answerer?: GroundedAnswerer; medicines?: MedicineAnswerer | null; settings?: Partial<EducationSettings> },
  ) {
    this.medicines = deps.medicines === undefined ? answerMedicineQuestion : deps.medicines;
    this.settings = { ...US_NUMBERS, ...deps.settings };
  }

  /**
   * The replies to one question, in order. The medicine rules' specific advice (emergency, avoid, warn) comes
   * first; their general "ask your pharmacist" only when the library has no passage about the question.
   */
  async ask(question: string, context: PatientContext = {}): Promise<string[]> {
    const medicine = (await this.medicines?.(question, context)) ?? undefined;
    if (medicine && medicine.kind !== 'ask_pharmacist') return this.localise(medicineReplies(medicine));
    const fromLibrary = await this.fromLibrary(question);
    if (medicine && fromLibrary.known === false) return this.localise(medicineReplies(medicine));
    return this.localise(fromLibrary.replies);
  }

  private async fromLibrary(question: string): Promise<{ replies: string[]; known: boolean }> {
    const answer = answerQuestion(this.deps.library, question);
    if (answer.status === 'no_match') return { replies: [answer.problemSignal ? `${answer.message} ${OFFER_HELP}` : answer.message], known: false };
    return { replies: await this.answered(question, answer), known: true };
  }

  private async answered(question: string, answer: Extract<EducationAnswer, { status: 'answered' }>): Promise<string[]> {
    const main = answer.passages.find((p) => p.role === (answer.dosingQuestion ? 'dose_safety' : 'answer')) ?? answer.passages[0];
    if (!main) return [NO_MATCH_MESSAGE]; // cannot happen: an answer always has a passage
    const problem = problemReplies(answer, main);
    if (answer.dosingQuestion) {
      const specific = specificDoseAnswer(answer, main);
      const shown = specific ? [specific, main] : [main];
      return [...shown.map((passage) => chatText(passage.text)), ASK_PHARMACIST, ...problem.lines, this.source(answer, [...shown, ...problem.shown])];
    }

    if (this.deps.answerer) {
      const given = answer.passages.map((p, i) => ({ id: `p${i + 1}`, title: `${p.title}: ${p.heading}`, text: p.text, passage: p }));
      const grounded = await this.deps.answerer(question, given.map(({ id, title, text }) => ({ id, title, text }))).catch(() => undefined);
      if (grounded?.status === 'refused' && grounded.reason === 'injection') return [NOT_A_HEALTH_QUESTION];
      if (grounded?.status === 'answered' && grounded.citedIds.length > 0) {
        const cited = given.filter((p) => grounded.citedIds.includes(p.id)).map((p) => p.passage);
        // The model's words replace the answer passage, not the library's when-to-call advice.
        const sections = problemReplies(answer, undefined);
        if (cited.length > 0) return [grounded.text, ...sections.lines, this.source(answer, [...cited, ...sections.shown])];
      }
      // Refused, failed or uncited: the library's own words are the answer.
    }
    return [mainText(main), ...problem.lines, this.source(answer, [main, ...problem.shown])];
  }

  private source(answer: Extract<EducationAnswer, { status: 'answered' }>, shown: AnswerPassage[]): string {
    const articleIds = new Set(shown.map((passage) => passage.articleId));
    return sourceLine(answer.citations.filter((citation) => articleIds.has(citation.articleId)));
  }

  private localise(lines: string[]): string[] {
    const { emergencyNumber, crisisLine, poisonControl } = this.settings;
    return lines
      .filter((line) => line.trim().length > 0)
      .map((line) => {
        const text = line.replaceAll('{EMERGENCY_NUMBER}', emergencyNumber).replaceAll('{CRISIS_LINE}', crisisLine).replaceAll('{POISON_CONTROL}', poisonControl);
        // The articles are written for the US; elsewhere "call 911" must name this deployment's number.
        return emergencyNumber === '911' ? text : text.replace(/\b911\b/g, emergencyNumber);
      });
  }
}

function medicineReplies(medicine: MedicineAnswer): string[] {
  return [...medicine.lines, /^source:/i.test(medicine.source) ? medicine.source : `Source: ${medicine.source}.`];
}

/** An amount in a passage ("3,000 mg", "2 tablets"): a dose question is never answered with one. */
const AMOUNT = /\b\d[\d,.]*\s*(mg|mcg|ml|g|grams?|units?|tablets?|pills?|capsules?|doses?)\b/i;

/**
 * The answering article's own passage for a dose question, when another article than the general safety one
 * answers it without an amount: "I forgot my tablet, should I take two tonight" is the missed-dose rule.
 */
function specificDoseAnswer(answer: Extract<EducationAnswer, { status: 'answered' }>, safety: AnswerPassage): AnswerPassage | undefined {
  const specific = answer.passages.find((passage) => passage.role === 'answer');
  return specific && specific.articleId !== safety.articleId && !AMOUNT.test(specific.text) ? specific : undefined;
}

/** An SMS-sized tip from an article (its first section), for the education drip; undefined if unknown. */
export function tipFor(library: Library, articleId: string): string | undefined {
  const first = library.passages.find((p) => p.articleId === articleId);
  return first ? `${first.title}: ${shorten(first.text, 300)} Reply 3 to ask a question.` : undefined;
}

/** The answer with its heading (unless it is the article's opening), so a bare list still says what it lists. */
function mainText(passage: AnswerPassage): string {
  return passage.heading === 'Overview' ? chatText(passage.text) : sectionText(passage.heading, passage.text);
}

/**
 * For a problem now: the article's what-to-do section, then when to call and when to call 911 (one reply when
 * they fit together), leaving out what the answer (`main`) already showed.
 */
function problemReplies(answer: Extract<EducationAnswer, { status: 'answered' }>, main: AnswerPassage | undefined): { lines: string[]; shown: AnswerPassage[] } {
  // Without a main passage (a model phrased the answer), an answer that was itself a call section is shown too.
  const isProblemSection = (p: AnswerPassage) =>
    ['do_now', 'when_to_call', 'call_911'].includes(p.role) || (main === undefined && answer.problemSignal && p.role === 'answer' && /^(when to call|call 911)/i.test(p.heading));
  const sections = answer.passages.filter((p) => p.text !== main?.text && isProblemSection(p));
  const doNow = sections.filter((p) => p.role === 'do_now').map((p) => sectionText(p.heading, p.text));
  const calls = sections.filter((p) => p.role !== 'do_now').map((p) => sectionText(p.heading, p.text));
  const joined = calls.join('\n\n');
  const lines = [...doNow, ...(joined.length <= MAX_REPLY_CHARS ? (joined ? [joined] : []) : calls)];
  return { lines, shown: sections };
}
