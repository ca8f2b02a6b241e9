import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMissing, findMissing, testMachine, type TestMachine } from '../helpers/prerequisites.js';

// A made-up machine in a temp directory: PATH folders with or without an executable `go`, a chromium file or
// none, and real ports, one listening and one closed.

let root: string;
let listening: net.Server;
let openPort: number;
let closedPort: number;

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function executable(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
  return file;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-prereq-'));
  executable(path.join(root, 'with-go', 'go'));
  executable(path.join(root, 'chromium'));
  listening = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  openPort = (listening.address() as net.AddressInfo).port;
  closedPort = await freePort();
}, 10_000);

afterAll(async () => {
  await new Promise((resolve) => listening?.close(resolve));
  fs.rmSync(root, { recursive: true, force: true });
});

const machine = (changes: Partial<TestMachine> = {}): TestMachine => ({
  path: [path.join(root, 'empty'), path.join(root, 'with-go')].join(path.delimiter),
  needsGo: true,
  goInstallDir: path.join(root, 'no-go-install'),
  chromiumPath: path.join(root, 'chromium'),
  postgres: { host: '127.0.0.1', port: openPort },
  ...changes,
});

describe('the test run checks the machine before it starts anything', () => {
  it('finds nothing missing on a machine that has it all', async () => {
    expect(await findMissing(machine())).toEqual([]);
  });

  it('lists every missing prerequisite, each with the command that installs it', async () => {
    const missing = await findMissing(
      machine({ path: path.join(root, 'empty'), chromiumPath: path.join(root, 'no', 'chromium'), postgres: { host: '127.0.0.1', port: closedPort } }),
    );
    expect(missing.map((item) => item.what)).toEqual(['Go', `Chromium at ${path.join(root, 'no', 'chromium')}`, `PostgreSQL on 127.0.0.1:${closedPort}`]);
    expect(missing[0]?.install).toMatch(/https:\/\/go\.dev\/dl\/.*export PATH="\$PATH:\/usr\/local\/go\/bin"/);
    expect(missing[1]?.install).toBe('sudo apt-get install chromium');
    expect(missing[2]?.install).toMatch(/^sudo apt-get install postgresql, .*pg_hba\.conf to trust/);

    const message = describeMissing(missing);
    expect(message.split('\n')[0]).toBe('npm test cannot start: this machine lacks 3 things the tests need.');
    for (const item of missing) expect(message).toContain(`- ${item.what}: ${item.why}.\n  Install: ${item.install}`);
    expect(message).toContain('.ci/run installs all of them');
  });

  it('says when Go is installed from the tarball but not on PATH', async () => {
    const goInstallDir = path.join(root, 'usr-local-go-bin');
    executable(path.join(goInstallDir, 'go'));
    const [missing] = await findMissing(machine({ path: path.join(root, 'empty'), goInstallDir }));
    expect(missing).toMatchObject({ what: `Go is in ${goInstallDir} but not on PATH`, install: `export PATH="$PATH:${goInstallDir}"` });
  });

  it('does not ask for Go when the database binary is already built', async () => {
    expect(await findMissing(machine({ path: '', needsGo: false }))).toEqual([]);
  });

  it('does not count a file without an execute bit', async () => {
    const plain = path.join(root, 'plain');
    fs.mkdirSync(plain, { recursive: true });
    fs.writeFileSync(path.join(plain, 'go'), '', { mode: 0o644 });
    fs.writeFileSync(path.join(plain, 'chromium'), '', { mode: 0o644 });
    const missing = await findMissing(machine({ path: plain, chromiumPath: path.join(plain, 'chromium') }));
    expect(missing.map((item) => item.what)).toEqual(['Go', `Chromium at ${path.join(plain, 'chromium')}`]);
  });

  it('reads where PostgreSQL is from CARELOOP_TEST_POSTGRESQL_URL, with the CI default', () => {
    expect(testMachine({ PATH: '/bin' }, true)).toMatchObject({ path: '/bin', chromiumPath: '/usr/bin/chromium', postgres: { host: '127.0.0.1', port: 5432 } });
    expect(testMachine({ CARELOOP_TEST_POSTGRESQL_URL: 'postgres://me@db.internal:6543/x' }, false).postgres).toEqual({ host: 'db.internal', port: 6543 });
  });
});
