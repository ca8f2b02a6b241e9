import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Request, type Response, type TurnContext } from 'botbuilder';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isOptOutConfirmation, type CareLoopBot } from '../../bot/bot.js';
import type { Config } from '../../config/index.js';
import type { OutboundGateway } from '../../domain/messaging/gateway.js';
import type { MessageLog } from '../../domain/messaging/ports.js';
import { statusRank } from '../../domain/messaging/status.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, validationFailed } from '../../lib/errors.js';

export interface BotFrameworkDeps {
  config: Pick<Config, 'MICROSOFT_APP_ID' | 'MICROSOFT_APP_PASSWORD' | 'MICROSOFT_APP_TENANT_ID' | 'MICROSOFT_APP_TYPE'>;
  bot: CareLoopBot;
  gateway: OutboundGateway;
  messages: MessageLog;
  clock: Clock;
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const REPLY_COUNT = Symbol('careloop.replyCount');

/** The fields a turn needs; the rest of the Activity passes through to botbuilder as sent. */
const activitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().min(1).max(256).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  conversation: z.looseObject({ id: z.string().min(1).max(512) }),
  from: z.looseObject({ id: z.string().min(1).max(512) }),
  text: z.string().max(10_000).optional(),
});

/**
 * A caller on this machine, talking to us directly: the connection comes from a loopback address and carries no
 * forwarding header. A forwarded request may come from anywhere (a reverse proxy on this host forwards remote
 * clients), and the client address derived from X-Forwarded-For is only as good as TRUST_PROXY.
 */
function isLocalCaller(req: FastifyRequest): boolean {
  const forwarded = ['x-forwarded-for', 'forwarded', 'x-real-ip'].some((header) => req.headers[header] !== undefined);
  return !forwarded && LOOPBACK.has(req.socket.remoteAddress ?? '') && LOOPBACK.has(req.ip);
}

/** Replies of one turn are numbered across every send, so each gets its own idempotency key. */
function nextReplyNumber(context: TurnContext): number {
  const n = (context.turnState.get(REPLY_COUNT) as number | undefined) ?? 0;
  context.turnState.set(REPLY_COUNT, n + 1);
  return n;
}

/**
 * POST /api/messages: Bot Framework channel traffic (Teams and others via Azure Bot Service, or the Emulator)
 * through botbuilder's CloudAdapter, which verifies the channel's JWT when an app id is configured. Without
 * one, only local callers are accepted. Replies still pass the outbound gateway first (opt-out, record).
 */
export function botFrameworkRoutes(app: FastifyInstance, deps: BotFrameworkDeps): void {
  const { config } = deps;
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: config.MICROSOFT_APP_ID,
      MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD,
      MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID,
      MicrosoftAppType: config.MICROSOFT_APP_TYPE,
    }),
  );
  adapter.onTurnError = deps.onTurnError;
  adapter.use(async (context, next) => {
    context.onSendActivities(async (ctx, activities, send) => {
      const messageId = `botframework:${ctx.activity.id}`;
      for (const activity of [...activities]) {
        if (activity.type !== ActivityTypes.Message) continue;
        const outcome = await deps.gateway.send(
          {
            channel: 'botframework', address: ctx.activity.conversation.id, text: activity.text ?? '', idempotencyKey: `reply:${messageId}:${nextReplyNumber(ctx)}`,
            kind: isOptOutConfirmation(activity.channelData) ? 'opt_out_confirmation' : 'reply',
          },
          async () => ({ status: 'sent' }), // the connector sends it right after this hook
        );
        if (outcome.status === 'blocked' || outcome.status === 'duplicate') activities.splice(activities.indexOf(activity), 1);
      }
      // Nothing left to send (all blocked or already sent): the connector refuses an empty batch.
      return activities.length > 0 ? send() : [];
    });
    await next();
  });

  app.post('/api/messages', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!config.MICROSOFT_APP_ID && !isLocalCaller(req)) {
      throw new AppError('unauthorized', 'Bot Framework credentials are not configured: /api/messages accepts local traffic only');
    }
    const parsed = activitySchema.safeParse(req.body);
    if (!parsed.success) {
      throw validationFailed('invalid activity', parsed.error);
    }
    const captured = { status: 200, headers: {} as Record<string, string>, body: undefined as unknown };
    const res: Response = {
      socket: req.raw.socket,
      status(code: number) { captured.status = code; return res; },
      header(name: string, value: unknown) { captured.headers[name] = String(value); return res; },
      send(body?: unknown) { captured.body = body; return res; },
      end() { return res; },
    };
    const request: Request = { body: req.body as Record<string, unknown>, headers: req.headers, method: req.method };
    await adapter.process(request, res, async (context) => {
      const messageId = `botframework:${context.activity.id}`;
      if (context.activity.type === ActivityTypes.Message) {
        const now = deps.clock.now();
        const fresh = await deps.messages.insert({
          id: messageId, direction: 'inbound', channel: 'botframework', address: context.activity.conversation.id,
          text: context.activity.text ?? '', media: [], status: 'received', statusRank: statusRank('received'), createdAt: now, updatedAt: now,
        });
        if (!fresh) return; // a redelivered activity: already answered
      }
      await deps.bot.runAs(context, { channel: 'botframework', address: context.activity.conversation.id, messageId });
    });
    return reply.code(captured.status).headers(captured.headers).send(captured.body ?? '');
  });
}
