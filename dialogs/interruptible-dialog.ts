import { ActivityTypes } from 'botbuilder';
import { ComponentDialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { SafetyService } from '../src/domain/safety/service.js';
import { identityOf, OPT_OUT_CONFIRMATION } from './identity.js';

const CHECKED = Symbol('careloop.interruptsChecked');

/**
 * The base of CareLoop's dialogs: safety interrupts (emergency words, STOP/START/HELP, a request for a person)
 * run BEFORE any step logic, whatever the dialog was waiting for. Once per turn, however deep the nesting.
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
    const outcome = await this.safety.check(context.activity.text ?? '', identityOf(context));
    if (!outcome) return undefined;
    for (const reply of outcome.replies) {
      await context.sendActivity({ type: ActivityTypes.Message, text: reply.text, channelData: reply.optOutConfirmation ? OPT_OUT_CONFIRMATION : undefined });
    }
    // HELP leaves the question standing; everything else ends the conversation's current flow.
    return outcome.endDialogs ? innerDc.cancelAllDialogs() : { status: DialogTurnStatus.waiting };
  }
}
