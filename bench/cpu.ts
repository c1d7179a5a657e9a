/**
 * `npm run bench`: CPU-side benchmarks. Each suite module exports a BenchSuite; add yours to the
 * list. Optional filter: `npm run bench -- counter` runs suites whose key contains the word and
 * replaces only their rows in bench/RESULTS.md.
 */
import { join } from 'node:path';
import { benchDir, type BenchRow, type BenchSuite, formatTable, writeResults } from './lib.ts';

const suites: Record<string, () => Promise<BenchSuite>> = {
  counter: async () => (await import('./counter.ts')).counterSuite,
  'reference-ops': async () => (await import('./referenceOps.ts')).default,
  'fast-reference': async () => (await import('./fastReference.ts')).default,
  explore: async () => (await import('./explore.ts')).exploreSuite,
  bounds: async () => (await import('./bounds.ts')).default,
  diff: async () => (await import('./diff.ts')).diffBench,
  check: async () => (await import('./check.ts')).default,
  startup: async () => (await import('./startup.ts')).default,
};

const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const rows: BenchRow[] = [];
for (const [key, load] of Object.entries(suites)) {
  if (filter.length > 0 && !filter.some((f) => key.includes(f))) continue;
  process.stderr.write(`bench: ${key}...\n`);
  rows.push(...(await (await load())()));
}
process.stdout.write(`${formatTable(rows)}\n`);
writeResults(join(benchDir, 'RESULTS.md'), 'CPU benchmarks', ['npm run bench', ...(filter.length > 0 ? ['--', ...filter] : [])].join(' '), rows, '', { keepOthers: filter.length > 0 });
