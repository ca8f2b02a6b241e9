import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Storage } from 'botbuilder';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/index.js';
import { buildServer } from './http/server.js';
import { systemClock, type Clock } from './lib/clock.js';
import type { Logger } from './lib/logger.js';
import { openDatabase, type Database } from './store/database.js';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface RunningApp {
  server: FastifyInstance;
  db: Database;
  /** Where the server listens, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Stops accepting, finishes in-flight requests, stops schedules, closes the database. */
  stop(): Promise<void>;
}

/** Starts CareLoop: database (embedded unless MONGODB_URI), HTTP server. Paired with `stop()`. */
export async function startApp(config: Config, logger: Logger, clock: Clock = systemClock, options: { stateStorage?: Storage } = {}): Promise<RunningApp> {
  const db = await openDatabase(config, { clock, onProgress: (message) => logger.info(message) });
  logger.info({ database: db.description }, 'database ready');
  if (db.auditKey.source === 'file') {
    logger.warn({ auditKeyFile: db.auditKey.file }, 'AUDIT_KEY is not set: audit events are signed with a key kept in this file; production should set AUDIT_KEY from a secret store, the same for every instance');
  }
  let server: FastifyInstance;
  try {
    server = await buildServer({ config, logger, db, clock, version: VERSION, stateStorage: options.stateStorage });
    await server.listen({ host: config.HOST, port: config.PORT });
  } catch (err) {
    await db.close();
    throw new Error('starting the HTTP server', { cause: err });
  }
  const address = server.server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url, version: VERSION }, 'CareLoop listening');

  let stopping: Promise<void> | undefined;
  return {
    server,
    db,
    url,
    stop() {
      stopping ??= (async () => {
        await server.close();
        // Schedules (issue: scheduled outreach) will stop here, before the database closes.
        await db.close();
      })();
      return stopping;
    },
  };
}
