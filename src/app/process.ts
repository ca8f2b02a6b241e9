import { readFileSync } from 'node:fs';
import { ConfigError, loadDotEnv, parseConfig, type Config } from '../config/index.js';
import type { Clock } from '../lib/clock.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { openDatabase, type Database } from '../store/database.js';

export const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Opens the database a CareLoop process owns (embedded unless MONGODB_URI) and says so in the log, with a warning
 * when the audit key lives in a file beside the data rather than in a secret store.
 */
export async function openProcessDatabase(config: Config, logger: Logger, clock: Clock): Promise<Database> {
  const db = await openDatabase(config, { clock, onProgress: (message) => logger.info(message) });
  logger.info({ database: db.description }, 'database ready');
  if (db.auditKey.source === 'file') {
    logger.warn({ auditKeyFile: db.auditKey.file }, 'AUDIT_KEY is not set: audit events are signed with a key kept in this file; production should set AUDIT_KEY from a secret store, the same for every instance');
  }
  return db;
}

/**
 * The life of a CareLoop process (`npm start`, `npm run worker`): parse config once, start, and on SIGTERM/SIGINT
 * stop cleanly and exit 0, or exit 1 when stopping fails or takes longer than SHUTDOWN_TIMEOUT_MS.
 */
export async function runProcess(start: (config: Config, logger: Logger) => Promise<{ stop(): Promise<void> }>): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = parseConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.LOG_LEVEL);
  let running;
  try {
    running = await start(config, logger);
  } catch (err) {
    logger.fatal({ err }, 'CareLoop could not start');
    process.exitCode = 1;
    return;
  }

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    running.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
