import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';

const phone = '+15551234567';
const phi = [phone, '5551234567', 'I have chest pain', 'Ana'];

/** A logger writing to memory; `output()` is everything it wrote. */
function capturingLogger(level = 'info') {
  const chunks: string[] = [];
  const logger = createLogger(level, { write: (chunk: string) => void chunks.push(chunk) });
  return { logger, output: () => chunks.join('') };
}

function expectNoPhi(output: string): void {
  for (const value of phi) expect(output).not.toContain(value);
}

describe('createLogger', () => {
  it('censors sensitive fields at the top level and one level down, and keeps the rest', () => {
    const { logger, output } = capturingLogger();
    logger.info({ phone, body: 'I have chest pain', patient: { name: 'Ana' }, patientId: 'abc' }, 'reply received');
    const line = JSON.parse(output()) as Record<string, unknown>;
    expect(line).toMatchObject({ phone: '[redacted]', body: '[redacted]', patient: { name: '[redacted]' }, patientId: 'abc', msg: 'reply received' });
    expectNoPhi(output());
  });

  it('scrubs phone numbers from the message string and its arguments', () => {
    const { logger, output } = capturingLogger();
    logger.info({ patientId: 'abc' }, `texting ${phone}`);
    logger.info('forwarded to %s', '555-123-4567');
    expectNoPhi(output());
    expect(output()).toContain('texting [phone]');
    expect(output()).toContain('forwarded to [phone]');
    expect(output()).toContain('"patientId":"abc"');
  });

  it('scrubs an error logged as { err } with a message', () => {
    const { logger, output } = capturingLogger();
    logger.error({ err: new Error(`Twilio rejected ${phone}`), patientId: 'abc' }, 'sending failed');
    const line = JSON.parse(output()) as { err: { message: string; stack: string }; msg: string };
    expect(line.err.message).toBe('Twilio rejected [phone]');
    expect(line.err.stack).toContain('Twilio rejected [phone]');
    expect(line.msg).toBe('sending failed');
    expectNoPhi(output());
  });

  it('scrubs the cause of a wrapped error', () => {
    const { logger, output } = capturingLogger();
    const err = new Error('sending reminder', { cause: new Error(`no route to ${phone}`) });
    logger.error({ err }, 'job failed');
    expectNoPhi(output());
    expect(output()).toContain('no route to [phone]');
  });

  // pino copies err.message into `msg` when no message is given: the logger must scrub that copy too.
  it.each([
    ['logger.error(err)', (logger: ReturnType<typeof createLogger>, err: Error) => logger.error(err)],
    ['logger.error({ err })', (logger: ReturnType<typeof createLogger>, err: Error) => logger.error({ err })],
  ])('scrubs an error logged without a message: %s', (_case, log) => {
    const { logger, output } = capturingLogger();
    log(logger, new Error(`Twilio rejected ${phone}`));
    expectNoPhi(output());
  });

  it('writes nothing below its level', () => {
    const { logger, output } = capturingLogger('warn');
    logger.info({ patientId: 'abc' }, 'ignored');
    expect(output()).toBe('');
  });
});
