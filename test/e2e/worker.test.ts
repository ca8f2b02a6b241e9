import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, processEnv, startCareLoop, tempDir } from '../helpers/process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs `npm run worker` as an operator would and waits for its start line. */
async function startWorkerProcess(env: Record<string, string>) {
  const child = spawn('npm', ['run', '--silent', 'worker'], { cwd: ROOT, env: processEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  afterAll(() => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start in 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"CareLoop worker running schedules"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited with ${code} before starting:\n${output}`));
    });
  });
  return { child, exited, output: () => output };
}

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
