import type { Config } from '../config/index.js';
import { systemClock, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Database } from '../store/database.js';
import { buildContainer, type Container } from './container.js';
import { openProcessDatabase, VERSION } from './process.js';

export interface RunningWorker {
  db: Database;
  container: Container;
  /** Stops the schedules (after their runs in flight) and the turns they started, then closes the database. */
  stop(): Promise<void>;
}

/**
 * Starts a scheduler-only CareLoop (`npm run worker`): database and services, then the schedules, whatever
 * SCHEDULER says (that switch is for `npm start`). No HTTP server: delivery callbacks and patients' replies reach
 * the API instances, which must share this database. Paired with `stop()`.
 */
export async function startWorker(config: Config, logger: Logger, clock: Clock = systemClock): Promise<RunningWorker> {
  const db = await openProcessDatabase(config, logger, clock);
  let container: Container;
  try {
    container = buildContainer({ config, logger, db, clock });
    container.startSchedules();
  } catch (err) {
    await db.close();
    throw new Error('starting the worker', { cause: err });
  }
  logger.info({ version: VERSION, schedules: container.schedules.length }, 'CareLoop worker running schedules');

  let stopping: Promise<void> | undefined;
  return {
    db,
    container,
    stop() {
      stopping ??= (async () => {
        await container.stop();
        await db.close();
      })();
      return stopping;
    },
  };
}
