import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../lib/errors.js';
import { buildFerretDb } from './ferretdb-build.js';

/** tools/ferretdb: our Go main module that embeds FerretDB v1.24.2 (see its main.go for why). */
export const FERRETDB_SOURCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tools/ferretdb');
const DEFAULT_BINARY = path.join(FERRETDB_SOURCE_DIR, 'bin', 'ferretdb');

export interface FerretDbOptions {
  backend: 'sqlite' | 'postgresql';
  /** SQLite files live here; the state file too, for either backend. */
  dataDir: string;
  postgresqlUrl?: string;
  /** A prebuilt binary; otherwise tools/ferretdb is built on first use. */
  binary?: string;
  /** Listen address; port 0 picks a free one. */
  listen?: string;
  /** Progress lines for a person waiting: the first build downloads Go modules and compiles for a minute or more. */
  onProgress?: (message: string) => void;
  /** Extra wrapper flags, for benchmarks (e.g. --id-index=false). */
  extraArgs?: string[];
}

/** A FerretDB process we started (owned) or found running for the same data directory (not owned). */
export interface FerretDbHandle {
  uri: string;
  owned: boolean;
  pid: number;
  stop(): Promise<void>;
}

/** Where the running wrapper records `{ pid, uri }` for other CareLoop processes (the CLI) to find. */
export const stateFilePath = (dataDir: string) => path.join(dataDir, 'ferretdb.json');

/**
 * Builds the wrapper when the binary is missing or older than its sources; returns the binary's path.
 * `binary` is a prebuilt one (FERRETDB_BIN); `target` is where to build (default tools/ferretdb/bin/ferretdb).
 */
export async function ensureFerretDbBinary(options: Pick<FerretDbOptions, 'binary' | 'onProgress'> & { target?: string } = {}): Promise<string> {
  if (options.binary) {
    if (!fs.existsSync(options.binary)) throw new AppError('unavailable', `FERRETDB_BIN ${options.binary} does not exist`);
    return options.binary;
  }
  const target = options.target ?? DEFAULT_BINARY;
  if (ferretDbBinaryIsCurrent(target)) return target;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new AppError(
      'unavailable',
      'No database configured and Go is not installed: set MONGODB_URI to your MongoDB (Atlas, Cosmos DB for MongoDB), ' +
        'or install Go (https://go.dev/dl/) so CareLoop can build its embedded FerretDB database.',
    );
  }
  await buildFerretDb(FERRETDB_SOURCE_DIR, target, options.onProgress);
  return target;
}

/** Whether the wrapper is built and newer than its sources (then starting it needs no Go). */
export function ferretDbBinaryIsCurrent(target = DEFAULT_BINARY): boolean {
  return fs.existsSync(target) && !sourcesNewerThan(fs.statSync(target).mtimeMs);
}

function sourcesNewerThan(mtimeMs: number): boolean {
  return fs
    .readdirSync(FERRETDB_SOURCE_DIR)
    .filter((name) => name.endsWith('.go') || name === 'go.mod' || name === 'go.sum')
    .some((name) => fs.statSync(path.join(FERRETDB_SOURCE_DIR, name)).mtimeMs > mtimeMs);
}

/** Reads the state file of a wrapper that is still alive, or returns undefined. */
export function findRunningFerretDb(dataDir: string): { pid: number; uri: string } | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(stateFilePath(dataDir), 'utf8')) as { pid: number; uri: string };
    process.kill(state.pid, 0); // throws when no such process
    return state;
  } catch {
    return undefined;
  }
}

/**
 * Starts FerretDB and resolves once it listens. The child stops when we call stop(), and by itself when this
 * process dies (it watches its stdin), so no orphan keeps the data directory locked.
 */
export async function startFerretDb(options: FerretDbOptions): Promise<FerretDbHandle> {
  const binary = await ensureFerretDbBinary(options);
  const dbDir = path.resolve(options.dataDir);
  fs.mkdirSync(dbDir, { recursive: true, mode: 0o700 });
  const args = ['--handler', options.backend, '--listen', options.listen ?? '127.0.0.1:0', '--state-file', stateFilePath(dbDir), '--stdin-eof-exit'];
  if (options.backend === 'sqlite') args.push('--sqlite-dir', dbDir);
  else args.push('--postgresql-url', options.postgresqlUrl ?? '');
  args.push(...(options.extraArgs ?? []));

  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const uri = await waitForReady(child);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    uri,
    owned: true,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function waitForReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new AppError('unavailable', `FerretDB did not start within 60 s: ${stderr.slice(-2000)}`));
    }, 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^READY (\S+)$/m.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new AppError('unavailable', `FerretDB could not be started: ${err.message}`, undefined, { cause: err }));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new AppError('unavailable', `FerretDB exited (code ${code}) before it was ready: ${stderr.trim().slice(-2000)}`));
    });
  });
}
