import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) =>
  z.coerce.number({ error: `expected an integer from ${min} to ${max}` }).int(`expected an integer from ${min} to ${max}`)
    .min(min, `expected an integer from ${min} to ${max}`).max(max, `expected an integer from ${min} to ${max}`);

/**
 * Every environment variable CareLoop reads, in one schema. `.env.example` mirrors it line by line.
 * Empty values count as unset, so `MONGODB_URI=` in a .env file means "use the embedded database".
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production'], { error: 'expected development, test or production' }).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected fatal, error, warn, info, debug, trace or silent' }).default('info'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: int(0, 65535).default(3000),
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://careloop.example.org' }).optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'expected a mongodb:// or mongodb+srv:// connection string')
      .optional(),
    MONGODB_DB_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected a database name (letters, digits, _ or -)').default('careloop'),
    DB_MAX_POOL_SIZE: int(1, 500).default(10),
    FERRETDB_BACKEND: z.enum(['sqlite', 'postgresql'], { error: 'expected sqlite or postgresql' }).default('sqlite'),
    FERRETDB_POSTGRESQL_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// URL').optional(),
    FERRETDB_BIN: z.string().min(1).optional(),
    BODY_LIMIT_BYTES: int(1024, 10 * 1024 * 1024).default(100 * 1024),
    RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(300),
    TRUST_PROXY: bool.default(false),
    SHUTDOWN_TIMEOUT_MS: int(100, 120_000).default(10_000),

    // Conversations
    CLINIC_NAME: z.string().min(1).max(80).default('your clinic'),
    CLINIC_PHONE: z.string().min(3).max(30).optional(),
    EMERGENCY_NUMBER: z.string().regex(/^[0-9+*#]{2,15}$/, 'expected a phone number to dial, such as 911 or 112').default('911'),
    CRISIS_LINE: z.string().regex(/^[0-9+*#]{2,15}$/, 'expected a number to call or text, such as 988').default('988'),
    /** Signs web chat tokens and patient links; several instances must share it. */
    WEBCHAT_SECRET: z.string().min(32, 'expected at least 32 characters of random secret').optional(),
    WEBCHAT_LINK_TTL_HOURS: int(1, 24 * 30).default(72),
    /** Proactive messages wait outside these local hours of the patient; replies are never held. */
    QUIET_HOURS: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM-HH:MM such as 21:00-08:00').default('21:00-08:00'),

    // Twilio
    TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected an Account SID: AC followed by 32 hex characters').optional(),
    TWILIO_AUTH_TOKEN: z.string().min(16, 'expected the account auth token').optional(),
    TWILIO_FROM: z.string().regex(/^\+[1-9]\d{7,14}$/, 'expected an E.164 phone number').optional(),
    TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'expected a Messaging Service SID: MG followed by 32 hex characters').optional(),
    TWILIO_API_BASE_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),

    // Azure OpenAI (optional): helps extract symptoms from messy text and phrase cited education answers;
    // it never decides a disposition. Without it every feature runs on its deterministic path.
    AZURE_OPENAI_ENDPOINT: z.url({ protocol: /^https?$/, error: 'expected the resource URL, e.g. https://my-resource.openai.azure.com' }).optional(),
    AZURE_OPENAI_API_KEY: z.string().min(8, 'expected the resource key').optional(),
    AZURE_OPENAI_DEPLOYMENT: z.string().regex(/^[\w.-]{1,64}$/, 'expected a deployment name').optional(),
    AZURE_OPENAI_API_VERSION: z.string().regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'expected an API version such as 2024-10-21').default('2024-10-21'),

    // Bot Framework channels (Teams and others through Azure Bot Service); empty: /api/messages is local only
    MICROSOFT_APP_ID: z.string().optional(),
    MICROSOFT_APP_PASSWORD: z.string().optional(),
    MICROSOFT_APP_TENANT_ID: z.string().optional(),
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], { error: 'expected MultiTenant, SingleTenant or UserAssignedMSI' }).default('MultiTenant'),
  });

/** CareLoop's parsed configuration. */
export type Config = z.output<typeof configSchema>;
