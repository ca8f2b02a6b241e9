import { ActivityTypes } from 'botbuilder';
import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { CheckInQuestion, PostopCheckIns } from '../src/domain/postop/checkins.js';
import type { SafetyService } from '../src/domain/safety/service.js';
import { DialogIds } from './ids.js';
import { FLOW_STEP, identityOf, URGENT } from './identity.js';
import { InterruptibleDialog } from './interruptible-dialog.js';

/**
 * A post-op check-in (not the wellbeing check-in of checkin-dialog.ts): begun by CareLoop on a protocol day, one
 * short question per turn. The safety interrupts (emergency words, STOP, HELP, AGENT) come first
 * (InterruptibleDialog). Each reply is read and recorded by PostopCheckIns; a red flag ends the questions with
 * what to do now, marked urgent so the SMS reply cap never holds it back (nor does it hold the next question or
 * the closing words, marked as the check-in's steps). A reply once the check-in is over
 * goes to the main dialog.
 */
export class PostopCheckInDialog extends InterruptibleDialog {
  constructor(safety: SafetyService, private readonly checkIns: PostopCheckIns) {
    super(DialogIds.postopCheckIn, safety);
    // Any message answers, an MMS photo without words too (the prompt would otherwise ask again).
    this.addDialog(new TextPrompt(DialogIds.postopCheckInAnswer, async () => true));
    this.addDialog(new WaterfallDialog(DialogIds.postopCheckInWaterfall, [this.ask.bind(this), this.record.bind(this)]));
    this.initialDialogId = DialogIds.postopCheckInWaterfall;
  }

  /**
   * Asks one question. After the first (which a proactive turn sends), each is the answer to the patient's last
   * reply and is marked so the SMS reply cap never holds it back: a held question would stall the check-in. At
   * most two per protocol question (the question and one reprompt), so a flood inside a check-in stays bounded.
   */
  private async ask(step: WaterfallStepContext) {
    const { text } = step.options as CheckInQuestion;
    return step.prompt(DialogIds.postopCheckInAnswer, { prompt: { type: ActivityTypes.Message, text, channelData: FLOW_STEP } });
  }

  private async record(step: WaterfallStepContext) {
    const asked = step.options as CheckInQuestion;
    const identity = identityOf(step.context);
    const media = (step.context.activity.attachments ?? []).flatMap((attachment) =>
      attachment.contentUrl ? [{ url: attachment.contentUrl, contentType: attachment.contentType ?? 'application/octet-stream' }] : []);
    const outcome = identity.patient
      ? await this.checkIns.answer(asked, String(step.result ?? ''), { channel: identity.channel, address: identity.address, messageId: identity.messageId, media })
      : { kind: 'not_an_answer' as const };
    switch (outcome.kind) {
      case 'ask':
        return step.replaceDialog(DialogIds.postopCheckInWaterfall, outcome.question);
      case 'done':
        await step.context.sendActivity({ type: ActivityTypes.Message, text: outcome.text, channelData: outcome.urgent ? URGENT : FLOW_STEP });
        return step.endDialog();
      case 'not_an_answer':
        return step.replaceDialog(DialogIds.main);
    }
  }
}
