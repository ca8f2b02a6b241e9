import { ActivityTypes } from 'botbuilder';
import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { SafetyService } from '../src/domain/safety/service.js';
import { answerKind, readAnswer, yesNoPart } from '../src/domain/symptoms/answers.js';
import { resultMessages } from '../src/domain/symptoms/reply.js';
import type { AnsweredFollowUp, SymptomCheckService, SymptomSettings } from '../src/domain/symptoms/service.js';
import type { TriageResult } from '../src/domain/triage/engine.js';
import { levelRank, type FollowUpQuestion } from '../src/domain/triage/types.js';
import { DialogIds } from './ids.js';
import { identityOf, URGENT } from './identity.js';
import { InterruptibleDialog } from './interruptible-dialog.js';

const MAX_FOLLOW_UPS = 3;
/** A question about our question ("what do you mean?", "what is a stiff neck?"): ask again, do not assess it. */
const CLARIFY = /^\s*(?:\?+|huh\b|what\??$|pardon|sorry\??$|what do you mean|what does .* mean|what (?:is|are|s) (?:a |an |the )?(?:[\w-]+\s?){1,3}\??$|i dont understand|i don't understand|explain)/i;
const QUESTION = /\?\s*$|^\s*(?:what|how|when|why|where|who|which|can|could|should|is|are|do|does|will|would)\b/i;

/** Everything the check knows; kept in dialog state between turns. */
interface CheckState {
  /** All the patient has described so far, for re-assessment. */
  text: string;
  age?: number;
  /** The most urgent assessment of `text`; answers are applied on top. */
  result: TriageResult;
  answers: AnsweredFollowUp[];
  /** Ids of the questions asked; at most three are yes/no (an open "what symptoms?" does not count). */
  asked: string[];
  yesNoAsked: number;
  /** Yes/no questions asked without getting an answer. */
  unanswered: FollowUpQuestion[];
  /** The question awaiting an answer, and whether it was already asked again. */
  pending?: FollowUpQuestion;
  reasked?: boolean;
}

/** How the check starts: with the patient's words, or by asking for them (`unwell`: they said they feel ill). */
export interface SymptomCheckOptions {
  text?: string;
  unwell?: boolean;
  check?: CheckState;
}

/**
 * "Check a symptom": the patient says what is wrong in their own words; the triage engine decides; up to three
 * follow-up questions (red flags first) can only raise the level. Only a real yes, no or "not sure" answers a
 * yes/no question (unsure counts as yes: missing an emergency is worse than a false alarm); anything else is
 * asked again once, re-assessed when it describes symptoms, or, when it is a new question, answered after the
 * result (the main dialog passes it to education). Each turn re-enters this waterfall with the state.
 */
export class SymptomCheckDialog extends InterruptibleDialog {
  constructor(safety: SafetyService, private readonly symptoms: SymptomCheckService, private readonly settings: SymptomSettings) {
    super(DialogIds.symptomCheck, safety);
    this.addDialog(new TextPrompt(DialogIds.symptomText));
    this.addDialog(new TextPrompt(DialogIds.symptomFollowUp));
    this.addDialog(new WaterfallDialog(DialogIds.symptomWaterfall, [this.askComplaint.bind(this), this.assess.bind(this), this.ask.bind(this), this.collect.bind(this)]));
    this.initialDialogId = DialogIds.symptomWaterfall;
  }

  private async askComplaint(step: WaterfallStepContext) {
    const options = (step.options ?? {}) as SymptomCheckOptions;
    if (options.check || options.text) return step.next(options.text);
    const opening = options.unwell ? 'I am sorry you are not feeling well. ' : '';
    return step.prompt(DialogIds.symptomText, {
      prompt: `${opening}Tell me what is wrong, in your own words: what you feel, since when, and how bad. If it is for someone else, say who and their age.`,
    });
  }

  private async assess(step: WaterfallStepContext) {
    const given = (step.options as SymptomCheckOptions | undefined)?.check;
    if (given) {
      (step.values as { check?: CheckState }).check = given;
      return step.next();
    }
    const text = String(step.result ?? '').slice(0, 4000);
    const patient = identityOf(step.context).patient;
    const age = patient ? ageFrom(patient.dateOfBirth) : undefined;
    const result = await this.symptoms.assess({ text, age });
    (step.values as { check?: CheckState }).check = { text, age, result, answers: [], asked: [], yesNoAsked: 0, unanswered: [] };
    return step.next();
  }

  /** Asks the pending question again, or the next one; with none left, gives the result. */
  private async ask(step: WaterfallStepContext) {
    const check = stateOf(step);
    if (check.pending) return step.prompt(DialogIds.symptomFollowUp, { prompt: `Sorry, I need a yes or no here. ${yesNoPart(check.pending)} Reply YES, NO or NOT SURE.` });
    const question = this.nextQuestion(check);
    if (!question) return this.conclude(step, check);
    check.pending = question;
    check.reasked = false;
    check.asked.push(question.id);
    if (answerKind(question) === 'open') return step.prompt(DialogIds.symptomFollowUp, { prompt: question.question });
    check.yesNoAsked += 1;
    return step.prompt(DialogIds.symptomFollowUp, { prompt: `${question.question} Reply YES or NO.` });
  }

  /** Reads the reply to the pending question, then goes round again (or ends, for a new question). */
  private async collect(step: WaterfallStepContext) {
    const check = stateOf(step);
    const reply = String(step.result ?? '').slice(0, 2000);
    const question = check.pending;
    if (!question) return this.conclude(step, check);
    if (answerKind(question) === 'open') {
      check.pending = undefined;
      await this.reassess(check, reply);
      return this.again(step, check);
    }
    const answer = readAnswer(reply);
    if (answer) {
      check.answers.push({ question, answer });
      check.pending = undefined;
      // "no, but now there is a rash": the rest of the reply is assessed too.
      if (this.symptoms.describesSymptoms(reply)) await this.reassess(check, reply);
      return this.again(step, check);
    }
    if (!CLARIFY.test(reply)) {
      if (this.symptoms.describesSymptoms(reply)) {
        // "my temp is 39.2": assessed with the rest; the question is settled if the engine no longer asks it.
        await this.reassess(check, reply);
        if (!check.result.followUps.some((followUp) => followUp.id === question.id)) check.pending = undefined;
      } else if (QUESTION.test(reply)) {
        // A new question: the result first (with what a yes would have meant), then the answer.
        this.giveUp(check);
        return this.conclude(step, check, reply);
      }
    }
    if (check.pending && check.reasked) this.giveUp(check);
    else check.reasked = true;
    return this.again(step, check);
  }

  private again(step: WaterfallStepContext, check: CheckState) {
    return step.replaceDialog(DialogIds.symptomWaterfall, { check } satisfies SymptomCheckOptions);
  }

  /** The pending question stays unanswered: the result will say what a yes would mean. */
  private giveUp(check: CheckState): void {
    if (check.pending) check.unanswered.push(check.pending);
    check.pending = undefined;
  }

  private nextQuestion(check: CheckState): FollowUpQuestion | undefined {
    const level = this.symptoms.applyFollowUps(check.result, check.answers).level;
    if (level === 'emergency' || check.yesNoAsked >= MAX_FOLLOW_UPS) return undefined;
    return check.result.followUps.find((question) => !check.asked.includes(question.id) && levelRank(question.raisesTo) > levelRank(level));
  }

  /**
   * Re-assesses everything said so far. The more urgent assessment stands (an answer never lowers the level),
   * unless nothing recognisable was said before: "not enough detail" is a placeholder, not a level to keep.
   */
  private async reassess(check: CheckState, reply: string): Promise<void> {
    const before = check.text;
    check.text = `${before}\n${reply}`.slice(-4000);
    const result = await this.symptoms.assess({ text: check.text, age: check.age });
    if (levelRank(result.level) >= levelRank(check.result.level) || !this.symptoms.describesSymptoms(before)) check.result = result;
  }

  private async conclude(step: WaterfallStepContext, check: CheckState, question?: string) {
    const result = this.symptoms.applyFollowUps(check.result, check.answers);
    const alerted = await this.symptoms.raiseIfNeeded(result, identityOf(step.context));
    const messages = resultMessages(result, this.settings, check.unanswered);
    // An emergency result (reached through a follow-up answer) is emergency instructions: the reply cap lets it through.
    const channelData = result.level === 'emergency' ? URGENT : undefined;
    const send = (text: string) => step.context.sendActivity({ type: ActivityTypes.Message, text, channelData });
    await send(messages.advice);
    await send(messages.why);
    if (alerted) await send('Your care team has been told about this check.');
    return step.endDialog({ level: result.level, question });
  }
}

/**
 * The check's state. A check begun before this version (one step per question, answers as `yes: boolean`)
 * is read into the current shape, so a deploy mid-conversation never counts an old "no" as a yes.
 */
function stateOf(step: WaterfallStepContext): CheckState {
  type Stored = Omit<Partial<CheckState>, 'answers'> & { answers?: (AnsweredFollowUp | { question: FollowUpQuestion; yes: boolean })[] };
  const values = step.values as { check?: Stored | CheckState };
  const stored: Stored = values.check ?? {};
  const answers = (stored.answers ?? []).map((a): AnsweredFollowUp => ('answer' in a ? a : { question: a.question, answer: a.yes ? 'yes' : 'no' }));
  const asked = stored.asked ?? answers.map((a) => a.question.id);
  const check = { text: '', unanswered: [], yesNoAsked: asked.length, ...stored, answers, asked } as CheckState;
  values.check = check;
  return check;
}

function ageFrom(dateOfBirth: string, now = new Date()): number {
  const born = new Date(`${dateOfBirth}T00:00:00Z`);
  const years = now.getUTCFullYear() - born.getUTCFullYear();
  const beforeBirthday = now.getUTCMonth() < born.getUTCMonth() || (now.getUTCMonth() === born.getUTCMonth() && now.getUTCDate() < born.getUTCDate());
  return Math.max(0, years - (beforeBirthday ? 1 : 0));
}
