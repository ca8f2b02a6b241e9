import { pino, type Logger, type LoggerOptions } from 'pino';
import { redactText } from './redact.js';

export type { Logger } from 'pino';

/** Field names that hold PHI or secrets wherever they appear in a logged object (two levels deep). */
const SENSITIVE_FIELDS = ['phone', 'phoneKey', 'name', 'body', 'text', 'dateOfBirth', 'email', 'address', 'authorization', 'key', 'apiKey', 'password', 'uri'];

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'res.body',
  'err.keyValue', // a duplicate-key error carries the duplicated value (a phone number)
  '*.err.keyValue',
  ...SENSITIVE_FIELDS,
  ...SENSITIVE_FIELDS.map((field) => `*.${field}`),
];

/**
 * The one logger factory. PHI never appears in logs: sensitive fields are censored by path, and every
 * string argument and error message is scrubbed of phone numbers and e-mail addresses.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'careloop' },
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      err: (err: unknown) => {
        const serialized = pino.stdSerializers.err(err as Error);
        return { ...serialized, message: redactText(serialized.message), stack: serialized.stack && redactText(serialized.stack) };
      },
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed: unknown[] = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
        // Without a message, pino would copy the raw error message into `msg`: give it the scrubbed one.
        const err = scrubbed[0] instanceof Error ? scrubbed[0] : (scrubbed[0] as { err?: unknown } | undefined)?.err;
        if (err instanceof Error && typeof scrubbed[1] !== 'string') scrubbed.splice(1, 0, redactText(err.message));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
