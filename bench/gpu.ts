/**
 * `npm run bench:gpu`: GPU benchmarks. Each suite takes the open device and returns rows; add yours
 * to `suites`. Options: `--quick` (small shapes, for software adapters), `--backend <name>`,
 * `--results <file>` (also write the table there, e.g. for a filtered run), and words filtering
 * suites by key (`npm run bench:gpu -- gemm latency seed`: the GEMM rows, Dawn's round trips and
 * the seed's stress form alone). A run without --quick writes bench/RESULTS-gpu.md; a filtered one
 * replaces only its own suites' rows there.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { destroyAllGpus, openGpu, type RefsimGpu } from '../src/gpu/device.ts';
import type { BackendName } from '../src/gpu/types.ts';
import { benchDir, type BenchRow, formatTable, writeResults } from './lib.ts';

type GpuSuite = (ctx: RefsimGpu, opts: { quick: boolean; log: (s: string) => void }) => Promise<{ rows: BenchRow[]; notes: string[] }>;

const suites: Record<string, () => Promise<GpuSuite>> = {
  kernels: async () => (await import('./gpuKernels.ts')).kernelsSuite,
  gemm: async () => (await import('./gpuKernels.ts')).gemmSuite,
  pool: async () => (await import('./gpuPool.ts')).poolSuite,
  latency: async () => (await import('./gpuLatency.ts')).latencySuite,
  seed: async () => (await import('./stress.ts')).seedFormSuite,
  stress: async () => (await import('./stress.ts')).stressSuite,
};
/** Suites whose rows a full run already has (in `kernels`): run only when named. */
const namedOnly = new Set(['gemm']);

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const backendAt = args.indexOf('--backend');
const backend = backendAt >= 0 ? (args[backendAt + 1] as BackendName) : undefined;
const resultsAt = args.indexOf('--results');
const resultsFile = resultsAt >= 0 ? args[resultsAt + 1] : undefined;
if (resultsAt >= 0 && (resultsFile === undefined || resultsFile.startsWith('-') || !existsSync(dirname(resolve(resultsFile))))) {
  process.stderr.write(`bench:gpu: --results needs a file name in an existing directory; got ${resultsFile ?? 'nothing'}\n`);
  process.exit(2);
}
const filter = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '--backend' && args[i - 1] !== '--results');
const log = (s: string) => process.stderr.write(`${s}\n`);

const ctx = await openGpu(backend === undefined ? {} : { backend });
const rows: BenchRow[] = [];
const notes: string[] = [];
try {
  for (const [key, load] of Object.entries(suites)) {
    if (filter.length > 0 ? !filter.some((f) => key.includes(f)) : namedOnly.has(key)) continue;
    const r = await (await load())(ctx, { quick, log });
    rows.push(...r.rows);
    notes.push(...r.notes);
  }
} finally {
  destroyAllGpus();
}
process.stdout.write(`${formatTable(rows)}\n${notes.join('\n')}\n`);
const command = ['npm run bench:gpu', ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
if (!quick) writeResults(join(benchDir, 'RESULTS-gpu.md'), 'GPU benchmarks', command, rows, notes.join('\n'), { keepOthers: filter.length > 0 });
if (resultsFile !== undefined) writeResults(resolve(resultsFile), 'GPU benchmarks', command, rows, notes.join('\n'));
