import type { ConversationRuntime } from '../src/bot/runtime.js';
import type { OutboundGateway } from '../src/domain/messaging/gateway.js';
import type { Job } from './job.js';

export interface ReplyRecoveryContext {
  runtime: Pick<ConversationRuntime, 'recoverPending'>;
  gateway: Pick<OutboundGateway, 'retryFailed'>;
}

/**
 * Reply durability: answers inbound messages whose turn never completed (a crash mid-turn) and settles outbound
 * messages that failed for a retryable reason or were left in flight by a crash (asking the provider before any
 * resend). Every 10 s, so a crash's leftovers are answered within a minute of their lease ending; both passes are
 * safe on any number of instances at once.
 */
export const replyRecovery: Job<ReplyRecoveryContext> = {
  name: 'reply-recovery',
  cron: '*/10 * * * * *',
  async run({ runtime, gateway, clock, signal }) {
    const turns = await runtime.recoverPending(clock.now(), signal);
    const sends = await gateway.retryFailed(clock.now(), signal);
    return {
      turns_due: turns.due, turns_answered: turns.answered, turns_held: turns.held, turns_failed: turns.failed,
      sends_due: sends.due, sends_sent: sends.sent, sends_matched: sends.matched, sends_retrying: sends.retrying, sends_failed: sends.failed,
    };
  },
};
