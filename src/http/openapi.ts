import { z } from 'zod';
import { errorResponseSchema, type RouteSpec } from './route.js';

/** OpenAPI 3.1 document generated from the routes' zod schemas. */
export function buildOpenApi(specs: RouteSpec[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const path = spec.url.replace(/:(\w+)/g, '{$1}');
    const parameters = [...toParameters(spec.params, 'path'), ...toParameters(spec.query, 'query')];
    const errors = Object.fromEntries(
      (spec.roles ? ['400', '401', '403', '404', '409', '413', '422', '429'] : ['400']).map((status) => [
        status,
        { description: 'error', content: { 'application/json': { schema: jsonSchema(errorResponseSchema) } } },
      ]),
    );
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.roles ? { security: [{ apiKey: [] }], 'x-roles': spec.roles } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body) } } } } : {}),
      responses: {
        [String(spec.status ?? 200)]: {
          description: 'success',
          ...(spec.response ? { content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } } } : {}),
        },
        ...errors,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'CareLoop API', version: info.version, description: 'Admin and integration API. Authenticate with `Authorization: Bearer <key>`.' },
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A CareLoop API key (clk_...)' } } },
    paths,
  };
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function toParameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (!schema) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}
