import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Azure OpenAI chat completions, as the real `AzureOpenAI` client (openai v6) calls it:
 * POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version={version}, JSON body,
 * `api-key` header. It answers with the Chat Completions shape (id, object, created, model, choices[0].message,
 * finish_reason, usage) and Azure's error shape `{ error: { code, message } }`.
 */
export interface FakeAzureOpenAI {
  /** The endpoint to configure, e.g. http://127.0.0.1:40123 (the client appends /openai). */
  readonly url: string;
  /** Every request received, oldest first (also rejected ones). */
  readonly requests: RecordedRequest[];
  /** The JSON the default behaviour returns for extraction requests (any schema other than grounded_answer). */
  extractionResult: unknown;
  /** Delay before every answer, to play a slow model (the client's timeout then fires). */
  latencyMs: number;
  /** Replace the default behaviour for every following request; `undefined` restores it. */
  respondWith(handler: FakeHandler | undefined): void;
  /** Forgets requests, handler, extraction result and latency. */
  reset(): void;
  close(): Promise<void>;
}

/** What the fake needs to accept a request. */
export interface FakeAzureOpenAIOptions {
  /** Only this `api-key` is accepted (401 otherwise). */
  apiKey: string;
  /** Only this deployment exists (404 DeploymentNotFound otherwise). */
  deployment: string;
}

/** The request body fields a test looks at; everything else is kept in `raw`. */
export interface ChatRequest {
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
  temperature?: number;
  max_tokens?: number;
  model?: string;
  raw: Record<string, unknown>;
}

/** One HTTP request as received. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** The `api-version` query parameter. */
  apiVersion: string | null;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, when it was one. */
  body?: ChatRequest;
}

/**
 * What a handler returns:
 * - a string: the assistant message content (for structured output, a JSON string), finish_reason "stop";
 * - `{ status, body }`: that HTTP answer, `body` JSON-encoded unless it is a string (send malformed JSON that way);
 * - `{ refusal }`: a structured-output refusal (content null, message.refusal set);
 * - `{ content, finishReason }`: a completion with another finish_reason ("length", "content_filter").
 */
export type FakeReply =
  | string
  | { status: number; body: unknown; headers?: Record<string, string> }
  | { refusal: string }
  | { content: string | null; finishReason: 'stop' | 'length' | 'content_filter' };

/** Programs the fake's answers. */
export type FakeHandler = (request: ChatRequest) => FakeReply | Promise<FakeReply>;

const PATH = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;

/** Starts the fake on 127.0.0.1 on a free port. */
export async function startFakeAzureOpenAI(options: FakeAzureOpenAIOptions): Promise<FakeAzureOpenAI> {
  let handler: FakeHandler | undefined;
  const pendingTimers = new Set<NodeJS.Timeout>();
  const fake = {
    url: '',
    requests: [] as RecordedRequest[],
    extractionResult: {} as unknown,
    latencyMs: 0,
    respondWith(next: FakeHandler | undefined) {
      handler = next;
    },
    reset() {
      fake.requests.length = 0;
      fake.extractionResult = {};
      fake.latencyMs = 0;
      handler = undefined;
    },
    close: async () => {
      for (const timer of pendingTimers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        resolve();
      }, ms);
      pendingTimers.add(timer);
    });

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, { error: { code: 'FakeError', message: String(error) } });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const rawBody = await readBody(req);
    const recorded: RecordedRequest = { method: req.method ?? '', path: url.pathname, apiVersion: url.searchParams.get('api-version'), headers: req.headers };
    fake.requests.push(recorded);
    const match = PATH.exec(url.pathname);
    if (req.method !== 'POST' || !match) return send(res, 404, { error: { code: '404', message: 'Resource not found' } });
    if (!recorded.apiVersion) return send(res, 404, { error: { code: '404', message: 'Resource not found' } });
    if (req.headers['api-key'] !== options.apiKey) {
      return send(res, 401, { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } });
    }
    if (decodeURIComponent(match[1] ?? '') !== options.deployment) {
      return send(res, 404, { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } });
    }
    let body: ChatRequest;
    try {
      const raw = JSON.parse(rawBody) as Record<string, unknown>;
      body = { ...(raw as Omit<ChatRequest, 'raw'>), raw };
    } catch {
      return send(res, 400, { error: { code: 'BadRequest', message: 'The request body is not JSON.' } });
    }
    recorded.body = body;
    const reply = await (handler ?? defaultHandler)(body);
    if (fake.latencyMs > 0) await sleep(fake.latencyMs);
    if (gone(res)) return; // the client gave up (timeout)
    if (typeof reply === 'string') return send(res, 200, completion(body, reply, 'stop'));
    if ('status' in reply) return send(res, reply.status, reply.body, reply.headers);
    if ('refusal' in reply) return send(res, 200, completion(body, null, 'stop', reply.refusal));
    return send(res, 200, completion(body, reply.content, reply.finishReason));
  }

  /** Grounded answers: the first passage, cited; extraction: the configured JSON. */
  function defaultHandler(request: ChatRequest): string {
    if (request.response_format?.json_schema?.name !== 'grounded_answer') return JSON.stringify(fake.extractionResult);
    const user = request.messages.find((message) => message.role === 'user')?.content ?? '';
    const first = /<passage [^>]*id=("(?:[^"\\]|\\.)*")[^>]*>\n([\s\S]*?)\n<\/passage>/.exec(user);
    if (!first?.[1]) return JSON.stringify({ answer: '', citedIds: [], refusal: 'out_of_scope' });
    const id = JSON.parse(first[1]) as string;
    const firstSentence = (first[2] ?? '').split(/(?<=[.!?])\s/)[0] ?? '';
    return JSON.stringify({ answer: firstSentence, citedIds: [id], refusal: null });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function completion(request: ChatRequest, content: string | null, finishReason: string, refusal: string | null = null) {
  return {
    id: `chatcmpl-${randomBytes(12).toString('hex')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: 'gpt-4o-2024-08-06',
    system_fingerprint: 'fp_fake',
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal },
        finish_reason: finishReason,
        logprobs: null,
        content_filter_results: {},
      },
    ],
    usage: {
      prompt_tokens: Math.ceil(JSON.stringify(request.messages).length / 4),
      completion_tokens: Math.ceil((content ?? refusal ?? '').length / 4),
      total_tokens: Math.ceil(JSON.stringify(request.messages).length / 4) + Math.ceil((content ?? refusal ?? '').length / 4),
    },
  };
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (gone(res) || res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'apim-request-id': randomBytes(8).toString('hex'), ...headers });
  res.end(text);
}

function gone(res: http.ServerResponse): boolean {
  return res.destroyed || !res.socket || res.socket.destroyed;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
