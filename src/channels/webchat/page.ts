import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Page settings; both appear in the HTML, escaped. */
export interface ChatPageOptions {
  clinicName: string;
  emergencyNumber: string;
}

/**
 * The official Web Chat bundle, located through the package rather than a fixed node_modules path (hoisting and
 * workspaces move it). The package's exports hide `dist/`, so resolve its entry and step to the bundle beside it.
 */
export function webChatBundlePath(): string {
  const entry = createRequire(import.meta.url).resolve('botframework-webchat');
  return path.resolve(path.dirname(entry), '..', 'dist', 'webchat.js');
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

/**
 * Registers `GET /chat` (the page), `GET /chat/app.js` (ours) and `GET /chat/webchat.js` (the official bundle,
 * cached for a year under a content-hash URL, gzipped when the browser accepts it: it is 3.9 MB raw and
 * patients are on cheap phones and metered data).
 */
export async function registerChatPage(app: FastifyInstance, options: ChatPageOptions): Promise<void> {
  if (!/^[0-9+*#]{2,15}$/.test(options.emergencyNumber)) throw new Error('emergencyNumber must be a number to dial, such as 911');
  const bundle = await readFile(webChatBundlePath());
  const version = createHash('sha256').update(bundle).digest('hex').slice(0, 16);
  let gzipped: Promise<Buffer> | undefined;

  app.get('/chat', async (_req, reply) => {
    // A fresh nonce per response lets our own <style> and Web Chat's generated styles in, and nothing else inline.
    const nonce = randomBytes(16).toString('base64');
    return securePage(reply, nonce).type('text/html; charset=utf-8').send(renderPage(options, nonce, version));
  });

  app.get('/chat/app.js', async (_req, reply) =>
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').type('text/javascript; charset=utf-8').send(APP_JS),
  );

  app.get('/chat/webchat.js', async (req, reply) => {
    reply.header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding').header('x-content-type-options', 'nosniff');
    reply.type('text/javascript; charset=utf-8');
    if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.send(bundle);
    gzipped ??= promisify(gzip)(bundle, { level: 9 });
    return reply.header('content-encoding', 'gzip').send(await gzipped);
  });
}

/**
 * SHA-256 of the empty string. react-scroll-to-bottom (inside Web Chat) creates its emotion sheet without the
 * nonce: an empty <style> filled through CSSOM, which CSP does not police. Allowing only empty inline styles
 * lets it work (measured in Chromium: otherwise its sheet is blocked) while injected CSS text stays blocked.
 */
const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

function securePage(reply: FastifyReply, nonce: string): FastifyReply {
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}' ${EMPTY_STYLE_HASH}`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    "object-src 'none'",
  ].join('; ');
  return reply
    .header('content-security-policy', csp)
    .header('cache-control', 'no-store')
    // The patient link rides in the URL: never send it onwards as a referrer.
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
}

function renderPage({ clinicName, emergencyNumber }: ChatPageOptions, nonce: string, version: string): string {
  const clinic = escapeHtml(clinicName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Chat with ${clinic}</title>
<style nonce="${nonce}">
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font: 18px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff; }
header { padding: 8px 16px; border-bottom: 1px solid #ccc; }
h1 { font-size: 1.2rem; margin: 0; }
.emergency { margin: 4px 0 0; padding: 6px 10px; background: #fff3cd; border-left: 4px solid #b00020; font-weight: 600; }
.emergency a { color: #b00020; }
#chat-status:empty { display: none; }
#chat-status { margin: 0; padding: 8px 16px; background: #eef4fb; }
main { flex: 1; min-height: 0; }
</style>
</head>
<body>
<header>
<h1>${clinic}</h1>
<p class="emergency" id="emergency">In an emergency call <a href="tel:${emergencyNumber}">${emergencyNumber}</a></p>
</header>
<p id="chat-status" role="status" aria-live="polite"></p>
<main id="webchat" aria-label="Chat with ${clinic}"></main>
<noscript><p>This chat needs JavaScript. In an emergency call ${emergencyNumber}.</p></noscript>
<script src="/chat/webchat.js?v=${version}" defer></script>
<script src="/chat/app.js" nonce="${nonce}" defer></script>
</body>
</html>
`;
}

/** Our page script: static text, nothing from the request goes into it. */
const APP_JS = `'use strict';
(function () {
  var nonce = document.currentScript && document.currentScript.nonce;
  var status = document.getElementById('chat-status');
  var link = new URLSearchParams(location.search).get('link');
  // Keep the personal link out of the address bar, history and screenshots once read.
  if (link) history.replaceState(null, '', location.pathname);

  fetch('/chat/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(link ? { link: link } : {}),
    credentials: 'same-origin',
    cache: 'no-store'
  })
    .then(function (res) {
      if (!res.ok) throw new Error('token request failed with ' + res.status);
      return res.json();
    })
    .then(function (session) {
      if (session.linkStatus === 'expired') {
        status.textContent = 'This chat link has expired. You can still chat, but we do not know who you are, so please do not share personal details.';
      }
      var directLine = window.WebChat.createDirectLine({
        token: session.token,
        domain: location.origin + '/v3/directline',
        webSocket: false,
        pollingInterval: 1000
      });
      directLine.connectionStatus$.subscribe(function (connectionStatus) {
        // 3 is ExpiredToken: the server refused the token (403) and a refresh cannot help.
        if (connectionStatus !== 3) return;
        if (session.linkStatus !== 'linked') {
          status.textContent = 'This chat has ended. Reload the page to start a new one.';
          return;
        }
        // A patient's session ended: stop, and take the conversation off the screen (it may be a shared phone).
        directLine.end();
        var chat = document.getElementById('webchat');
        if (chat) chat.remove();
        status.textContent = 'Your chat session has ended. To keep chatting, open your chat link again, or ask the clinic for a new one.';
      });
      window.WebChat.renderWebChat({
        directLine: directLine,
        nonce: nonce,
        locale: navigator.language || 'en-US',
        styleOptions: {
          primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
          fontSizeSmall: '80%',
          bubbleMaxWidth: 600,
          bubbleMinHeight: 44,
          bubbleBorderRadius: 8,
          bubbleFromUserBorderRadius: 8,
          bubbleFromUserBackground: '#e3eefc',
          sendBoxHeight: 56,
          sendBoxTextWrap: true,
          sendBoxButtonColor: '#0b5cad',
          suggestedActionHeight: 44,
          suggestedActionLayout: 'stacked',
          hideUploadButton: true
        }
      }, document.getElementById('webchat'));
    })
    .catch(function () {
      status.textContent = 'The chat is not available right now. Please try again later.';
    });
})();
`;
