import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { parseConfig, type Config } from '../../src/config/index.js';
import { systemClock, type Clock } from '../../src/lib/clock.js';
import { openDatabase, type Database } from '../../src/store/database.js';

/** The run's database server (see test/global-setup.ts). */
export const mongoUri = (): string => inject('mongoUri');

/** A fresh, uniquely named database on the run's server, dropped after the file's tests. */
export async function openTestDatabase(options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<{ db: Database; config: Config }> {
  const config = testConfig(options.env);
  const db = await openDatabase(config, { clock: options.clock ?? systemClock });
  afterAll(async () => {
    await db.connection.dropDatabase().catch(() => undefined);
    await db.close();
  });
  return { db, config };
}

/**
 * Config for a test: the run's database under a new name, quiet logs, its own audit key (`AUDIT_KEY: ''` for none),
 * and SMS sends spaced 1 ms apart (not the default 1 per second) unless a test sets SMS_SEND_RATE_PER_SECOND.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  return parseConfig({ MONGODB_URI: mongoUri(), MONGODB_DB_NAME: `t_${randomBytes(6).toString('hex')}`, LOG_LEVEL: 'silent', AUDIT_KEY: randomBytes(32).toString('hex'), SMS_SEND_RATE_PER_SECOND: '1000', ...env });
}
