import fs from 'node:fs';
import { configSchema, type Config } from './schema.js';

export type { Config } from './schema.js';

/** Thrown when the environment does not describe a runnable CareLoop; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses configuration from an environment (default: process.env). Values are never echoed back, since
 * some of them (MONGODB_URI) may carry credentials.
 */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(configSchema.shape)
      .map((key) => [key, env[key]?.trim()])
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(present);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  // Rules across variables, checked even when others are wrong, so one message names every problem.
  if (present.FERRETDB_BACKEND === 'postgresql' && !present.MONGODB_URI && !present.FERRETDB_POSTGRESQL_URL) {
    problems.push('FERRETDB_POSTGRESQL_URL: required when FERRETDB_BACKEND=postgresql');
  }
  if (present.TWILIO_ACCOUNT_SID && !present.TWILIO_AUTH_TOKEN) problems.push('TWILIO_AUTH_TOKEN: required with TWILIO_ACCOUNT_SID');
  if (present.TWILIO_ACCOUNT_SID && !present.TWILIO_FROM && !present.TWILIO_MESSAGING_SERVICE_SID) {
    problems.push('TWILIO_FROM: TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required with TWILIO_ACCOUNT_SID');
  }
  if (present.MICROSOFT_APP_ID && !present.MICROSOFT_APP_PASSWORD && present.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    problems.push('MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID');
  }
  const azure = ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_DEPLOYMENT'].filter((name) => present[name]);
  if (azure.length > 0 && azure.length < 3) problems.push('AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT: set all three, or none');
  if (present.SMTP_URL && !present.SMTP_FROM) problems.push('SMTP_FROM: required with SMTP_URL (the sender of e-mail pages)');
  if (present.NODE_ENV === 'production' && !present.ACK_LINK_KEY) problems.push('ACK_LINK_KEY: required in production (acknowledgement links in pages must survive restarts)');
  if (present.NODE_ENV === 'production' && !present.WEBCHAT_SECRET) problems.push('WEBCHAT_SECRET: required in production (chat tokens and links must survive restarts)');
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}

/** Loads `.env` from the working directory when present; variables already set win over the file. */
export function loadDotEnv(file = '.env'): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
