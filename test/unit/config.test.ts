import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { ConfigError, parseConfig } from '../../src/config/index.js';
import { configSchema } from '../../src/config/schema.js';

/** Runs parseConfig and returns the ConfigError it throws; fails the test when it does not throw one. */
function configError(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

describe('parseConfig', () => {
  it('fills every default from an empty environment', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: 3000,
      DATA_DIR: './data',
      MONGODB_DB_NAME: 'careloop',
      DB_MAX_POOL_SIZE: 10,
      FERRETDB_BACKEND: 'sqlite',
      BODY_LIMIT_BYTES: 100 * 1024,
      RATE_LIMIT_PER_MINUTE: 300,
      TRUST_PROXY: false,
      SHUTDOWN_TIMEOUT_MS: 10_000,
    });
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.PUBLIC_BASE_URL).toBeUndefined();
  });

  it('treats empty and blank values as unset', () => {
    const config = parseConfig({ PORT: '', MONGODB_URI: '', LOG_LEVEL: '   ', TRUST_PROXY: '' });
    expect(config.PORT).toBe(3000);
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.TRUST_PROXY).toBe(false);
  });

  it('parses numbers and booleans from strings', () => {
    const config = parseConfig({ PORT: '8080', TRUST_PROXY: '1', PUBLIC_BASE_URL: 'https://careloop.example.org' });
    expect(config.PORT).toBe(8080);
    expect(config.TRUST_PROXY).toBe(1);
    expect(config.PUBLIC_BASE_URL).toBe('https://careloop.example.org');
  });

  it('ignores variables outside the schema', () => {
    expect(parseConfig({ SOMETHING_ELSE: 'x' })).not.toHaveProperty('SOMETHING_ELSE');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '30.5'],
    ['LOG_LEVEL', 'loud'],
    ['MONGODB_URI', 'http://x'],
    ['PUBLIC_BASE_URL', 'ftp://x'],
    ['TRUST_PROXY', 'maybe'],
    ['FERRETDB_BACKEND', 'mysql'],
  ])('rejects %s=%s and names the variable', (name, value) => {
    const err = configError({ [name]: value });
    expect(err.message).toContain(`${name}:`);
    expect(err.problems).toHaveLength(1);
  });

  it('names every bad variable in one message', () => {
    const err = configError({ PORT: 'abc', LOG_LEVEL: 'loud', TRUST_PROXY: 'maybe' });
    expect(err.problems).toHaveLength(3);
    for (const name of ['PORT', 'LOG_LEVEL', 'TRUST_PROXY']) expect(err.message).toContain(`${name}:`);
  });

  it('requires FERRETDB_POSTGRESQL_URL when FERRETDB_BACKEND=postgresql', () => {
    const err = configError({ FERRETDB_BACKEND: 'postgresql' });
    expect(err.message).toContain('FERRETDB_POSTGRESQL_URL');
  });

  it('accepts FERRETDB_BACKEND=postgresql with a URL, or with MONGODB_URI instead', () => {
    expect(parseConfig({ FERRETDB_BACKEND: 'postgresql', FERRETDB_POSTGRESQL_URL: 'postgres://db/careloop' }).FERRETDB_BACKEND).toBe('postgresql');
    expect(() => parseConfig({ FERRETDB_BACKEND: 'postgresql', MONGODB_URI: 'mongodb://db:27017' })).not.toThrow();
  });

  it('never echoes the value of MONGODB_URI, which may hold a password', () => {
    // The space makes it fail the connection-string pattern; 'mongodb://user:s3cret@' alone would pass it.
    const err = configError({ MONGODB_URI: 'mongodb://user:s3cret@ db.example.org' });
    expect(err.message).toContain('MONGODB_URI');
    expect(err.message).not.toContain('s3cret');
    expect(err.problems.join('\n')).not.toContain('s3cret');
  });
});

describe('.env.example', () => {
  it('documents exactly the variables of the schema, each with a comment above it', () => {
    const example = fs.readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const lines = example.split('\n');
    const documented = lines.flatMap((line, i) => {
      const name = /^([A-Z_]+)=/.exec(line)?.[1];
      return name ? [{ name, commented: lines.slice(0, i).reverse().find((l) => !/^[A-Z_]+=/.test(l))?.startsWith('#') ?? false }] : [];
    });
    expect(documented.map((d) => d.name).sort()).toEqual(Object.keys(configSchema.shape).sort());
    expect(documented.filter((d) => !d.commented)).toEqual([]);
    // The example itself is a valid configuration.
    const values = Object.fromEntries(lines.map((line) => /^([A-Z_]+)=(.*)$/.exec(line)).filter((m) => m !== null).map((m) => [m[1], m[2]]));
    expect(() => parseConfig(values)).not.toThrow();
  });
});

describe('rules across variables', () => {
  it.each([
    [{ NODE_ENV: 'production' }, 'WEBCHAT_SECRET'],
    [{ TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}` }, 'TWILIO_AUTH_TOKEN'],
    [{ TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'x'.repeat(32) }, 'TWILIO_FROM'],
    [{ AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com' }, 'AZURE_OPENAI_API_KEY'],
    [{ MICROSOFT_APP_ID: 'app' }, 'MICROSOFT_APP_PASSWORD'],
  ])('%o needs %s', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(variable);
  });

  it('accepts a complete Twilio and Azure OpenAI setup', () => {
    const config = parseConfig({
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'x'.repeat(32), TWILIO_MESSAGING_SERVICE_SID: `MG${'b'.repeat(32)}`,
      AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com', AZURE_OPENAI_API_KEY: 'k'.repeat(32), AZURE_OPENAI_DEPLOYMENT: 'gpt-4o-mini',
    });
    expect(config.AZURE_OPENAI_API_VERSION).toBe('2024-10-21');
  });
});
