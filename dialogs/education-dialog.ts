import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { EducationService } from '../src/domain/education/ask.js';
import type { SafetyService } from '../src/domain/safety/service.js';
import { DialogIds } from './ids.js';
import { InterruptibleDialog } from './interruptible-dialog.js';

/** "Ask a health question": answered from the reviewed library, with the article named as the source. */
export class EducationDialog extends InterruptibleDialog {
  constructor(safety: SafetyService, private readonly education: EducationService) {
    super(DialogIds.education, safety);
    this.addDialog(new TextPrompt(DialogIds.educationQuestion));
    this.addDialog(new WaterfallDialog(DialogIds.educationWaterfall, [this.askQuestion.bind(this), this.answer.bind(this)]));
    this.initialDialogId = DialogIds.educationWaterfall;
  }

  private async askQuestion(step: WaterfallStepContext) {
    const given = (step.options as { text?: string } | undefined)?.text;
    if (given) return step.next(given);
    return step.prompt(DialogIds.educationQuestion, { prompt: 'What would you like to know? Ask in your own words.' });
  }

  private async answer(step: WaterfallStepContext) {
    for (const reply of await this.education.ask(String(step.result ?? '').slice(0, 1000))) await step.context.sendActivity(reply);
    return step.endDialog();
  }
}
