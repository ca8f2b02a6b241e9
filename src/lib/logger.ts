import { pino, type Logger, type LoggerOptions } from 'pino';
import { redactText } from './redact.js';

export type { Logger } from 'pino';

/** Field names that hold PHI or secrets wherever they appear in a logged object (two levels deep). */
const SENSITIVE_FIELDS = ['phone', 'name', 'body', 'text', 'dateOfBirth', 'email', 'address', 'authorization', 'key', 'apiKey', 'password', 'uri'];

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'res.body',
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
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
