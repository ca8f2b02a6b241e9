import { ConversationState, MemoryStorage, TestAdapter, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { turnErrorHandler } from '../../src/bot/errors.js';
import { createLogger } from '../../src/lib/logger.js';

describe('onTurnError', () => {
  it('logs without PHI, tells the patient how to get emergency help, and resets the conversation', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    const state = new ConversationState(new MemoryStorage());
    const progress = state.createProperty<{ step: number }>('progress');
    const adapter = new TestAdapter(async (context: TurnContext) => {
      await progress.set(context, { step: 3 });
      await state.saveChanges(context);
      throw new Error('lookup failed for +15551234567');
    });
    adapter.onTurnError = turnErrorHandler(state, logger, '112');

    await adapter.send('my chest hurts a little').assertReply((reply) => {
      expect(reply.text).toMatch(/something went wrong/);
      expect(reply.text).toMatch(/112/);
    });

    const output = lines.join('');
    expect(output).toContain('bot turn failed');
    expect(output).not.toContain('+15551234567');
    expect(output).not.toContain('chest');

    // The broken conversation starts clean: the next turn of the same conversation finds no state.
    let seen: { step: number } | undefined = { step: -1 };
    const next = new TestAdapter(async (context: TurnContext) => {
      seen = await progress.get(context);
    });
    expect(next.conversation.conversation.id).toBe(adapter.conversation.conversation.id);
    await next.send('hello again');
    expect(seen).toBeUndefined();
  });
});
