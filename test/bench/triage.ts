/**
 * `npm run bench:triage`: triage assessments per second and per-call latency (p50, p99) on one core, over a
 * mix of the evaluation texts. Pure CPU work: no database or network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { triage } from '../../src/domain/triage/engine.js';
import { fmt, percentile } from './stats.js';

const ROUNDS = Number(process.argv[2] ?? 20);
const NOW = new Date('2025-03-12T14:00:00');

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'eval', 'triage-cases.jsonl');
const texts = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as { text: string; age?: number });

// Warm-up: JIT and the normaliser's spelling cache, as in a running server.
for (const sample of texts) triage({ text: sample.text, age: sample.age, now: NOW });

const latencies: number[] = [];
const started = performance.now();
for (let round = 0; round < ROUNDS; round++) {
  for (const sample of texts) {
    const t0 = performance.now();
    triage({ text: sample.text, age: sample.age, now: NOW });
    latencies.push(performance.now() - t0);
  }
}
const seconds = (performance.now() - started) / 1000;
latencies.sort((left, right) => left - right);
console.log(`triage bench: ${latencies.length} assessments (${texts.length} eval texts x ${ROUNDS} rounds), one core`);
console.log(`  throughput  ${fmt(latencies.length / seconds, 0)} assessments/s`);
console.log(`  latency     p50 ${fmt(percentile(latencies, 50), 3)} ms   p99 ${fmt(percentile(latencies, 99), 3)} ms   max ${fmt(latencies[latencies.length - 1] ?? NaN, 3)} ms`);

const adversarial = `${'chest '.repeat(4000)}${'a'.repeat(20_000)}`;
const t0 = performance.now();
triage({ text: adversarial, now: NOW });
console.log(`  50 KB adversarial input: ${fmt(performance.now() - t0, 1)} ms`);
