import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, AzureOpenAI } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import type { Config } from '../../config/index.js';
import type { Logger } from '../../lib/logger.js';
import { looksLikeDosingQuestion, looksLikePromptInjection } from './guards.js';
import {
  buildGroundedUserMessage,
  checkGroundedAnswer,
  GROUNDED_SCHEMA_NAME,
  GROUNDED_SYSTEM_PROMPT,
  groundedAnswerSchema,
  MAX_PASSAGES,
  MAX_QUESTION_CHARS,
  type GroundedAnswer,
  type Passage,
} from './grounded.js';

export { looksLikeDosingQuestion, looksLikePromptInjection } from './guards.js';
export { GROUNDED_SYSTEM_PROMPT, MAX_ANSWER_CHARS, type GroundedAnswer, type Passage, type RefusalReason } from './grounded.js';

/** What {@link LanguageModel} needs; it comes from the parsed config, never from the environment directly. */
export interface LanguageModelConfig {
  /** The resource URL, e.g. https://my-resource.openai.azure.com (AZURE_OPENAI_ENDPOINT). */
  endpoint?: string;
  /** The resource key (AZURE_OPENAI_API_KEY); sent as the `api-key` header, never logged. */
  apiKey?: string;
  /** The model deployment to call (AZURE_OPENAI_DEPLOYMENT). */
  deployment?: string;
  /** The data-plane API version (AZURE_OPENAI_API_VERSION), e.g. 2024-10-21. */
  apiVersion?: string;
  /** Give up on one call after this long; default 8 s. A patient is waiting and a deterministic path exists. */
  timeoutMs?: number;
  /** Retries on 429/5xx/network errors; default 0, for the same reason. Each retry gets its own timeout. */
  maxRetries?: number;
  /** Where failures are reported: a reason category and the schema name, never prompt or model text. */
  logger?: Pick<Logger, 'warn'>;
}

/** Options for one structured extraction. */
export interface ExtractJsonOptions<T> {
  system: string;
  user: string;
  /** Validates the model output; it must be representable in strict mode (no `.optional()` without `.nullable()`). */
  schema: z.ZodType<T>;
  /** The json_schema name sent to the API: letters, digits, `_` and `-`. */
  schemaName: string;
  /** Upper bound on generated tokens; default 800. */
  maxTokens?: number;
}

/** Why a call gave no usable output; logged as is (it carries no PHI). */
type FailureReason =
  | 'timeout' | 'connection' | 'rate_limited' | 'http_error' | 'content_filter'
  | 'refusal' | 'truncated' | 'empty' | 'invalid_json' | 'schema_mismatch';

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: FailureReason; httpStatus?: number };

const DEFAULT_TIMEOUT_MS = 8000;
const DEFAULT_MAX_TOKENS = 800;
const GROUNDED_MAX_TOKENS = 600;

/**
 * Azure OpenAI chat completions behind two narrow calls. It helps extract and phrase; it never decides anything
 * about safety, and every failure comes back as "no result" so the caller takes its deterministic path.
 */
export class LanguageModel {
  readonly #client: AzureOpenAI;
  readonly #deployment: string;
  readonly #logger: Pick<Logger, 'warn'> | undefined;
  readonly #formats = new WeakMap<object, ReturnType<typeof strictResponseFormat>>();

  /** @throws Error naming every missing or malformed setting (values, and the key above all, are never echoed). */
  constructor(config: LanguageModelConfig) {
    const valid = validateConfig(config);
    this.#deployment = valid.deployment;
    this.#logger = config.logger;
    this.#client = new AzureOpenAI({
      // baseURL rather than `endpoint`: the library would otherwise let OPENAI_BASE_URL in the environment
      // override (or clash with) our configured resource, and patient text must only go where config says.
      baseURL: `${valid.endpoint.replace(/\/+$/, '')}/openai`,
      apiKey: valid.apiKey,
      deployment: valid.deployment,
      apiVersion: valid.apiVersion,
      timeout: valid.timeoutMs,
      maxRetries: valid.maxRetries,
      // Explicit values keep OPENAI_ORG_ID / OPENAI_PROJECT_ID / OPENAI_LOG from the environment out: at "debug"
      // the library would log request bodies, which hold patient text.
      organization: null,
      project: null,
      logLevel: 'off',
    });
  }

  /**
   * Creates a model from CareLoop's config, or returns undefined when none of the Azure OpenAI variables is set
   * (every feature then runs on its deterministic path).
   *
   * @throws Error when the settings are only partly given.
   */
  static fromConfig(config: Pick<Config, 'AZURE_OPENAI_ENDPOINT' | 'AZURE_OPENAI_API_KEY' | 'AZURE_OPENAI_DEPLOYMENT' | 'AZURE_OPENAI_API_VERSION'>, options: Pick<LanguageModelConfig, 'timeoutMs' | 'maxRetries' | 'logger'> = {}): LanguageModel | undefined {
    if (!config.AZURE_OPENAI_ENDPOINT && !config.AZURE_OPENAI_API_KEY && !config.AZURE_OPENAI_DEPLOYMENT) return undefined;
    return new LanguageModel({
      endpoint: config.AZURE_OPENAI_ENDPOINT,
      apiKey: config.AZURE_OPENAI_API_KEY,
      deployment: config.AZURE_OPENAI_DEPLOYMENT,
      apiVersion: config.AZURE_OPENAI_API_VERSION,
      ...options,
    });
  }

  /**
   * Asks for JSON matching `schema` (strict structured output, temperature 0) and validates it with the same schema.
   *
   * @returns the parsed value, or undefined on timeout, HTTP error, refusal, content filter, truncation, invalid
   *   JSON or a schema mismatch (the reason is logged without PHI).
   * @throws Error only for a programming error: a schema that strict mode cannot express.
   */
  async extractJson<T>(options: ExtractJsonOptions<T>): Promise<T | undefined> {
    const outcome = await this.#complete(options);
    return outcome.ok ? outcome.value : undefined;
  }

  /**
   * Answers a patient's question from the given passages only, or says why not. Injection-like and dosing
   * questions are refused before any call; the model's answer is then checked in code (citations, length,
   * numbers). A `refused` result never carries model text.
   */
  async answerFromPassages(question: string, passages: Passage[]): Promise<GroundedAnswer> {
    if (looksLikePromptInjection(question)) return { status: 'refused', reason: 'injection' };
    if (looksLikeDosingQuestion(question)) return { status: 'refused', reason: 'dosing' };
    const usable = passages.filter((passage) => passage.id.trim() !== '' && passage.text.trim() !== '').slice(0, MAX_PASSAGES);
    if (usable.length === 0 || question.trim() === '' || question.length > MAX_QUESTION_CHARS) {
      return { status: 'refused', reason: 'out_of_scope' };
    }
    const outcome = await this.#complete({
      system: GROUNDED_SYSTEM_PROMPT,
      user: buildGroundedUserMessage(question, usable),
      schema: groundedAnswerSchema,
      schemaName: GROUNDED_SCHEMA_NAME,
      maxTokens: GROUNDED_MAX_TOKENS,
    });
    if (!outcome.ok) return { status: 'refused', reason: 'unavailable' };
    return checkGroundedAnswer(outcome.value, usable);
  }

  async #complete<T>(options: ExtractJsonOptions<T>): Promise<Outcome<T>> {
    const responseFormat = this.#responseFormat(options.schema, options.schemaName);
    const outcome = await this.#call(options, responseFormat);
    if (!outcome.ok) {
      const { reason, httpStatus } = outcome;
      this.#logger?.warn({ schemaName: options.schemaName, reason, ...(httpStatus && { httpStatus }) }, 'language model gave no usable result; using the deterministic path');
    }
    return outcome;
  }

  async #call<T>(options: ExtractJsonOptions<T>, responseFormat: ReturnType<typeof strictResponseFormat>): Promise<Outcome<T>> {
    let completion;
    try {
      completion = await this.#client.chat.completions.create({
        model: this.#deployment,
        messages: [
          { role: 'system', content: options.system },
          { role: 'user', content: options.user },
        ],
        response_format: responseFormat,
        temperature: 0,
        max_tokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
      });
    } catch (error) {
      return toFailure(error);
    }
    const choice = completion.choices[0];
    if (!choice) return { ok: false, reason: 'empty' };
    if (choice.message.refusal) return { ok: false, reason: 'refusal' };
    if (choice.finish_reason === 'content_filter') return { ok: false, reason: 'content_filter' };
    if (choice.finish_reason === 'length') return { ok: false, reason: 'truncated' };
    const content = choice.message.content;
    if (!content) return { ok: false, reason: 'empty' };
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch {
      return { ok: false, reason: 'invalid_json' };
    }
    const parsed = options.schema.safeParse(json);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: 'schema_mismatch' };
  }

  #responseFormat(schema: z.ZodType, name: string): ReturnType<typeof strictResponseFormat> {
    let format = this.#formats.get(schema);
    if (!format || format.json_schema.name !== name) {
      format = strictResponseFormat(schema, name);
      this.#formats.set(schema, format);
    }
    return format;
  }
}

/**
 * The `response_format` for strict structured output. The openai package's zod helper handles zod 4: it runs
 * `z.toJSONSchema` (draft-7) and then the library's own strict-mode transform (every property required, every
 * object `additionalProperties: false`, unsupported keywords and `.optional()`-without-`.nullable()` rejected).
 * Only the plain JSON is kept; the helper's auto-parse hooks are not used, the schema validates in #call.
 */
export function strictResponseFormat(schema: z.ZodType, name: string) {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new Error('schemaName must be 1-64 letters, digits, _ or -');
  const { json_schema: jsonSchema } = zodResponseFormat(schema, name);
  return {
    type: 'json_schema' as const,
    json_schema: { name, strict: true, schema: jsonSchema.schema ?? {} },
  };
}

function toFailure(error: unknown): Outcome<never> {
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) return { ok: false, reason: 'timeout' };
  if (error instanceof APIConnectionError) return { ok: false, reason: 'connection' };
  if (error instanceof APIError && typeof error.status === 'number') {
    const httpStatus = error.status;
    // Azure answers a prompt its content filter blocks with 400 and code content_filter.
    if (error.code === 'content_filter') return { ok: false, reason: 'content_filter', httpStatus };
    return { ok: false, reason: httpStatus === 429 ? 'rate_limited' : 'http_error', httpStatus };
  }
  return { ok: false, reason: 'connection' };
}

interface ValidConfig {
  endpoint: string;
  apiKey: string;
  deployment: string;
  apiVersion: string;
  timeoutMs: number;
  maxRetries: number;
}

function validateConfig(config: LanguageModelConfig): ValidConfig {
  const problems: string[] = [];
  const { endpoint, apiKey, deployment, apiVersion, timeoutMs = DEFAULT_TIMEOUT_MS, maxRetries = 0 } = config;
  if (!endpoint) problems.push('AZURE_OPENAI_ENDPOINT (endpoint) is missing');
  else if (!URL.canParse(endpoint) || !['http:', 'https:'].includes(new URL(endpoint).protocol)) problems.push('AZURE_OPENAI_ENDPOINT (endpoint) must be an http(s) URL');
  if (!apiKey) problems.push('AZURE_OPENAI_API_KEY (apiKey) is missing');
  if (!deployment) problems.push('AZURE_OPENAI_DEPLOYMENT (deployment) is missing');
  else if (!/^[\w.-]{1,64}$/.test(deployment)) problems.push('AZURE_OPENAI_DEPLOYMENT (deployment) must be a deployment name');
  if (!apiVersion) problems.push('AZURE_OPENAI_API_VERSION (apiVersion) is missing');
  else if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(apiVersion)) problems.push('AZURE_OPENAI_API_VERSION (apiVersion) must look like 2024-10-21');
  if (!(Number.isInteger(timeoutMs) && timeoutMs > 0)) problems.push('timeoutMs must be a positive integer');
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0 && maxRetries <= 5)) problems.push('maxRetries must be an integer from 0 to 5');
  if (problems.length > 0 || !endpoint || !apiKey || !deployment || !apiVersion) {
    throw new Error(`Azure OpenAI is misconfigured: ${problems.join('; ')}`);
  }
  return { endpoint, apiKey, deployment, apiVersion, timeoutMs, maxRetries };
}
