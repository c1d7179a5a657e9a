/**
 * `npm run bench:gpu`: GPU benchmarks. Each suite takes the open device and returns rows; add yours
 * to `suites`. Options: `--quick` (small shapes, for software adapters), `--backend <name>`, and
 * words filtering suites by key (`npm run bench:gpu -- kernels`). A run without --quick writes
 * bench/RESULTS-gpu.md; a filtered one replaces only its own suites' rows there.
 */
import { join } from 'node:path';
import { destroyAllGpus, openGpu, type RefsimGpu } from '../src/gpu/device.ts';
import type { BackendName } from '../src/gpu/types.ts';
import { benchDir, type BenchRow, formatTable, writeResults } from './lib.ts';

type GpuSuite = (ctx: RefsimGpu, opts: { quick: boolean; log: (s: string) => void }) => Promise<{ rows: BenchRow[]; notes: string[] }>;

const suites: Record<string, () => Promise<GpuSuite>> = {
  kernels: async () => (await import('./gpuKernels.ts')).kernelsSuite,
  stress: async () => (await import('./stress.ts')).stressSuite,
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const backendAt = args.indexOf('--backend');
const backend = backendAt >= 0 ? (args[backendAt + 1] as BackendName) : undefined;
const filter = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '--backend');
const log = (s: string) => process.stderr.write(`${s}\n`);

const ctx = await openGpu(backend === undefined ? {} : { backend });
const rows: BenchRow[] = [];
const notes: string[] = [];
try {
  for (const [key, load] of Object.entries(suites)) {
    if (filter.length > 0 && !filter.some((f) => key.includes(f))) continue;
    const r = await (await load())(ctx, { quick, log });
    rows.push(...r.rows);
    notes.push(...r.notes);
  }
} finally {
  destroyAllGpus();
}
process.stdout.write(`${formatTable(rows)}\n${notes.join('\n')}\n`);
if (!quick) {
  const command = ['npm run bench:gpu', ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
  writeResults(join(benchDir, 'RESULTS-gpu.md'), 'GPU benchmarks', command, rows, notes.join('\n'), { keepOthers: filter.length > 0 });
}
