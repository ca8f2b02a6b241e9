import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { CheckinService } from '../src/domain/checkins/checkins.js';
import type { SafetyService, SafetySettings } from '../src/domain/safety/service.js';
import { CheckinDialog } from './checkin-dialog.js';
import { DialogIds } from './ids.js';
import { identityOf } from './identity.js';
import { InterruptibleDialog } from './interruptible-dialog.js';

const CHECKIN_CHOICE = /^\s*(1|one|check.?in|feel|feeling)\b/i;

/**
 * Where every conversation starts. Enrolled patients are offered the check-in (more programs join this menu
 * with their issues: reminders, post-op, education, symptom check). People CareLoop does not know see no one's
 * data and are told what they can do.
 */
export class MainDialog extends InterruptibleDialog {
  constructor(safety: SafetyService, checkins: CheckinService, private readonly settings: SafetySettings) {
    super(DialogIds.main, safety);
    this.addDialog(new TextPrompt(DialogIds.mainChoice));
    this.addDialog(new CheckinDialog(safety, checkins));
    this.addDialog(new WaterfallDialog(DialogIds.mainWaterfall, [this.greet.bind(this), this.route.bind(this)]));
    this.initialDialogId = DialogIds.mainWaterfall;
  }

  private async greet(step: WaterfallStepContext) {
    const { patient } = identityOf(step.context);
    const { clinicName, emergencyNumber } = this.settings;
    if (!patient) {
      await step.context.sendActivity(
        `Hello, this is ${clinicName}'s CareLoop. I do not have a patient record for you, so I cannot see or share any personal information. ` +
          `If you are a patient, ask your clinic to enroll you. In an emergency call ${emergencyNumber}.`,
      );
      return step.endDialog();
    }
    // "1" as the very first message goes straight to the check-in.
    if (CHECKIN_CHOICE.test(step.context.activity.text ?? '')) return step.next(step.context.activity.text);
    const firstName = patient.name.split(/\s+/)[0];
    return step.prompt(DialogIds.mainChoice, {
      prompt: `Hi ${firstName}, this is ${clinicName}. Reply 1 to tell your care team how you are feeling today, AGENT to reach a nurse, or HELP for help.`,
    });
  }

  private async route(step: WaterfallStepContext) {
    if (CHECKIN_CHOICE.test(String(step.result ?? ''))) return step.beginDialog(DialogIds.checkin);
    await step.context.sendActivity('Sorry, I did not understand that. Reply 1 to check in, AGENT to reach a nurse, or HELP for help.');
    return step.endDialog();
  }
}
