import { ActivityTypes } from 'botbuilder';
import { ComponentDialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { SafetyService } from '../src/domain/safety/service.js';
import { DialogIds } from './ids.js';
import { identityOf, OPT_OUT_CONFIRMATION, URGENT } from './identity.js';

const CHECKED = Symbol('careloop.interruptsChecked');

/**
 * The base of CareLoop's dialogs: safety interrupts (suicide and self-harm, emergency words, STOP/START/HELP, a
 * request for a person) run BEFORE any step logic, whatever the dialog was waiting for. Once per turn, however
 * deep the nesting. A passive wish to die starts the crisis screener in place of the current flow.
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  constructor(id: string, protected readonly safety: SafetyService) {
    super(id);
  }

  override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onBeginDialog(innerDc, options);
  }

  override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const { context } = innerDc;
    if (context.activity.type !== ActivityTypes.Message || context.turnState.get(CHECKED)) return undefined;
    context.turnState.set(CHECKED, true);
    const outcome = await this.safety.check(context.activity.text ?? '', identityOf(context), { screening: isScreening(innerDc) });
    if (!outcome) return undefined;
    for (const reply of outcome.replies) {
      const channelData = reply.optOutConfirmation ? OPT_OUT_CONFIRMATION : reply.urgent ? URGENT : undefined;
      await context.sendActivity({ type: ActivityTypes.Message, text: reply.text, channelData });
    }
    if (outcome.kind === 'screen') {
      // Whatever the patient was doing (a check-in score, a symptom question) ends: the screener asks now.
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(DialogIds.crisisScreen);
    }
    // HELP leaves the question standing; everything else ends the conversation's current flow. With no question
    // yet (HELP as the first message), waiting would leave an empty dialog that never answers again: end it.
    return outcome.endDialogs || !innerDc.activeDialog ? innerDc.cancelAllDialogs() : { status: DialogTurnStatus.waiting };
  }
}

/** Is the crisis screener running, at this level or below? Its answers ("yes, I wished I was dead") are not a new start. */
function isScreening(dc: DialogContext): boolean {
  for (let current: DialogContext | undefined = dc; current; current = current.child) {
    if (current.stack.some((entry) => entry.id === DialogIds.crisisScreen)) return true;
  }
  return false;
}
