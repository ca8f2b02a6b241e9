import type { ConversationState, TurnContext } from 'botbuilder';
import { ETagConflictError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';

/**
 * onTurnError: logs without PHI (no text, no address), tells the patient something safe, including how to
 * get emergency help, and resets the broken conversation so the next message starts clean. An eTag conflict
 * is not a failure of the turn: it goes back to the runtime, which runs the turn again.
 */
export function turnErrorHandler(conversationState: ConversationState, logger: Logger, emergencyNumber: string) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    if (error instanceof ETagConflictError) throw error;
    logger.error({ err: error, channel: context.activity.channelId }, 'bot turn failed');
    if (!context.activity.channelId || !context.activity.conversation) return; // not a turn we can answer
    try {
      await context.sendActivity(`Sorry, something went wrong on our side. Please try again in a few minutes. In an emergency call ${emergencyNumber}.`);
    } finally {
      await conversationState.delete(context).catch((err: unknown) => logger.error({ err }, 'could not reset the conversation after a failed turn'));
    }
  };
}
