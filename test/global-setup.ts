import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startFerretDb } from '../src/store/ferretdb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

/** Starts one FerretDB (SQLite, temp dir, free port) for the run, or uses MONGODB_URI when it is given. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
