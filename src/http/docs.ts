import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Swagger UI's own files, located through the package (hoisting can move it). swagger-ui-dist is the prebuilt
 * Swagger UI from SmartBear: one script and one stylesheet, no web fonts, no CDN, and a "Try it out" console
 * that sends the API key as `Authorization: Bearer`.
 */
function swaggerUiDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

/**
 * Nothing leaves this server: scripts, styles and calls from the page go to our own origin; the stylesheet's
 * icons are data: URLs. No inline script (the page's setup is /docs/init.js).
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Registers the API documentation: `GET /docs` is Swagger UI for people (browsers ask for text/html) and the
 * OpenAPI document for programs (anything else, as before); `GET /docs/openapi.json` is always the document.
 * Swagger UI's files are read once, here, and served under /docs/ with a version in the URL.
 */
export async function registerDocs(app: FastifyInstance, openapi: Record<string, unknown>): Promise<void> {
  const dir = swaggerUiDir();
  const [script, stylesheet, manifest] = await Promise.all([
    readFile(path.join(dir, 'swagger-ui-bundle.js')),
    readFile(path.join(dir, 'swagger-ui.css')),
    readFile(path.join(dir, 'package.json'), 'utf8'),
  ]);
  const version = encodeURIComponent((JSON.parse(manifest) as { version: string }).version);
  const page = renderPage(version);

  app.get('/docs', async (req, reply) => {
    reply.header('vary', 'accept');
    if (!wantsHtml(req)) return openapi;
    return reply
      .header('content-security-policy', CSP)
      .header('cache-control', 'no-cache')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .type('text/html; charset=utf-8')
      .send(page);
  });
  app.get('/docs/openapi.json', async () => openapi);
  app.get('/docs/init.js', async (_req, reply) => asset(reply, 'text/javascript', INIT_JS, 'no-cache'));
  app.get('/docs/swagger-ui-bundle.js', async (_req, reply) => asset(reply, 'text/javascript', script));
  app.get('/docs/swagger-ui.css', async (_req, reply) => asset(reply, 'text/css', stylesheet));
}

/** Browsers ask for text/html first; curl (any), fetch and API clients get JSON as before. */
function wantsHtml(req: FastifyRequest): boolean {
  const accept = String(req.headers.accept ?? '');
  return accept.includes('text/html') && !accept.includes('application/json');
}

/** The library's files change only with its version, which is in their URL: cache them for a year. */
function asset(reply: FastifyReply, type: string, body: Buffer | string, cache = 'public, max-age=31536000, immutable'): FastifyReply {
  return reply.header('cache-control', cache).header('x-content-type-options', 'nosniff').type(`${type}; charset=utf-8`).send(body);
}

function renderPage(version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>CareLoop API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css?v=${version}">
</head>
<body>
<div id="swagger-ui"></div>
<noscript><p>This page needs JavaScript. The OpenAPI document is at <a href="/docs/openapi.json">/docs/openapi.json</a>.</p></noscript>
<script src="/docs/swagger-ui-bundle.js?v=${version}" defer></script>
<script src="/docs/init.js" defer></script>
</body>
</html>
`;
}

/**
 * Our page script. validatorUrl null: Swagger UI would otherwise show a badge fetched from validator.swagger.io.
 * The API key typed into "Authorize" stays in the page's memory (persistAuthorization is off).
 */
const INIT_JS = `'use strict';
window.ui = SwaggerUIBundle({
  url: '/docs/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout'
});
`;
