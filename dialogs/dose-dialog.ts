import type { TurnContext } from 'botbuilder';
import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DoseOutreach } from '../src/domain/medication/outreach.js';
import type { SafetyService } from '../src/domain/safety/service.js';
import { DialogIds } from './ids.js';
import { identityOf } from './identity.js';
import { InterruptibleDialog } from './interruptible-dialog.js';

/** What a proactive dose question begins the dialog with. */
export interface DoseDialogOptions {
  /** The dose the question is about (`med:<planId>:<localDate>T<HH:MM>`), when one was named. */
  doseKey?: string;
  /** The question to ask ("which one?"); absent when the turn's own message is the answer. */
  text?: string;
  /** When the scheduler's question (a reminder, a follow-up) went out; this turn's message answers it. */
  askedAt?: number;
}

/**
 * The patient's answer to a dose question. The scheduler sends reminders and follow-ups by SMS outside any turn
 * and records when (`Patient.doseAskedAt`); the patient's next message begins this dialog (the bot's pending
 * question) and is read here. "Which one?" is asked and answered within the dialog. The safety
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
    const { text } = step.options as DoseDialogOptions;
    if (text === undefined) return step.next(step.context.activity.text ?? '');
    return step.prompt(DialogIds.doseAnswer, { prompt: text });
  }

  private async record(step: WaterfallStepContext) {
    const options = step.options as DoseDialogOptions;
    const { patient } = identityOf(step.context);
    const askedSince = options.askedAt === undefined ? undefined : new Date(options.askedAt);
    const outcome = patient ? await this.doses.answer(patient.id, String(step.result ?? ''), options.doseKey, askedSince) : { status: 'not_an_answer' as const };
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

/**
 * The bot's pending question for doses (src/bot/bot.ts): the first SMS a patient sends after a dose question
 * went out (`Patient.doseAskedAt` later than their last message) begins the dose dialog, which reads it as the
 * answer; a message that is no dose answer goes on to the main dialog. Reminders go by SMS only.
 */
export function pendingDoseQuestion(context: TurnContext, lastMessageAt: number | undefined): { dialogId: string; options: DoseDialogOptions } | undefined {
  const { channel, patient } = identityOf(context);
  const askedAt = patient?.doseAskedAt ? new Date(patient.doseAskedAt).getTime() : undefined;
  if (channel !== 'sms' || askedAt === undefined || (lastMessageAt !== undefined && lastMessageAt >= askedAt)) return undefined;
  return { dialogId: DialogIds.dose, options: { askedAt } };
}
