import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, startCareLoop, tempDir } from '../helpers/process.js';
import { startWorkerProcess } from '../helpers/worker-process.js';

describe('npm run worker', () => {
  it('starts the schedules with no HTTP server, logs one line, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir('careloop-worker-');
    const worker = await startWorkerProcess({ DATA_DIR: dataDir });
    expect(worker.output().match(/CareLoop worker running schedules/g)).toHaveLength(1);
    expect(worker.output()).not.toContain('CareLoop listening');

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('"msg":"stopped"');
    // The embedded database stopped with it: nothing claims the data directory any more.
    expect(fs.existsSync(path.join(dataDir, 'db', 'ferretdb.json'))).toBe(false);
  });
});

describe('npm start with SCHEDULER=off', () => {
  it('serves the API without the schedules, and stops cleanly', async () => {
    const app = await startCareLoop({ DATA_DIR: tempDir('careloop-api-only-'), SCHEDULER: 'off' });
    expect((await api(`${app.url}/healthz`, undefined)).status).toBe(200);
    expect((await api(`${app.url}/readyz`, undefined)).status).toBe(200);
    expect(app.output()).toMatch(/"scheduler":"off".*"msg":"CareLoop listening"/);
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  });
});
