import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** What `npm test` needs from the machine, and where to look for it. */
export interface TestMachine {
  /** The PATH that the FerretDB build searches for `go`. */
  path: string;
  /** Go is needed only to build tools/ferretdb; a current binary (npm run build:ferretdb) needs none. */
  needsGo: boolean;
  /** Where the Go tarball from go.dev puts `go`, to tell "not installed" from "not on PATH". */
  goInstallDir: string;
  /** The browser tests drive Debian's chromium here; nothing downloads a browser. */
  chromiumPath: string;
  /** The two-process test shares FerretDB over this PostgreSQL (trust auth). */
  postgres: { host: string; port: number };
}

/** Something missing, why the tests need it and the command that installs it on Debian or Ubuntu. */
export interface Missing {
  what: string;
  why: string;
  install: string;
}

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const DEFAULT_TEST_POSTGRESQL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The machine as the test run sees it: this process's PATH and CARELOOP_TEST_POSTGRESQL_URL. */
export function testMachine(env: NodeJS.ProcessEnv, needsGo: boolean): TestMachine {
  const postgres = new URL(env.CARELOOP_TEST_POSTGRESQL_URL ?? DEFAULT_TEST_POSTGRESQL_URL);
  return {
    path: env.PATH ?? '',
    needsGo,
    goInstallDir: '/usr/local/go/bin',
    chromiumPath: CHROMIUM_PATH,
    postgres: { host: postgres.hostname, port: Number(postgres.port || 5432) },
  };
}

/** Checks everything at once (no early return), so one message can list all that is missing. */
export async function findMissing(machine: TestMachine, connectTimeoutMs = 2_000): Promise<Missing[]> {
  const missing: Missing[] = [];
  if (machine.needsGo && !onPath('go', machine.path)) {
    const installed = isExecutable(path.join(machine.goInstallDir, 'go'));
    missing.push({
      what: installed ? `Go is in ${machine.goInstallDir} but not on PATH` : 'Go',
      why: 'builds the embedded FerretDB that the tests run against (tools/ferretdb)',
      install: installed
        ? `export PATH="$PATH:${machine.goInstallDir}"`
        : `download Go 1.26 or newer from https://go.dev/dl/ (Debian's golang-go is too old), then ` +
          `sudo tar -C /usr/local -xzf go1.*.linux-amd64.tar.gz && export PATH="$PATH:/usr/local/go/bin"`,
    });
  }
  if (!isExecutable(machine.chromiumPath)) {
    missing.push({
      what: `Chromium at ${machine.chromiumPath}`,
      why: 'the browser tests drive Debian\'s chromium (never a downloaded browser)',
      install: 'sudo apt-get install chromium',
    });
  }
  const { host, port } = machine.postgres;
  if (!(await answers(host, port, connectTimeoutMs))) {
    missing.push({
      what: `PostgreSQL on ${host}:${port}`,
      why: 'the two-process test shares FerretDB over it, with trust auth for 127.0.0.1 (CARELOOP_TEST_POSTGRESQL_URL changes where)',
      install:
        'sudo apt-get install postgresql, set the method of the "host all all 127.0.0.1/32" line in ' +
        '/etc/postgresql/*/main/pg_hba.conf to trust, then sudo service postgresql restart',
    });
  }
  return missing;
}

/** One message naming every missing prerequisite and how to install it. */
export function describeMissing(missing: Missing[]): string {
  return [
    `npm test cannot start: this machine lacks ${missing.length === 1 ? 'one thing' : `${missing.length} things`} the tests need.`,
    ...missing.map((item) => `\n- ${item.what}: ${item.why}.\n  Install: ${item.install}`),
    '\n.ci/run installs all of them on a clean Debian machine (see README, "Tests and CI").',
  ].join('\n');
}

function onPath(command: string, searchPath: string): boolean {
  return searchPath
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => isExecutable(path.join(dir, command)));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Whether something accepts TCP connections there; a closed port answers at once, a dropped one times out. */
function answers(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
