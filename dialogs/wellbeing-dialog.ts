import { NumberPrompt, TextPrompt, WaterfallDialog, type PromptValidatorContext, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { WellbeingService } from '../src/domain/wellbeing/wellbeing.js';
import type { SafetyService } from '../src/domain/safety/service.js';
import { DialogIds } from './ids.js';
import { identityOf } from './identity.js';
import { InterruptibleDialog } from './interruptible-dialog.js';

const SKIP = /^\s*(no|nope|nothing|skip|n\/a|none)\W*$/i;

/** "How are you feeling today?": a 0-10 wellbeing score and an optional note for the care team (not the post-op check-in). */
export class WellbeingDialog extends InterruptibleDialog {
  constructor(safety: SafetyService, private readonly wellbeing: WellbeingService) {
    super(DialogIds.wellbeing, safety);
    this.addDialog(new NumberPrompt(DialogIds.wellbeingScore, scoreValidator));
    this.addDialog(new TextPrompt(DialogIds.wellbeingNote));
    this.addDialog(new WaterfallDialog(DialogIds.wellbeingWaterfall, [this.askScore.bind(this), this.askNote.bind(this), this.record.bind(this)]));
    this.initialDialogId = DialogIds.wellbeingWaterfall;
  }

  private async askScore(step: WaterfallStepContext) {
    return step.prompt(DialogIds.wellbeingScore, {
      prompt: 'On a scale of 0 to 10, how are you feeling today? 0 is very bad, 10 is very well.',
      retryPrompt: 'Please reply with a number from 0 to 10.',
    });
  }

  private async askNote(step: WaterfallStepContext) {
    (step.values as { score?: number }).score = step.result as number;
    return step.prompt(DialogIds.wellbeingNote, { prompt: 'Thank you. Is there anything you want your care team to know? Reply NO to skip.' });
  }

  private async record(step: WaterfallStepContext) {
    const identity = identityOf(step.context);
    const answer = String(step.result ?? '').trim();
    const score = (step.values as { score: number }).score;
    if (identity.patient) {
      const { flagged } = await this.wellbeing.record({
        patient: identity.patient, channel: identity.channel, address: identity.address, messageId: identity.messageId,
        score, note: SKIP.test(answer) ? undefined : answer.slice(0, 2000),
      });
      await step.context.sendActivity(flagged ? 'Thank you. A nurse from your care team will look at this.' : 'Thank you. Your care team will see this.');
    }
    return step.endDialog({ score });
  }
}

async function scoreValidator(prompt: PromptValidatorContext<number>): Promise<boolean> {
  const value = prompt.recognized.value;
  return prompt.recognized.succeeded && value !== undefined && Number.isInteger(value) && value >= 0 && value <= 10;
}
