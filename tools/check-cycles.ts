/**
 * Fails when relative imports form a cycle (STYLE.md habit 13). Reads the import lines of every .ts file
 * under src, dialogs and schedules; type-only imports count too, since a cycle of types is still a tangle.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOTS = ['src', 'dialogs', 'schedules'];
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm;

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

const graph = new Map<string, string[]>();
for (const file of ROOTS.flatMap(files)) {
  const source = fs.readFileSync(file, 'utf8');
  const targets = [...source.matchAll(IMPORT)].map((match) => path.join(path.dirname(file), match[1]!.replace(/\.js$/, '.ts')));
  graph.set(file, targets);
}

const cycles: string[][] = [];
const state = new Map<string, 'visiting' | 'done'>();
const stack: string[] = [];
function visit(file: string): void {
  if (state.get(file) === 'done') return;
  if (state.get(file) === 'visiting') {
    cycles.push([...stack.slice(stack.indexOf(file)), file]);
    return;
  }
  state.set(file, 'visiting');
  stack.push(file);
  for (const target of graph.get(file) ?? []) visit(target);
  stack.pop();
  state.set(file, 'done');
}
for (const file of graph.keys()) visit(file);

if (cycles.length > 0) {
  for (const cycle of cycles) console.error(`import cycle: ${cycle.join(' -> ')}`);
  process.exit(1);
}
console.log(`no import cycles in ${graph.size} files`);
