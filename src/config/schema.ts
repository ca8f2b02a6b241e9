import { isIP } from 'node:net';
import { z } from 'zod';

const isProxyAddress = (entry: string): boolean => {
  const [address = '', prefix, extra] = entry.split('/');
  const version = isIP(address);
  return version !== 0 && extra === undefined && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128)));
};
/**
 * TRUST_PROXY: false (X-Forwarded-For is ignored), a hop count, or the proxies' addresses and CIDRs (fastify's
 * trustProxy as number or list). `true` is refused: trusting every hop lets any client choose its own address.
 */
const trustProxy = z.string().transform((value, ctx): false | number | string[] => {
  if (['false', 'no', '0'].includes(value)) return false;
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (/^\d+$/.test(value) && Number(value) <= 10) return Number(value);
  if (entries.length > 0 && entries.every(isProxyAddress)) return entries;
  ctx.addIssue({
    code: 'custom',
    message: ['true', 'yes'].includes(value)
      ? 'true would trust every X-Forwarded-For hop, so any client could choose its own address: give the number of proxies in front of CareLoop (e.g. 1) or their addresses (e.g. 10.0.0.5,10.1.0.0/16)'
      : 'expected false, a hop count from 1 to 10, or proxy addresses and CIDRs separated by commas (e.g. 10.0.0.5,10.1.0.0/16)',
  });
  return z.NEVER;
});
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
    /** Failed authentications (missing or wrong API key, forged webhook signature) per address per minute. */
    AUTH_FAILURES_PER_MINUTE: int(1, 10_000).default(20),
    TRUST_PROXY: trustProxy.default(false),
    SHUTDOWN_TIMEOUT_MS: int(100, 120_000).default(10_000),
    /** on: `npm start` runs the schedules beside the API; off: API only (schedules run in `npm run worker`). */
    SCHEDULER: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),

    // Audit
    /** Signs every audit event (HMAC-SHA256), outside the database; several instances must share it. */
    AUDIT_KEY: z.string().min(32, 'expected at least 32 characters of random secret').optional(),
    /** Retired audit keys, comma-separated: they only verify the events they signed. */
    AUDIT_PREVIOUS_KEYS: z
      .string()
      .transform((value) => value.split(',').map((key) => key.trim()).filter((key) => key !== ''))
      .pipe(z.array(z.string().min(32, 'expected keys of at least 32 characters, separated by commas')))
      .optional(),

    // Conversations
    CLINIC_NAME: z.string().min(1).max(80).default('your clinic'),
    CLINIC_PHONE: z.string().min(3).max(30).optional(),
    EMERGENCY_NUMBER: z.string().regex(/^[0-9+*#]{2,15}$/, 'expected a phone number to dial, such as 911 or 112').default('911'),
    CRISIS_LINE: z.string().regex(/^[0-9+*#]{2,15}$/, 'expected a number to call or text, such as 988').default('988'),
    /** Signs web chat tokens and patient links; several instances must share it. */
    WEBCHAT_SECRET: z.string().min(32, 'expected at least 32 characters of random secret').optional(),
    WEBCHAT_LINK_TTL_HOURS: int(1, 24 * 30).default(72),
    /** A chat opened from a patient link ends this long after it opened, or when the link expires if sooner. */
    WEBCHAT_SESSION_MAX_HOURS: int(1, 24 * 30).default(8),
    /** Proactive messages wait outside these local hours of the patient; replies are never held. */
    QUIET_HOURS: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM-HH:MM such as 21:00-08:00').default('21:00-08:00'),
    /** Replies one number can get by SMS per minute; then one notice, and emergency and crisis replies only. */
    SMS_REPLIES_PER_MINUTE: int(1, 1000).default(10),

    // Scheduler (outreach jobs: reminders, check-ins, escalation steps)
    /** A job found more than this late (downtime) is marked expired, never sent hours late. */
    CATCHUP_WINDOW_MINUTES: int(1, 7 * 24 * 60).default(120),
    /** How long an instance holds the jobs it claimed; after that another instance takes them over. */
    SCHEDULER_LEASE_SECONDS: int(10, 3600).default(60),
    /** Due jobs claimed per query round. */
    SCHEDULER_BATCH_SIZE: int(1, 5000).default(500),
    /** Minutes after a dose reminder with no answer before the one follow-up, and again before it is unconfirmed. */
    DOSE_FOLLOWUP_MINUTES: int(5, 24 * 60).default(60),
    /** Consecutive missed (unconfirmed or skipped) doses of a plan that alert the care team and a consenting caregiver. */
    MISSED_DOSES_ALERT_AFTER: int(1, 20).default(2),
    /** Minutes after an unanswered post-op check-in before its one reminder, and again before it counts as missed. */
    POSTOP_REMINDER_MINUTES: int(5, 24 * 60).default(120),

    // Escalation paging (alerts page staff until someone acknowledges)
    /** Signs the acknowledgement links in pages; several instances must share it. Unset: a random key per start. */
    ACK_LINK_KEY: z.string().min(32, 'expected at least 32 characters of random secret').optional(),
    /** Retired acknowledgement-link keys, comma-separated: links they signed still work until they expire. */
    ACK_LINK_PREVIOUS_KEYS: z
      .string()
      .transform((value) => value.split(',').map((key) => key.trim()).filter((key) => key !== ''))
      .pipe(z.array(z.string().min(32, 'expected keys of at least 32 characters, separated by commas')))
      .optional(),
    /** How long an acknowledgement link in a page works. */
    ACK_LINK_TTL_HOURS: int(1, 24 * 7).default(24),
    /** E-mail pages: `smtp://user:pass@host:587` (STARTTLS required) or `smtps://user:pass@host:465`. Unset: no e-mail pages. */
    SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/, 'expected smtp://user:pass@host:587 or smtps://user:pass@host:465').optional(),
    /** The sender of e-mail pages, e.g. `CareLoop <alerts@clinic.example.org>`. Required with SMTP_URL. */
    SMTP_FROM: z.string().min(3).max(200).optional(),
    /** SMS pages one staff number can get per minute (a loop of alerts must not flood a phone). */
    STAFF_PAGES_PER_MINUTE: int(1, 1000).default(20),

    // Twilio
    TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected an Account SID: AC followed by 32 hex characters').optional(),
    TWILIO_AUTH_TOKEN: z.string().min(16, 'expected the account auth token').optional(),
    TWILIO_FROM: z.string().regex(/^\+[1-9]\d{7,14}$/, 'expected an E.164 phone number').optional(),
    TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'expected a Messaging Service SID: MG followed by 32 hex characters').optional(),
    TWILIO_API_BASE_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
    /** Messages per second per sender (the number, or the Messaging Service): 1 long code, 3 toll-free, ~100 short code. */
    SMS_SEND_RATE_PER_SECOND: z.coerce.number({ error: 'expected a number of messages per second from 0.1 to 1000' })
      .min(0.1, 'expected a number of messages per second from 0.1 to 1000').max(1000, 'expected a number of messages per second from 0.1 to 1000').default(1),

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
