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
  });

/** CareLoop's parsed configuration. */
export type Config = z.output<typeof configSchema>;
