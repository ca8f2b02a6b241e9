import { ActivityHandler, type ConversationState, type TurnContext } from 'botbuilder';
import { runDialog, type Dialog, type DialogState } from 'botbuilder-dialogs';

/**
 * The activity handler: every message runs the main dialog (whose base class takes the safety interrupts
 * first), then the conversation state is saved with its eTag, so a concurrent turn is detected.
 */
export class CareLoopBot extends ActivityHandler {
  constructor(private readonly conversationState: ConversationState, dialog: Dialog) {
    super();
    const dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.onMessage(async (context, next) => {
      await runDialog(dialog, context, dialogState);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
  }
}
