import type { AddressInfo } from 'node:net';
import type { Storage } from 'botbuilder';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import { buildServer } from '../http/server.js';
import { systemClock, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Database } from '../store/database.js';
import { buildContainer, type Container } from './container.js';
import { openProcessDatabase, VERSION } from './process.js';

export { VERSION } from './process.js';

export interface RunningApp {
  server: FastifyInstance;
  db: Database;
  container: Container;
  /** Where the server listens, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Stops accepting, finishes in-flight requests and turns, stops schedules, closes the database. */
  stop(): Promise<void>;
}

/**
 * Starts CareLoop: database (embedded unless MONGODB_URI), the services, the HTTP server, then the schedules
 * unless SCHEDULER=off (an API-only instance). Paired with `stop()`.
 */
export async function startApp(config: Config, logger: Logger, clock: Clock = systemClock, options: { stateStorage?: Storage } = {}): Promise<RunningApp> {
  const db = await openProcessDatabase(config, logger, clock);
  let container: Container;
  let server: FastifyInstance;
  try {
    container = buildContainer({ config, logger, db, clock, stateStorage: options.stateStorage });
    server = await buildServer(container, { version: VERSION });
    await server.listen({ host: config.HOST, port: config.PORT });
  } catch (err) {
    await db.close();
    throw new Error('starting the HTTP server', { cause: err });
  }
  const address = server.server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  if (config.SCHEDULER === 'on') container.startSchedules();
  logger.info({ url, version: VERSION, scheduler: config.SCHEDULER }, 'CareLoop listening');

  let stopping: Promise<void> | undefined;
  return {
    server,
    db,
    container,
    url,
    stop() {
      stopping ??= (async () => {
        // The schedules finish their runs in flight while the server finishes its requests; then the database closes.
        await Promise.all([server.close(), container.stop()]);
        await db.close();
      })();
      return stopping;
    },
  };
}
