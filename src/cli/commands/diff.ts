/**
 * `refsim diff`: the differential check of GPU kernels against the reference (src/diff).
 * Exit codes (src/cli/exitCodes.ts): 0 no violation, 1 at least one violation, 2 bad input, 3 no
 * adapter, device lost, or no violation but some element differs under an infinite bound.
 */
import { Command, Option } from 'commander';
import { InputRangeError, RefsimError } from '../../errors.ts';
import type { DiffReport } from '../../diff/report.ts';
import type { OpDiffSummary } from '../../diff/run.ts';
import { BACKENDS, type BackendName } from '../../gpu/types.ts';
import { OP_NAMES } from '../../ops/index.ts';
import type { OpName } from '../../ops/types.ts';
import type { Profile } from '../../reference/tensor.ts';
import { EXIT, reportExit } from '../exitCodes.ts';
import { rejectUnused } from '../flags.ts';
import { integerOption } from '../parse.ts';
import { checkOutputs } from '../outputs.ts';
import { startProgress, withElapsed } from '../progress.ts';

interface DiffCliOptions {
  op?: string;
  cases: number;
  seed?: number;
  backend?: BackendName;
  adapter?: string;
  profile: Profile | 'auto';
  special?: boolean;
  maxElements: number;
  batch: number;
  json?: string;
  html?: string;
  shard: string;
  quiet?: boolean;
  fixturesDir: string;
  shrink: boolean;
}

/** --op: one or more op names, comma-separated, each once; an empty list checks nothing and is an error. */
export function parseOps(text: string | undefined): OpName[] {
  if (text === undefined) return [...OP_NAMES];
  const names = text.split(',').map((s) => s.trim());
  if (names.every((n) => n === '')) throw new InputRangeError('--op', `one or more of ${OP_NAMES.join(', ')} (comma-separated)`, text);
  for (const n of names) {
    if (!(OP_NAMES as readonly string[]).includes(n)) throw new InputRangeError('--op', `one of ${OP_NAMES.join(', ')} (comma-separated)`, n);
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new InputRangeError('--op', 'a list naming each op once', text);
  return names as OpName[];
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('run fast-check-generated cases of every op on the GPU and the reference; classify every output element (exact / within bound / violation)')
    .option('--op <names>', `ops to check, comma-separated (default: all): ${OP_NAMES.join(', ')}`)
    .option('--cases <n>', 'cases per op in the whole campaign (all shards)', integerOption('--cases', 1, 100_000_000), 500)
    .option('--seed <n>', 'fast-check seed (default: random, printed)', integerOption('--seed', -(2 ** 31), 2 ** 31 - 1))
    .addOption(new Option('--backend <backend>', 'Dawn backend (default: REFSIM_BACKEND, else the platform default)').choices([...BACKENDS]))
    .option('--adapter <name>', 'adapter name substring, when several exist')
    .addOption(new Option('--profile <profile>', 'reference arithmetic profile; auto = what the probe measures').choices(['auto', 'strict', 'fma']).default('auto'))
    .option('--special', 'include NaN, ±Inf, −0 and subnormals among input values')
    .option('--max-elements <n>', 'upper bound on each input tensor\'s element count', integerOption('--max-elements', 1, 1 << 24), 2048)
    .option('--batch <n>', 'cases per GPU submission', integerOption('--batch', 1, 1_000_000), 256)
    .option('--json <file>', 'also write the report as JSON')
    .option('--html <file>', 'also write a self-contained HTML report (ULP histograms, worst-case heatmaps)')
    .option('--shard <i/n>', 'run only shard i of n (same seed, disjoint cases; the shards together are the whole campaign)', '1/1')
    .option('--quiet', 'no progress bar')
    .option('--fixtures-dir <dir>', 'where shrunk mismatches are saved', 'fixtures')
    .option('--no-shrink', 'report violations without shrinking and saving them')
    .action(async (o: DiffCliOptions, cmd: Command) => {
      const ops = parseOps(o.op);
      // Loaded here, not at start-up, so commands without a GPU or case generation start fast.
      const [{ openDiffGpu, judge }, { diffReportJson, formatDiffText, totalCounts, verdictExitCode }, { writeFileAtomic }, { parseShard, runOpDiff }, { gpuOps }, { opSpecs }] = await Promise.all([
        import('../../diff/gpu.ts'), import('../../diff/report.ts'), import('../../util/atomicWrite.ts'), import('../../diff/run.ts'), import('../../gpu/registry.ts'), import('../../ops/registry.ts'),
      ]);
      if (!o.shrink) rejectUnused(cmd, 'fixturesDir', '--fixtures-dir', 'with --no-shrink (nothing is shrunk or saved)');
      const { cases, maxElements, batch } = o;
      const seed = o.seed ?? (Math.random() * 2 ** 31) >>> 0;
      const shard = parseShard(o.shard);
      const explicit = o.op !== undefined;
      const missing = ops.filter((op) => gpuOps[op] === undefined || opSpecs[op] === undefined);
      if (explicit && missing.length > 0) throw new RefsimError('E_NO_KERNEL', `no GPU kernel or op spec yet for ${missing.join(', ')}`);
      const runnable = ops.filter((op) => !missing.includes(op));
      checkOutputs([
        o.json === undefined ? null : { option: '--json', path: o.json, kind: 'file' },
        o.html === undefined ? null : { option: '--html', path: o.html, kind: 'file' },
        o.shrink ? { option: '--fixtures-dir', path: o.fixturesDir, kind: 'dir' } : null,
      ]);

      const t0 = performance.now();
      const gpu = await withElapsed('diff: opening the GPU', openDiffGpu({ ...(o.backend === undefined ? {} : { backend: o.backend }), ...(o.adapter === undefined ? {} : { adapter: o.adapter }) }), { quiet: o.quiet === true });
      try {
        const j = await withElapsed('diff: probing the GPU', judge(gpu.isolated, o.profile), { quiet: o.quiet === true });
        const gen = { maxElements, specialValues: o.special === true };
        const perOp = Math.floor((shard.index * cases) / shard.count) - Math.floor(((shard.index - 1) * cases) / shard.count);
        const bar = startProgress({
          format: 'diff {bar} {percentage}% | {value}/{total} cases | {op} | ETA {eta_formatted}',
          total: perOp * runnable.length, payload: { op: runnable[0] ?? '' }, quiet: o.quiet === true,
        });
        const summaries: OpDiffSummary[] = [];
        try {
          for (const [k, op] of runnable.entries()) {
            bar.update(k * perOp, { op });
            summaries.push(await runOpDiff(opSpecs[op]!, gpu, {
              cases, seed, shard, batch, profile: j.profile, accuracy: j.accuracy, boundOrder: j.boundOrder, gen,
              fixturesDir: o.shrink ? o.fixturesDir : null, shrink: o.shrink,
              onProgress: (done) => bar.update(k * perOp + done, { op }),
            }));
          }
        } finally {
          bar.stop();
        }
        const report: DiffReport = {
          adapter: gpu.adapter, backend: gpu.backend, profile: j.profile, profileSource: j.profileSource, accuracy: j.accuracy,
          seed, cases, shard, batch, gen, ops: summaries, seconds: (performance.now() - t0) / 1000,
          boundOrder: j.boundOrder, relaxedMath: j.relaxedMath,
        };
        let text = formatDiffText(report);
        if (missing.length > 0) text += `skipped (no GPU kernel or op spec yet): ${missing.join(', ')}\n`;
        process.stdout.write(text);
        if (o.json !== undefined) writeFileAtomic(o.json, `${JSON.stringify({ ...(diffReportJson(report) as object), skipped: missing }, null, 2)}\n`);
        if (o.html !== undefined) writeFileAtomic(o.html, (await import('../../diff/html.ts')).renderDiffHtml(report));
        reportExit(verdictExitCode(totalCounts(report.ops)));
      } finally {
        await gpu.close();
      }
    });
}
