import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app/start.js';
import { parseConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/lib/logger.js';
import { ensureFerretDbBinary, startFerretDb } from '../../src/store/ferretdb.js';
import { freePort } from '../helpers/port.js';

async function readyz(url: string): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('readiness', () => {
  it('answers 503 with a reason code while the database is down (the driver\'s text only in the log), and 200 once it is back', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-ready-'));
    const port = await freePort();
    let ferret = await startFerretDb({ backend: 'sqlite', dataDir, listen: `127.0.0.1:${port}` });
    const config = parseConfig({ MONGODB_URI: ferret.uri, MONGODB_DB_NAME: 'readiness', PORT: '0', LOG_LEVEL: 'silent' });
    const logs: { msg: string; err?: { message: string } }[] = [];
    const app = await startApp(config, createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line)) }));
    afterAll(async () => {
      await app.stop();
      await ferret.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    expect(await readyz(app.url)).toEqual({ status: 200, body: { status: 'ready' } });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    await ferret.stop();
    const down = await eventually(() => readyz(app.url), (r) => r.status === 503);
    expect(down).toEqual({ status: 503, body: { status: 'unavailable', reason: 'database_unreachable' } });
    const logged = logs.filter((line) => line.msg === 'readiness check failed: database unreachable');
    expect(logged.length).toBeGreaterThan(0);
    const driverText = logged[0]!.err!.message;
    expect(driverText.length).toBeGreaterThan(0);
    expect(JSON.stringify(down.body)).not.toContain(driverText);
    // The process is still up: liveness does not depend on the database.
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    ferret = await startFerretDb({ backend: 'sqlite', dataDir, listen: `127.0.0.1:${port}` });
    const back = await eventually(() => readyz(app.url), (r) => r.status === 200);
    expect(back).toEqual({ status: 200, body: { status: 'ready' } });
  });
});

describe('embedded database bootstrap', () => {
  it('says to set MONGODB_URI or install Go when it must build FerretDB and Go is missing', async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const target = path.join(os.tmpdir(), `careloop-no-go-${process.pid}`);
      await expect(ensureFerretDbBinary({ target })).rejects.toThrow(/set MONGODB_URI .* or install Go/);
    } finally {
      process.env.PATH = savedPath;
    }
  });
});
