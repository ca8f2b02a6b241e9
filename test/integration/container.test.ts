import { describe, expect, it } from 'vitest';
import { buildContainer } from '../../src/app/container.js';
import { startApp } from '../../src/app/start.js';
import { startWorker } from '../../src/app/worker.js';
import { buildServer } from '../../src/http/server.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { openTestDatabase, testConfig } from '../helpers/db.js';

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: { msg: string; [field: string]: unknown }[] = [];
  return { lines, logger: createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) }) };
}

/** A background service that notes what happened to it, and whose stop waits for `finishRun()`. */
function recordingSchedule(events: string[], ping: () => Promise<void>) {
  let finishRun!: () => void;
  const runInFlight = new Promise<void>((resolve) => (finishRun = resolve));
  return {
    finishRun,
    start: () => void events.push('start'),
    async stop() {
      events.push('stop requested');
      await runInFlight;
      await ping(); // the run in flight still has its database
      events.push('stopped');
    },
  };
}

describe('the composition root', () => {
  it('builds the services once; the HTTP server takes them from it', async () => {
    const { db, config } = await openTestDatabase();
    const container = buildContainer({ config, logger: createLogger('silent'), db, clock: systemClock });
    const server = await buildServer(container, { version: 'test' });
    expect(server.conversations).toBe(container.conversations);

    const team = await container.careTeams.create({ name: 'Cardiology', timeZone: 'America/Chicago' });
    const { key } = await container.apiKeys.create({ name: 'container test', role: 'admin' }, 'test');
    const res = await server.inject({ method: 'GET', url: `/api/v1/care-teams/${team.id}`, headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: team.id, name: 'Cardiology' });
    await server.close();
  });

  it('stops its schedules only when started, each after its run in flight, while the database is open', async () => {
    const { db, config } = await openTestDatabase();
    const events: string[] = [];
    const idle = buildContainer({ config, logger: createLogger('silent'), db, clock: systemClock });
    const never = recordingSchedule(events, () => db.ping());
    idle.schedules.push(never);
    await idle.stop();
    expect(events).toEqual([]); // an API-only instance never started it

    const container = buildContainer({ config, logger: createLogger('silent'), db, clock: systemClock });
    const schedule = recordingSchedule(events, () => db.ping());
    container.schedules.push(schedule);
    container.startSchedules();
    expect(container.schedulesStarted).toBe(true);
    const stopped = container.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['start', 'stop requested']); // waiting for the run in flight
    schedule.finishRun();
    await stopped;
    expect(events).toEqual(['start', 'stop requested', 'stopped']);
    expect(container.schedulesStarted).toBe(false);
  });
});

describe('processes', () => {
  it('npm start runs the schedules; SCHEDULER=off serves the API alone', async () => {
    for (const scheduler of ['on', 'off'] as const) {
      const { lines, logger } = recordingLogger();
      const app = await startApp(testConfig({ PORT: '0', SCHEDULER: scheduler }), logger);
      try {
        expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
        expect(app.container.schedulesStarted).toBe(scheduler === 'on');
        expect(lines.find((line) => line.msg === 'CareLoop listening')).toMatchObject({ scheduler });
      } finally {
        await app.db.connection.dropDatabase();
        await app.stop();
      }
    }
  });

  it('the worker runs the schedules whatever SCHEDULER says, logs one line, and closes the database on stop', async () => {
    const { lines, logger } = recordingLogger();
    const worker = await startWorker(testConfig({ SCHEDULER: 'off' }), logger);
    expect(worker.container.schedulesStarted).toBe(true);
    expect(lines.filter((line) => /worker/.test(line.msg))).toEqual([expect.objectContaining({ msg: 'CareLoop worker running schedules', schedules: worker.container.schedules.length })]);
    expect(lines.some((line) => line.msg === 'CareLoop listening')).toBe(false);
    await worker.db.ping();

    await worker.db.connection.dropDatabase();
    await worker.stop();
    await expect(worker.db.ping()).rejects.toThrow();
    expect(worker.container.schedulesStarted).toBe(false);
  });
});
