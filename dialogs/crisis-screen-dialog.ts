import { ActivityTypes } from 'botbuilder';
import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { readScreenAnswer, scoreScreen, screenQuestions, type ScreenResult } from '../src/domain/safety/crisis-screen.js';
import type { SafetyService } from '../src/domain/safety/service.js';
import { DialogIds } from './ids.js';
import { identityOf, URGENT } from './identity.js';
import { InterruptibleDialog } from './interruptible-dialog.js';

type Answer = 'yes' | 'no';

/** Where the screen is; passed from one question to the next, so a turn that fails part-way repeats cleanly. */
interface ScreenState {
  answers: Answer[];
  /** The current question was not understood once already. */
  retried?: boolean;
}

/**
 * The suicide risk screener (NIMH ASQ), started when a patient voices a passive wish to die: four questions
 * about the past weeks, then, if any answer is yes, "are you having thoughts of killing yourself right now?".
 * A yes to that is a crisis (crisis reply, critical alert); another yes is a non-acute positive (the care team
 * is asked to call today); all no gets support and the crisis line. An unclear answer is asked again once; a
 * second unclear answer counts as yes, as ASQ treats a non-answer. A crisis message at any question is still
 * taken by the interrupts (InterruptibleDialog) before it reaches a step.
 */
export class CrisisScreenDialog extends InterruptibleDialog {
  constructor(safety: SafetyService) {
    super(DialogIds.crisisScreen, safety);
    this.addDialog(new TextPrompt(DialogIds.crisisScreenAnswer));
    this.addDialog(new WaterfallDialog(DialogIds.crisisScreenWaterfall, [this.ask.bind(this), this.collect.bind(this)]));
    this.initialDialogId = DialogIds.crisisScreenWaterfall;
  }

  private async ask(step: WaterfallStepContext) {
    const state = stateOf(step.options);
    const { questions, acuity, answerHint, retry } = screenQuestions();
    const question = questions[state.answers.length] ?? acuity;
    const text = `${state.retried ? `${retry} ` : ''}${question.ask} ${answerHint}`;
    // Crisis care: the screen's questions and results are never held back by the SMS reply cap.
    return step.prompt(DialogIds.crisisScreenAnswer, { prompt: { type: ActivityTypes.Message, text, channelData: URGENT } });
  }

  private async collect(step: WaterfallStepContext) {
    const state = stateOf(step.options);
    const read = readScreenAnswer(String(step.result ?? ''));
    if (!read && !state.retried) return step.replaceDialog(DialogIds.crisisScreenWaterfall, { ...state, retried: true });
    const answer: Answer = read ?? 'yes';
    const { questions } = screenQuestions();
    if (state.answers.length < questions.length) {
      const answers = [...state.answers, answer];
      // ASQ asks the acuity question only after a yes to one of the first four.
      if (answers.length < questions.length || answers.includes('yes')) return step.replaceDialog(DialogIds.crisisScreenWaterfall, { answers });
      return this.conclude(step, scoreScreen(answers));
    }
    return this.conclude(step, scoreScreen(state.answers, answer));
  }

  private async conclude(step: WaterfallStepContext, result: ScreenResult) {
    for (const text of await this.safety.screenResult(result, identityOf(step.context))) {
      await step.context.sendActivity({ type: ActivityTypes.Message, text, channelData: URGENT });
    }
    return step.endDialog({ result });
  }
}

function stateOf(options: unknown): ScreenState {
  const state = options as Partial<ScreenState> | undefined;
  return { answers: [...(state?.answers ?? [])], retried: state?.retried };
}
