import { ActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import { TURN_IDENTITY } from '../../dialogs/identity.js';
import type { TurnIdentity } from '../domain/safety/service.js';

/** For channels that send without the gateway adapter (Bot Framework): the mark of the one message allowed after STOP. */
export { isOptOutConfirmation } from '../../dialogs/identity.js';

/**
 * A patient who wrote this recently, with a flow still open (a symptom check, a check-in), is in the middle of
 * it: a proactive question waits rather than end it, so their next "yes" is not read as the answer to ours.
 */
export const ACTIVE_FLOW_MS = 30 * 60_000;

/** What a proactive turn did: began the dialog, found the patient busy, or sent nothing (the gateway refused). */
export type ProactiveBegin = 'begun' | 'busy' | 'not_sent';

/**
 * A question CareLoop asked outside a turn (a dose reminder sent by the scheduler): given the turn and when the
 * patient last wrote before it, the dialog that reads this message as the answer, if the question is still the
 * last thing said.
 */
export type PendingQuestion = (context: TurnContext, lastMessageAt: number | undefined) => { dialogId: string; options?: object } | undefined;

/**
 * The activity handler: every message continues the conversation's active dialog (whose base class takes the
 * safety interrupts first) or starts the main dialog, then the conversation state is saved with its eTag, so a
 * concurrent turn is detected. Proactive dialogs (a check-in question, the dose dialog) sit beside the main dialog
 * at the root, so a proactive turn can begin one, or a pending question (a dose reminder the scheduler sent)
 * begins one for the patient's next message, and the reply is read in its context.
 */
export class CareLoopBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly lastMessageAt: StatePropertyAccessor<string | undefined>;

  constructor(private readonly conversationState: ConversationState, main: Dialog, proactiveDialogs: Dialog[] = [], pendingQuestion?: PendingQuestion) {
    super();
    this.dialogs = new DialogSet(conversationState.createProperty<DialogState>('dialogState'));
    for (const dialog of [main, ...proactiveDialogs]) this.dialogs.add(dialog);
    this.lastMessageAt = conversationState.createProperty<string | undefined>('lastMessageAt');
    this.onMessage(async (context, next) => {
      const at = turnTime(context);
      const previous = await this.lastMessageAt.get(context);
      if (at !== undefined) await this.lastMessageAt.set(context, new Date(at).toISOString());
      const dc = await this.dialogs.createContext(context);
      const pending = pendingQuestion?.(context, previous === undefined ? undefined : Date.parse(previous));
      if (pending) {
        // Asked while no flow was open (or one the patient had left): its dialog reads this message first.
        await dc.cancelAllDialogs();
        await dc.beginDialog(pending.dialogId, pending.options);
      } else {
        // What botbuilder's runDialog does for one root dialog: continue the active one, or begin main.
        const result = await dc.continueDialog();
        if (result.status === DialogTurnStatus.empty) await dc.beginDialog(main.id);
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
  }

  /** Runs a turn for a channel that says itself who is writing (Bot Framework); the others use GatewayAdapter. */
  async runAs(context: TurnContext, identity: TurnIdentity): Promise<void> {
    context.turnState.set(TURN_IDENTITY, identity);
    await this.run(context);
  }

  /** Whether a proactive message can begin this dialog. */
  hasDialog(dialogId: string): boolean {
    return this.dialogs.find(dialogId) !== undefined;
  }

  /**
   * A proactive turn: ends a flow the patient has left and begins `dialogId`, whose first step asks. The new
   * state is saved only when `delivered()` says the question went out (not refused for quiet hours, consent or
   * opt-out), so a reply is never read against a question the patient did not get.
   */
  async beginProactive(context: TurnContext, dialogId: string, options: object | undefined, delivered: () => boolean): Promise<ProactiveBegin> {
    const dc = await this.dialogs.createContext(context);
    const last = await this.lastMessageAt.get(context);
    const now = turnTime(context);
    if (dc.activeDialog && last && now !== undefined && now - Date.parse(last) < ACTIVE_FLOW_MS) return 'busy';
    await dc.cancelAllDialogs();
    await dc.beginDialog(dialogId, options);
    if (!delivered()) return 'not_sent';
    await this.conversationState.saveChanges(context, false);
    return 'begun';
  }
}

/** When the turn happened, by the clock of whoever built the activity (the runtime's injectable clock). */
function turnTime(context: TurnContext): number | undefined {
  const { timestamp } = context.activity;
  return timestamp ? new Date(timestamp).getTime() : undefined;
}
