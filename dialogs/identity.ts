import type { TurnContext } from 'botbuilder';
import type { TurnIdentity } from '../src/domain/safety/service.js';

/** Where a channel puts who is writing, for the dialogs and the outbound adapter of this turn. */
export const TURN_IDENTITY = Symbol('careloop.turnIdentity');

/** The identity of this turn; every channel sets it before the bot runs. */
export function identityOf(context: TurnContext): TurnIdentity {
  const identity = context.turnState.get(TURN_IDENTITY) as TurnIdentity | undefined;
  if (!identity) throw new Error('turn has no identity: the channel must set TURN_IDENTITY');
  return identity;
}

/** Marks an outbound activity as the one message allowed after STOP. */
export const OPT_OUT_CONFIRMATION = { careloop: { kind: 'opt_out_confirmation' } } as const;

/** Marks an outbound activity as emergency or crisis instructions: the SMS reply cap never holds it back. */
export const URGENT = { careloop: { kind: 'urgent' } } as const;

/** Marks an outbound activity as the next step (a question, the closing words) of a check-in CareLoop started: the reply cap never holds it back. */
export const FLOW_STEP = { careloop: { kind: 'flow_step' } } as const;

const markOf = (channelData: unknown): string | undefined => (channelData as { careloop?: { kind?: string } } | undefined)?.careloop?.kind;

export const isOptOutConfirmation = (channelData: unknown): boolean => markOf(channelData) === 'opt_out_confirmation';

/** The outbound kind an activity is marked with, if any. */
export function markedKind(channelData: unknown): 'opt_out_confirmation' | 'urgent' | 'flow_step' | undefined {
  const mark = markOf(channelData);
  return mark === 'opt_out_confirmation' || mark === 'urgent' || mark === 'flow_step' ? mark : undefined;
}
