import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DoseOutreach } from '../src/domain/medication/outreach.js';
import type { SafetyService } from '../src/domain/safety/service.js';
import { DialogIds } from './ids.js';
import { identityOf } from './identity.js';
import { InterruptibleDialog } from './interruptible-dialog.js';

/** What a proactive dose question begins the dialog with. */
export interface DoseDialogOptions {
  /** The dose the question is about (`med:<planId>:<localDate>T<HH:MM>`). */
  doseKey: string;
  /** The question: the reminder, a follow-up, or "which one?". */
  text: string;
}

/**
 * A dose question CareLoop sends (a reminder, a follow-up), and the patient's answer to it. The safety
 * interrupts (emergency words, STOP, HELP, AGENT) come first (InterruptibleDialog). "taken", "2", "snooze 30",
 * "took the morning one" are recorded on the dose they name; anything else is no dose answer: the dialog gives
 * way to the main dialog with the same message, and the dose stays open.
 */
export class DoseDialog extends InterruptibleDialog {
  constructor(safety: SafetyService, private readonly doses: DoseOutreach) {
    super(DialogIds.dose, safety);
    this.addDialog(new TextPrompt(DialogIds.doseAnswer));
    this.addDialog(new WaterfallDialog(DialogIds.doseWaterfall, [this.ask.bind(this), this.record.bind(this)]));
    this.initialDialogId = DialogIds.doseWaterfall;
  }

  private async ask(step: WaterfallStepContext) {
    return step.prompt(DialogIds.doseAnswer, { prompt: (step.options as DoseDialogOptions).text });
  }

  private async record(step: WaterfallStepContext) {
    const options = step.options as DoseDialogOptions;
    const { patient } = identityOf(step.context);
    const outcome = patient ? await this.doses.answer(patient.id, String(step.result ?? ''), options.doseKey) : { status: 'not_an_answer' as const };
    switch (outcome.status) {
      case 'recorded':
        await step.context.sendActivity(outcome.confirmation);
        return step.endDialog({ answer: outcome.answer });
      case 'which':
        return step.replaceDialog(DialogIds.doseWaterfall, { ...options, text: outcome.question } satisfies DoseDialogOptions);
      case 'not_an_answer':
        // The main dialog is found at the root (beside this one) and reads this same message as its first.
        return step.replaceDialog(DialogIds.main);
    }
  }
}
