import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';

/** A module as `go mod edit -json` (Require) and `go mod download -json` describe it. */
export interface GoModule {
  Path: string;
  Version: string;
  Error?: string;
}

export interface GoResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `go <args>` in a directory; never rejects on a non-zero exit (the caller decides). */
export type RunGo = (args: string[], cwd: string) => Promise<GoResult>;

/** Calls `tick` every `ms` until the returned function is called. Injected so tests need no wall clock. */
export type Every = (ms: number, tick: () => void) => () => void;

export interface BuildDeps {
  clock: Clock;
  every: Every;
  runGo: RunGo;
}

/** How often a person waiting sees a line while a step is silent. */
export const TICK_MS = 10_000;

/**
 * Builds the FerretDB wrapper in `sourceDir` to `target`, telling a person waiting what happens, how far it got
 * and how long it took: first the Go modules it lacks (counted in the module cache as they arrive, because
 * `go mod download -json` prints nothing until every download has finished), then a line every 10 s while
 * compiling. Builds to a temporary name and renames, so two processes building at once never see half a binary.
 */
export async function buildFerretDb(
  sourceDir: string,
  target: string,
  onProgress: (message: string) => void = () => {},
  deps: BuildDeps = { clock: systemClock, every: realEvery, runGo },
): Promise<void> {
  const started = deps.clock.now().getTime();
  const required = JSON.parse((await goOrThrow(deps.runGo, ['mod', 'edit', '-json'], sourceDir, 'reading tools/ferretdb/go.mod')).stdout) as {
    Require?: GoModule[];
  };
  const modules = required.Require ?? [];
  const moduleCache = (await goOrThrow(deps.runGo, ['env', 'GOMODCACHE'], sourceDir, 'finding the Go module cache')).stdout.trim();
  const missing = modules.filter((module) => !isDownloaded(moduleCache, module));

  if (missing.length === 0) {
    onProgress(`Building the embedded database (FerretDB): its ${modules.length} Go modules are already downloaded.`);
  } else {
    onProgress(`Building the embedded database (FerretDB): downloading ${missing.length} of its ${modules.length} Go modules...`);
    const downloaded = () => missing.filter((module) => isDownloaded(moduleCache, module)).length;
    const result = await whileTicking(deps, deps.runGo(['mod', 'download', '-json'], sourceDir), onProgress, (elapsed) =>
      `Downloaded ${downloaded()} of ${missing.length} Go modules, ${elapsed}`,
    );
    const failed = parseGoModDownloadJson(result.value.stdout).filter((module) => module.Error);
    if (result.value.code === 0) onProgress(`Downloaded ${missing.length} Go modules in ${formatDuration(result.elapsedMs)}.`);
    else {
      // Offline, this also fails for modules only other build tags use (go.mod lists them all), which the build
      // does not need: let the compiler say whether it misses one.
      const reason = failed[0]?.Error ?? result.value.stderr.trim().split('\n')[0];
      onProgress(`Could not download ${failed.length || 'some'} Go modules (${reason}); compiling with what is there.`);
    }
  }

  onProgress('Compiling FerretDB and SQLite (the longest part: one to three minutes the first time)...');
  const tmp = `${target}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // -buildvcs=false: the binary must not depend on git being installed or on the checkout's state.
  const build = await whileTicking(deps, deps.runGo(['build', '-trimpath', '-buildvcs=false', '-o', tmp, '.'], sourceDir), onProgress, (elapsed) =>
    `Still compiling, ${elapsed}`,
  );
  if (build.value.code !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new AppError('unavailable', `Building tools/ferretdb failed:\n${lastLines(build.value.stderr)}`);
  }
  fs.renameSync(tmp, target);
  onProgress(`Embedded database built in ${formatDuration(deps.clock.now().getTime() - started)}.`);
}

/** Says `line(elapsed)` every TICK_MS while `work` runs; resolves with its value and how long it took. */
async function whileTicking<T>(
  deps: BuildDeps,
  work: Promise<T>,
  say: (message: string) => void,
  line: (elapsed: string) => string,
): Promise<{ value: T; elapsedMs: number }> {
  const started = deps.clock.now().getTime();
  const elapsedMs = () => deps.clock.now().getTime() - started;
  const stop = deps.every(TICK_MS, () => say(line(formatDuration(elapsedMs()))));
  try {
    return { value: await work, elapsedMs: elapsedMs() };
  } finally {
    stop();
  }
}

/**
 * `go mod download -json` prints one indented JSON object per module, one after another (not one per line).
 * A new object starts where a line is exactly "{".
 */
export function parseGoModDownloadJson(stdout: string): GoModule[] {
  return stdout
    .split(/^(?=\{$)/m)
    .map((chunk) => chunk.trim())
    .filter(Boolean)
    .map((chunk) => JSON.parse(chunk) as GoModule);
}

/**
 * Whether the module's zip is in the module cache. Its download directory has the GOPROXY protocol's layout
 * (go.dev/ref/mod#module-cache), where an upper-case letter is written as "!" and the letter in lower case.
 */
export function isDownloaded(moduleCache: string, module: Pick<GoModule, 'Path' | 'Version'>): boolean {
  const escape = (text: string) => text.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`);
  return fs.existsSync(path.join(moduleCache, 'cache', 'download', escape(module.Path), '@v', `${escape(module.Version)}.zip`));
}

/** "8 s", "1 min 5 s", "2 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ''}`;
}

const lastLines = (text: string) => text.trim().split('\n').slice(-20).join('\n');

async function goOrThrow(run: RunGo, args: string[], cwd: string, doing: string): Promise<GoResult> {
  const result = await run(args, cwd);
  if (result.code !== 0) throw new AppError('unavailable', `${doing} (go ${args.join(' ')}) failed:\n${lastLines(result.stderr)}`);
  return result;
}

export const realEvery: Every = (ms, tick) => {
  const timer = setInterval(tick, ms);
  return () => clearInterval(timer);
};

/** The real `go`, found on PATH. */
export const runGo: RunGo = (args, cwd) =>
  new Promise((resolve, reject) => {
    const child = spawn('go', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-64_000)));
    child.once('error', (err) => reject(new AppError('unavailable', `go ${args[0]} could not be started: ${err.message}`, undefined, { cause: err })));
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
