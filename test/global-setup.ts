import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ferretDbBinaryIsCurrent, startFerretDb } from '../src/store/ferretdb.js';
import { describeMissing, findMissing, testMachine } from './helpers/prerequisites.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

/**
 * Checks the machine first (Go, chromium, PostgreSQL), then starts one FerretDB (SQLite, temp dir, free port) for
 * the run, or uses MONGODB_URI when it is given.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Go even with MONGODB_URI: the e2e tests start CareLoop processes on the embedded database (test/helpers/process.ts).
  const missing = await findMissing(testMachine(process.env, !ferretDbBinaryIsCurrent()));
  if (missing.length) {
    // Exit rather than throw: vitest would bury the list under "No test files found" and an error banner.
    process.stderr.write(`\n${describeMissing(missing)}\n\n`);
    process.exit(1);
  }

  const external = process.env.MONGODB_URI;
  if (external) {
    project.provide('mongoUri', external);
    return async () => {};
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-test-db-'));
  const ferret = await startFerretDb({ backend: 'sqlite', dataDir, onProgress: (message) => console.log(message) });
  project.provide('mongoUri', ferret.uri);
  return async () => {
    await ferret.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

