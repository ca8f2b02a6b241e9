import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * fastify's per-request log lines, changed in two ways: one line per request, when it completes (with its
 * method and URL), instead of a second one when it arrives; and none for a request a limiter refused (the
 * error handler logs the first refusal of each client and window). A flood of refused requests, forged
 * webhooks or wrong keys past their budget, then writes no log line per request.
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (request.throttle && reply.statusCode === 429) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
