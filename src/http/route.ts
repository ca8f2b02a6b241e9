import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import type { Role } from '../domain/auth/keys.js';
import { AppError, validationFailed } from '../lib/errors.js';

/** What a route handler gets: validated input and the request, for the actor and audit notes. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: FastifyRequest;
  reply: FastifyReply;
}

/**
 * One API route: zod schemas validate the input and also generate the OpenAPI document, so nothing is
 * written twice. `roles` makes the route authenticated; every authenticated route is audited as `action`.
 */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  roles?: readonly Role[];
  action?: string;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  status?: number;
  response?: ZodType;
  handler(input: RouteInput<P, Q, B>): Promise<unknown>;
}

/** Route options carried in fastify's route config, read by the auth and audit hooks. */
export interface RouteConfig {
  roles?: readonly Role[];
  action?: string;
}

/** Registers routes on the server and remembers them for the OpenAPI document. */
export class RouteTable {
  readonly specs: RouteSpec[] = [];

  constructor(private readonly app: FastifyInstance) {}

  add<P, Q, B>(spec: RouteSpec<P, Q, B>): void {
    this.specs.push(spec as RouteSpec);
    const config: RouteConfig = { roles: spec.roles, action: spec.action };
    this.app.route({
      method: spec.method,
      url: spec.url,
      config,
      handler: async (req, reply) => {
        const input = {
          params: parse(spec.params, req.params, 'path parameters'),
          query: parse(spec.query, req.query, 'query string'),
          body: parse(spec.body, req.body, 'request body'),
          req,
          reply,
        } as RouteInput<P, Q, B>;
        const result = await spec.handler(input);
        if (reply.sent) return reply;
        return reply.code(spec.status ?? 200).send(result);
      },
    });
  }
}

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T | undefined {
  if (!schema) return undefined;
  if (where === 'request body' && (value === undefined || value === null)) {
    throw new AppError('validation_failed', 'expected a JSON request body');
  }
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw validationFailed(`invalid ${where}`, result.error);
}

/** The schema of every error response. */
export const errorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
