import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorStatus, type ErrorCode } from '../lib/errors.js';

const codeByStatus = new Map<number, ErrorCode>(
  (Object.entries(errorStatus) as [ErrorCode, number][]).filter(([code]) => code !== 'validation_failed').map(([code, status]) => [status, code]),
);

/**
 * The one error handler. Caller errors (AppError, fastify's own 4xx such as malformed JSON or an oversized
 * body, a CastError from a sanitized filter) are answered with their reason; anything else is ours: logged
 * once with its cause chain, answered with a generic 500 and never a stack trace. A limiter's refusal is
 * logged once per client and window (a warning), so a flood cannot grow the logs.
 */
export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, code, message, details } = describe(err);
  if (req.throttle && status === 429) {
    if (req.throttle.first) req.log.warn({ reason: req.throttle.reason }, 'throttling a client');
  } else if (status >= 500 && status !== 503) req.log.error({ err }, 'request failed');
  else req.log.info({ code, status }, 'request rejected');
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="careloop"');
  return reply.code(status).send({ error: details === undefined ? { code, message } : { code, message, details } });
}

function describe(err: FastifyError | Error): { status: number; code: ErrorCode; message: string; details?: unknown } {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message, details: err.details };
  if (err.name === 'CastError' || err.name === 'StrictModeError') return { status: 400, code: 'bad_request', message: 'invalid value in request' };
  const statusCode = (err as FastifyError).statusCode;
  if (statusCode && statusCode >= 400 && statusCode < 500) {
    const code = codeByStatus.get(statusCode) ?? 'bad_request';
    const message = err instanceof SyntaxError ? 'malformed JSON in request body' : err.message;
    return { status: statusCode, code, message };
  }
  return { status: 500, code: 'internal', message: 'internal error; it has been logged' };
}
