import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../helpers/api.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let api: TestApi;
let key: string;

beforeAll(async () => {
  api = await testApi();
  key = await api.keyFor('integration');
});

/** Runs the batch CLI exactly as documented: JSON lines in, one JSON line out per input. */
function runCli(lines: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/triage.ts', '--jsonl'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout }));
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}

const ruleId = (rule: unknown) => (typeof rule === 'string' ? rule : (rule as { id: string }).id);

describe('POST /api/v1/triage', () => {
  it('returns the level, red flags, findings, advice and the rule that decided', async () => {
    const res = await api.call(key, 'POST', '/api/v1/triage', { text: 'crushing chest pain going down my left arm and sweating for 20 minutes', age: 61 });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.level).toBe('emergency');
    expect(body.redFlags.length).toBeGreaterThan(0);
    expect(body.rule).toMatchObject({ id: expect.any(String), source: expect.any(String), because: expect.any(String) });
    expect(body.advice.join(' ')).toMatch(/911/);
    expect(body.advice.join(' ')).not.toMatch(/\{EMERGENCY_NUMBER\}/);
    expect(body.findings.symptoms.length).toBeGreaterThan(0);
  });

  it.each([
    ['an empty body', {}],
    ['empty text', { text: '   ' }],
    ['50 KB of text', { text: 'pain '.repeat(10_000) }],
    ['a number for text', { text: 42 }],
    ['an operator object', { text: { $gt: '' } }],
    ['a wrong age', { text: 'headache', age: 'old' }],
    ['an unknown field', { text: 'headache', diagnosis: 'flu' }],
  ])('answers %s with a clear 400', async (_label, body) => {
    const res = await api.call(key, 'POST', '/api/v1/triage', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
  });

  it('needs an API key', async () => {
    expect((await api.call(undefined, 'POST', '/api/v1/triage', { text: 'headache' })).statusCode).toBe(401);
  });

  it('gives the same result as the batch CLI for the same input', async () => {
    const cases = fs.readFileSync(path.join(ROOT, 'test/eval/triage-cases.jsonl'), 'utf8').trim().split('\n').slice(0, 40)
      .map((line) => JSON.parse(line) as { id: string; text: string; age?: number; sex?: 'female' | 'male' | 'other' });
    const cli = await runCli(cases.map(({ id, text, age, sex }) => JSON.stringify({ id, text, age, sex })));
    expect(cli.code).toBe(0);
    const outputs = cli.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; level: string; redFlags: string[]; rule: unknown });
    expect(outputs.map((o) => o.id)).toEqual(cases.map((c) => c.id));
    for (const [i, input] of cases.entries()) {
      const res = await api.call(key, 'POST', '/api/v1/triage', { text: input.text, ...(input.age === undefined ? {} : { age: input.age }), ...(input.sex ? { sex: input.sex } : {}) });
      const viaApi = res.json();
      expect({ level: viaApi.level, redFlags: viaApi.redFlags, rule: viaApi.rule.id }, input.id).toEqual({ level: outputs[i]!.level, redFlags: outputs[i]!.redFlags, rule: ruleId(outputs[i]!.rule) });
    }
  });
});
