/**
 * `npm run --silent triage -- --jsonl`: batch triage. Reads JSON lines `{ id, text, age?, sex? }` on stdin and
 * writes exactly one JSON line `{ id, level, redFlags, rule }` per input line on stdout, in order. A line that
 * is not valid JSON or does not match the shape gets `{ id?, error }` instead. Blank lines are skipped.
 * Exit code 0 unless stdin cannot be read (1) or the arguments are wrong (2). Nothing else goes to stdout.
 */
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { triage } from '../domain/triage/engine.js';

const USAGE = 'Usage: npm run --silent triage -- --jsonl < cases.jsonl\n  each input line: { "id": ..., "text": "...", "age"?: number, "sex"?: "female" | "male" | "other" }';

const lineSchema = z.object({
  id: z.union([z.string(), z.number()]),
  text: z.string().max(100_000),
  age: z.number().min(0).max(125).optional(),
  sex: z.enum(['female', 'male', 'other']).optional(),
});

/** One output line for one input line; never throws. */
function triageLine(line: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return JSON.stringify({ error: 'invalid JSON' });
  }
  const id = typeof parsed === 'object' && parsed !== null && 'id' in parsed ? (parsed as { id: unknown }).id : undefined;
  const safeId = typeof id === 'string' || typeof id === 'number' ? id : undefined;
  const input = lineSchema.safeParse(parsed);
  if (!input.success) {
    const reason = input.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ');
    return JSON.stringify(safeId === undefined ? { error: reason } : { id: safeId, error: reason });
  }
  try {
    const result = triage({ text: input.data.text, age: input.data.age, sex: input.data.sex });
    return JSON.stringify({ id: input.data.id, level: result.level, redFlags: result.redFlags, rule: result.rule });
  } catch (cause) {
    // An engine bug must not stop the batch; the message names the failure, never the patient text.
    return JSON.stringify({ id: input.data.id, error: `triage failed: ${cause instanceof Error ? cause.message : String(cause)}` });
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { jsonl: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help || !values.jsonl) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      process.stdout.write(`${triageLine(line)}\n`);
    }
  } catch (cause) {
    console.error(`triage: cannot read stdin: ${cause instanceof Error ? cause.message : String(cause)}`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (cause: unknown) => {
    console.error(cause instanceof Error ? cause.message : String(cause));
    process.exitCode = 2;
  },
);
