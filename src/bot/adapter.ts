import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { identityOf, markedKind, TURN_IDENTITY } from '../../dialogs/identity.js';
import type { Purpose } from '../domain/consent/consent.js';
import type { OutboundGateway, SendOutcome } from '../domain/messaging/gateway.js';
import type { MessageChannel, OutboundKind } from '../domain/messaging/types.js';
import type { TurnIdentity } from '../domain/safety/service.js';

const OUTBOUND = Symbol('careloop.outbound');

/** How this turn's outgoing messages are keyed and classed. */
export interface OutboundContext {
  /** Replies are keyed `<prefix>:<n>`: re-running a turn (after an eTag conflict) sends nothing twice. */
  idempotencyPrefix: string;
  kind: 'reply' | 'proactive';
  purpose?: Purpose;
  count: number;
  /** What the gateway did with each message of the turn, in order. */
  outcomes: SendOutcome[];
}

/**
 * A botbuilder adapter for the channels CareLoop serves itself (SMS, web chat): it runs turns for activities
 * the channel hands it, and sends every reply through the outbound gateway, never straight to a provider.
 */
export class GatewayAdapter extends BotAdapter {
  constructor(private readonly channel: MessageChannel, private readonly gateway: OutboundGateway) {
    super();
  }

  /** Runs one turn for an inbound (or proactive) activity. */
  async runTurn(activity: Partial<Activity>, identity: TurnIdentity, outbound: Omit<OutboundContext, 'count' | 'outcomes'>, logic: (context: TurnContext) => Promise<void>): Promise<SendOutcome[]> {
    const context = new TurnContext(this, activity);
    const state: OutboundContext = { ...outbound, count: 0, outcomes: [] };
    context.turnState.set(TURN_IDENTITY, identity);
    context.turnState.set(OUTBOUND, state);
    await this.runMiddleware(context, logic);
    return state.outcomes;
  }

  /** What the gateway did with each message of this turn so far, in order. */
  outcomesOf(context: TurnContext): readonly SendOutcome[] {
    return (context.turnState.get(OUTBOUND) as OutboundContext).outcomes;
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const identity = identityOf(context);
    const outbound = context.turnState.get(OUTBOUND) as OutboundContext;
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type !== ActivityTypes.Message || !activity.text) {
        responses.push({ id: '' }); // typing and other non-message activities are not sent on these channels
        continue;
      }
      // Only replies can be urgent or a confirmation: a proactive turn keeps its consent and quiet-hours checks.
      const kind: OutboundKind = (outbound.kind === 'reply' && markedKind(activity.channelData)) || outbound.kind;
      const result = await this.gateway.send({
        channel: this.channel,
        address: identity.address,
        patientId: identity.patient?.id,
        text: activity.text,
        idempotencyKey: `${outbound.idempotencyPrefix}:${outbound.count++}`,
        kind,
        purpose: outbound.purpose,
      });
      outbound.outcomes.push(result);
      responses.push({ id: result.messageId });
    }
    return responses;
  }

  async updateActivity(): Promise<void> {
    throw new Error(`${this.channel} messages cannot be edited once sent`);
  }

  async deleteActivity(): Promise<void> {
    throw new Error(`${this.channel} messages cannot be deleted once sent`);
  }

  async continueConversation(_reference: Partial<ConversationReference>, _logic: (context: TurnContext) => Promise<void>): Promise<void> {
    throw new Error('use ProactiveMessenger, which knows the patient and the purpose');
  }
}
