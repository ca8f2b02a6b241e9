import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, runCli, runCommand, startCareLoop, tempDir } from '../helpers/process.js';

describe('npm start with the embedded database', () => {
  it('serves health, keeps data across a SIGTERM restart, and audits it all', async () => {
    const dataDir = tempDir('careloop-e2e-');
    const env = { DATA_DIR: dataDir };
    const first = await startCareLoop(env);
    expect((await api(`${first.url}/healthz`, undefined)).status).toBe(200);
    expect((await api(`${first.url}/readyz`, undefined)).status).toBe(200);

    // The CLI finds the running CareLoop's database through the data directory.
    const created = await runCli(['keys', 'create', '--role', 'admin', '--name', 'first admin'], env);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^clk_[0-9a-f]{16}_\S{43}$/);
    const clinicianKey = (await runCli(['keys', 'create', '--role', 'clinician', '--name', 'nurse'], env)).stdout.trim();

    const team = await (await api(`${first.url}/api/v1/care-teams`, key, 'POST', { name: 'Cardiology', timeZone: 'America/Chicago' })).json();
    const patient = { name: 'Ben Okafor', phone: '+15550001111', timeZone: 'America/Chicago', dateOfBirth: '1949-11-30', careTeamId: team.id, consent: { sms: true } };
    const enrolled = await api(`${first.url}/api/v1/patients`, key, 'POST', patient);
    expect(enrolled.status).toBe(201);
    const { id } = await enrolled.json();
    expect((await api(`${first.url}/api/v1/patients/${id}`, undefined)).status).toBe(401);
    expect((await api(`${first.url}/api/v1/care-teams`, clinicianKey, 'POST', { name: 'X', timeZone: 'UTC' })).status).toBe(403);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // The embedded database stopped cleanly: its state file is gone, so nothing claims the directory.
    expect(fs.existsSync(path.join(dataDir, 'db', 'ferretdb.json'))).toBe(false);
    expect(first.output()).not.toContain('+15550001111');
    expect(first.output()).not.toContain('Ben Okafor');

    const second = await startCareLoop(env);
    const read = await api(`${second.url}/api/v1/patients/${id}`, key);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ ...patient, consent: { sms: true, webchat: false } });
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);

    // With CareLoop stopped, the CLI starts the embedded database itself.
    const verified = await runCli(['audit', 'verify'], env);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/audit chain OK: \d+ events verified/);
    expect(Number(/OK: (\d+)/.exec(verified.stdout)?.[1])).toBeGreaterThanOrEqual(7);
  });

  it('finishes an in-flight request after SIGTERM, then exits 0', async () => {
    const env = { DATA_DIR: tempDir('careloop-e2e-') };
    const app = await startCareLoop(env);
    const key = (await runCli(['keys', 'create', '--role', 'admin', '--name', 'ops'], env)).stdout.trim();
    const body = JSON.stringify({ name: 'Slow Upload Team', timeZone: 'Europe/London' });
    const half = Math.floor(body.length / 2);

    const response = new Promise<{ status?: number; connection?: string; body: string }>((resolve, reject) => {
      const req = http.request(`${app.url}/api/v1/care-teams`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body: text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, half));
      // The request is in flight (headers and half the body sent) when the signal arrives.
      setTimeout(() => {
        app.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(half)), 500);
      }, 300);
    });
    const result = await response;
    expect(result.status).toBe(201);
    expect(result.connection).toBe('close'); // so a keep-alive client cannot hold the shutdown open
    expect(JSON.parse(result.body)).toMatchObject({ name: 'Slow Upload Team' });
    expect(await app.exited).toBe(0);
  });

  it('refuses a second CareLoop on the same data directory with a clear reason', async () => {
    const env = { DATA_DIR: tempDir('careloop-e2e-') };
    const first = await startCareLoop(env);
    const second = await runCommand('npm', ['start', '--silent'], env);
    expect(second.code).toBe(1);
    expect(second.stdout + second.stderr).toMatch(/in use by another FerretDB/);
    expect((await api(`${first.url}/readyz`, undefined)).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('stops at start with a message naming each bad variable', async () => {
    const result = await runCommand('npm', ['start', '--silent'], { PORT: 'eighty', FERRETDB_BACKEND: 'oracle', DATA_DIR: tempDir('careloop-e2e-') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT: expected an integer from 0 to 65535');
    expect(result.stderr).toContain('FERRETDB_BACKEND: expected sqlite or postgresql');
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
