import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.js';
import { buildFerretDb, formatDuration, isDownloaded, parseGoModDownloadJson, type BuildDeps, type GoResult } from '../../src/store/ferretdb-build.js';

// The progress lines of the first build, driven step by step: a scripted `go` whose slow commands finish when the
// test says, a clock the test moves, and a ticker the test fires. The module cache is a real directory.

const MODULES = [
  { Path: 'github.com/FerretDB/FerretDB', Version: 'v1.24.2' },
  { Path: 'modernc.org/sqlite', Version: 'v1.32.0' },
  { Path: 'github.com/SAP/go-hdb', Version: 'v1.13.6' },
];

/** What `go mod download -json` printed for two of them (copied from a real run). */
const DOWNLOAD_JSON = `{
\t"Path": "github.com/FerretDB/FerretDB",
\t"Version": "v1.24.2",
\t"Zip": "/root/go/pkg/mod/cache/download/github.com/!ferret!d!b/!ferret!d!b/@v/v1.24.2.zip",
\t"Dir": "/root/go/pkg/mod/github.com/!ferret!d!b/!ferret!d!b@v1.24.2",
\t"Sum": "h1:trrUU0LbmusMbyubhPS1IELncvrIwKrsRT2LW1UUWCw="
}
{
\t"Path": "modernc.org/sqlite",
\t"Version": "v1.32.0",
\t"Origin": {
\t\t"VCS": "git"
\t},
\t"Zip": "/root/go/pkg/mod/cache/download/modernc.org/sqlite/@v/v1.32.0.zip"
}
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-gobuild-'));
  dirs.push(dir);
  return dir;
};

/** Puts a module's zip where `go mod download` leaves it. */
function download(moduleCache: string, zipPath: string): void {
  const file = path.join(moduleCache, 'cache', 'download', zipPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'zip');
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** A `go` that answers go.mod and GOMODCACHE at once and lets the test finish `mod download` and `build`. */
function scriptedGo(moduleCache: string) {
  const started = { download: deferred<void>(), build: deferred<string>() };
  const finish = { download: deferred<GoResult>(), build: deferred<GoResult>() };
  const calls: string[] = [];
  const runGo = async (args: string[]): Promise<GoResult> => {
    calls.push(args.join(' '));
    const command = args.slice(0, 2).join(' ');
    if (command === 'mod edit') return { code: 0, stdout: JSON.stringify({ Module: { Path: 'careloop/tools/ferretdb' }, Require: MODULES }), stderr: '' };
    if (command === 'env GOMODCACHE') return { code: 0, stdout: `${moduleCache}\n`, stderr: '' };
    if (command === 'mod download') {
      started.download.resolve();
      return finish.download.promise;
    }
    if (args[0] === 'build') {
      started.build.resolve(args[args.indexOf('-o') + 1] ?? '');
      return finish.build.promise;
    }
    throw new Error(`unexpected go ${args.join(' ')}`);
  };
  return { runGo, started, finish, calls };
}

function manualTicker() {
  const ticks = new Set<() => void>();
  return {
    every: (_ms: number, tick: () => void) => {
      ticks.add(tick);
      return () => ticks.delete(tick);
    },
    fire: () => ticks.forEach((tick) => tick()),
    get running() {
      return ticks.size;
    },
  };
}

describe('building the embedded database with progress', () => {
  it('counts the Go modules it lacks as they arrive, says it is still compiling, and how long it all took', async () => {
    const moduleCache = tempDir();
    download(moduleCache, 'github.com/!ferret!d!b/!ferret!d!b/@v/v1.24.2.zip'); // already there from an earlier build
    const go = scriptedGo(moduleCache);
    const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
    const ticker = manualTicker();
    const deps: BuildDeps = { clock, every: ticker.every, runGo: go.runGo };
    const target = path.join(tempDir(), 'bin', 'ferretdb');
    const lines: string[] = [];

    const build = buildFerretDb('/src/tools/ferretdb', target, (line) => lines.push(line), deps);
    await go.started.download.promise;
    expect(lines).toEqual(['Building the embedded database (FerretDB): downloading 2 of its 3 Go modules...']);
    clock.advance(10_000);
    ticker.fire();
    download(moduleCache, 'modernc.org/sqlite/@v/v1.32.0.zip');
    clock.advance(10_000);
    ticker.fire();
    download(moduleCache, 'github.com/!s!a!p/go-hdb/@v/v1.13.6.zip');
    clock.advance(5_000);
    go.finish.download.resolve({ code: 0, stdout: DOWNLOAD_JSON, stderr: '' });

    const tmp = await go.started.build.promise;
    expect(ticker.running).toBe(1); // the download ticker stopped; the compile ticker runs
    clock.advance(10_000);
    ticker.fire();
    clock.advance(60_000);
    ticker.fire();
    fs.writeFileSync(tmp, 'binary');
    clock.advance(10_000);
    go.finish.build.resolve({ code: 0, stdout: '', stderr: '' });
    await build;

    expect(lines).toEqual([
      'Building the embedded database (FerretDB): downloading 2 of its 3 Go modules...',
      'Downloaded 0 of 2 Go modules, 10 s',
      'Downloaded 1 of 2 Go modules, 20 s',
      'Downloaded 2 Go modules in 25 s.',
      'Compiling FerretDB and SQLite (the longest part: one to three minutes the first time)...',
      'Still compiling, 10 s',
      'Still compiling, 1 min 10 s',
      'Embedded database built in 1 min 45 s.',
    ]);
    expect(ticker.running).toBe(0);
    expect(fs.readFileSync(target, 'utf8')).toBe('binary');
    expect(fs.existsSync(tmp)).toBe(false);
    expect(go.calls).toContain(`build -trimpath -buildvcs=false -o ${tmp} .`);
  });

  it('skips the download when every module is there, and reports a failed compile with its errors', async () => {
    const moduleCache = tempDir();
    download(moduleCache, 'github.com/!ferret!d!b/!ferret!d!b/@v/v1.24.2.zip');
    download(moduleCache, 'modernc.org/sqlite/@v/v1.32.0.zip');
    download(moduleCache, 'github.com/!s!a!p/go-hdb/@v/v1.13.6.zip');
    const go = scriptedGo(moduleCache);
    const ticker = manualTicker();
    const target = path.join(tempDir(), 'ferretdb');
    const lines: string[] = [];

    const build = buildFerretDb('/src', target, (line) => lines.push(line), { clock: fixedClock(new Date()), every: ticker.every, runGo: go.runGo });
    const tmp = await go.started.build.promise;
    fs.writeFileSync(tmp, 'half a binary');
    go.finish.build.resolve({ code: 1, stdout: '', stderr: '# careloop/tools/ferretdb\n./main.go:12:2: undefined: ferretdb.Run\n' });

    await expect(build).rejects.toThrow(/Building tools\/ferretdb failed:\n# careloop\/tools\/ferretdb\n\.\/main\.go:12:2: undefined: ferretdb\.Run/);
    expect(go.calls.some((call) => call.startsWith('mod download'))).toBe(false);
    expect(lines[0]).toBe('Building the embedded database (FerretDB): its 3 Go modules are already downloaded.');
    expect(fs.existsSync(tmp)).toBe(false);
    expect(fs.existsSync(target)).toBe(false);
    expect(ticker.running).toBe(0);
  });

  it('compiles with what is cached when a download fails (offline), saying why', async () => {
    const moduleCache = tempDir();
    const go = scriptedGo(moduleCache);
    const lines: string[] = [];
    const build = buildFerretDb('/src', path.join(tempDir(), 'ferretdb'), (line) => lines.push(line), {
      clock: fixedClock(new Date()),
      every: manualTicker().every,
      runGo: go.runGo,
    });
    await go.started.download.promise;
    go.finish.download.resolve({ code: 1, stdout: '', stderr: 'go: github.com/SAP/go-hdb@v1.13.6: module lookup disabled by GOPROXY=off\n' });
    const tmp = await go.started.build.promise;
    fs.writeFileSync(tmp, 'binary');
    go.finish.build.resolve({ code: 0, stdout: '', stderr: '' });
    await build;
    expect(lines[1]).toBe('Could not download some Go modules (go: github.com/SAP/go-hdb@v1.13.6: module lookup disabled by GOPROXY=off); compiling with what is there.');
    expect(lines.at(-1)).toBe('Embedded database built in 0 s.');
  });
});

describe('build progress pieces', () => {
  it('reads the objects `go mod download -json` prints one after another', () => {
    expect(parseGoModDownloadJson(DOWNLOAD_JSON).map((module) => [module.Path, module.Version])).toEqual([
      ['github.com/FerretDB/FerretDB', 'v1.24.2'],
      ['modernc.org/sqlite', 'v1.32.0'],
    ]);
    expect(parseGoModDownloadJson('{\n\t"Path": "x.org/y",\n\t"Version": "v1.0.0",\n\t"Error": "not found"\n}\n')).toEqual([
      { Path: 'x.org/y', Version: 'v1.0.0', Error: 'not found' },
    ]);
    expect(parseGoModDownloadJson('')).toEqual([]);
  });

  it('finds a module in the cache under its escaped path (capitals as !letter)', () => {
    const moduleCache = tempDir();
    const module = { Path: 'github.com/FerretDB/FerretDB', Version: 'v1.24.2' };
    expect(isDownloaded(moduleCache, module)).toBe(false);
    download(moduleCache, 'github.com/FerretDB/FerretDB/@v/v1.24.2.zip'); // unescaped: not where Go puts it
    expect(isDownloaded(moduleCache, module)).toBe(false);
    download(moduleCache, 'github.com/!ferret!d!b/!ferret!d!b/@v/v1.24.2.zip');
    expect(isDownloaded(moduleCache, module)).toBe(true);
  });

  it('writes durations the way a person says them', () => {
    expect([0, 8_400, 59_600, 60_000, 65_000, 125_000].map(formatDuration)).toEqual(['0 s', '8 s', '1 min', '1 min', '1 min 5 s', '2 min 5 s']);
  });
});
