/**
 * `refsim check PATH…`: judges tensors computed by any backend (PyTorch on MPS, CUDA, CPU), dumped
 * to safetensors (docs/check.md), against the reference with any-order bounds.
 * Exit codes (src/cli/exitCodes.ts): 0 every element exact or within, 1 any violation, 2 usage or
 * bad input (bad file, unknown op, params the op rejects), 3 no violation but some element unbounded.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { InputRangeError, RefsimError } from '../../errors.ts';
import type { AccuracyModel } from '../../check/accuracy.ts';
import type { FileCheck, JudgedDump } from '../../check/check.ts';
import type { DumpHeader } from '../../check/dump.ts';
import type { CheckReport } from '../../check/report.ts';
import { MOMENTS, type Moments } from '../../reference/bounds/common.ts';
import type { Profile } from '../../reference/tensor.ts';
import { reportExit } from '../exitCodes.ts';
import { checkOutputs } from '../outputs.ts';
import { startProgress } from '../progress.ts';
import { integerOption } from '../parse.ts';

interface CheckCliOptions {
  accuracy?: string;
  moments: Moments;
  profile: Profile;
  json?: string;
  html?: string;
  limit: number;
  explain?: number;
  quiet?: boolean;
  signedZero: 'any' | 'strict';
}

const DUMP_SUFFIX = '.safetensors';

/** The dump files named by `paths`: files as given, directories walked for *.safetensors (sorted). */
export function collectDumps(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && entry.name.endsWith(DUMP_SUFFIX)) out.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new RefsimError('E_NO_DUMP', `${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
    if (st.isDirectory()) {
      const before = out.length;
      walk(p);
      if (out.length === before) throw new RefsimError('E_NO_DUMP', `${p}: no *${DUMP_SUFFIX} dumps in this directory`);
    } else {
      out.push(p);
    }
  }
  return out;
}

/** `--explain INDEX`: one element of one dump, with its verdict and receptive field. */
async function explain(j: JudgedDump, index: number, limitTaps: number): Promise<string> {
  const [{ elementClassifier }, { formatCoords }, { f32WithBits }, { elementDetailLines, elementVerdictText, receptiveFieldLines }, { getOpSpec }] = await Promise.all([
    import('../../diff/classify.ts'), import('../../util/coords.ts'), import('../../diff/format.ts'), import('../../diff/repro.ts'), import('../../ops/registry.ts'),
  ]);
  const spec = getOpSpec(j.check.op);
  const n = j.expected.data.length;
  if (index >= n) throw new InputRangeError('--explain', `an element index in [0, ${n - 1}] (output [${j.check.outputShape.join('×')}])`, index);
  const e = elementClassifier(j.classifyInput)(index);
  const c = j.classifyInput.case;
  const head = `${j.check.file}: output${formatCoords(j.check.outputShape, index)} (index ${index}): `;
  if (e === null) {
    const v = j.expected.data[index]!;
    return `${[`${head}exact (bit-identical)`, `     value      ${f32WithBits(v)}`, ...receptiveFieldLines(spec, c, index, limitTaps)].join('\n')}\n`;
  }
  return `${[`${head}${elementVerdictText(e)}`, ...elementDetailLines(spec, c, e, 'got', limitTaps)].join('\n')}\n`;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('judge tensors a backend computed (PyTorch on MPS, CUDA, CPU; safetensors dumps) against the reference: exact / within any-order bound / unbounded / violation per element')
    .argument('<paths...>', `dump files (*${DUMP_SUFFIX}) or directories of them`)
    .option('--accuracy <model>', "the backend's arithmetic: exact, wgsl, cuda, or a JSON Accuracy (default: from each dump's device metadata)")
    .addOption(new Option('--moments <family>', 'how the backend may compute normalisation moments').choices([...MOMENTS]).default('stable'))
    .addOption(new Option('--profile <profile>', 'arithmetic profile of the reference (its own bound covers either)').choices(['strict', 'fma']).default('strict'))
    .addOption(new Option('--signed-zero <rule>', 'any: a −0/+0 swap is within (PyTorch defines no sign of zero); strict: a violation').choices(['any', 'strict']).default('any'))
    .option('--json <file>', 'also write the report as JSON')
    .option('--html <file>', 'also write a self-contained HTML report (ULP histograms, heatmaps)')
    .option('--limit <n>', 'differing elements listed per dump (worst first)', integerOption('--limit', 1, 10_000), 5)
    .option('--explain <index>', 'one dump only: print element INDEX (flat, row-major) with its inputs', integerOption('--explain', 0, 2 ** 53 - 1))
    .option('--quiet', 'no progress bar')
    .action(async (paths: string[], o: CheckCliOptions) => {
      // Loaded here, not at start-up, so other commands start fast.
      const [{ parseAccuracyOption }, { checkDump }, { inspectDump, loadDump }, { checkExitCode, checkReportJson, formatCheckText, renderCheckHtml }, { writeFileAtomic }] = await Promise.all([
        import('../../check/accuracy.ts'), import('../../check/check.ts'), import('../../check/dump.ts'), import('../../check/report.ts'), import('../../util/atomicWrite.ts'),
      ]);
      const { limit } = o;
      const explainIndex = o.explain ?? null;
      const model: AccuracyModel | undefined = o.accuracy === undefined ? undefined : parseAccuracyOption(o.accuracy);
      checkOutputs([
        o.json === undefined ? null : { option: '--json', path: o.json, kind: 'file' },
        o.html === undefined ? null : { option: '--html', path: o.html, kind: 'file' },
      ]);
      const files = collectDumps(paths);
      if (explainIndex !== null && files.length !== 1) throw new InputRangeError('--explain', 'used with exactly one dump file', `${files.length} dumps`);
      // Every header first: a bad file fails in milliseconds, before any long work.
      const headers: DumpHeader[] = files.map(inspectDump);
      const t0 = performance.now();
      const opts = { ...(model === undefined ? {} : { accuracy: model }), moments: o.moments, profile: o.profile, keep: limit, signedZero: o.signedZero };
      const bar = startProgress({ format: 'check {bar} {value}/{total} dumps | {file}', total: headers.length, payload: { file: '' }, quiet: o.quiet === true });
      const checks: FileCheck[] = [];
      let last: JudgedDump | null = null;
      try {
        for (const h of headers) {
          bar.update(checks.length, { file: h.file });
          last = checkDump(loadDump(h), opts);
          checks.push(last.check);
        }
      } finally {
        bar.stop();
      }
      if (explainIndex !== null) {
        process.stdout.write(await explain(last!, explainIndex, 64));
        reportExit(checkExitCode({ files: checks, moments: o.moments, profile: o.profile, accuracyOverride: null, limit, seconds: 0 }));
        return;
      }
      const report: CheckReport = {
        files: checks, moments: o.moments, profile: o.profile, accuracyOverride: model?.source ?? null, limit, seconds: (performance.now() - t0) / 1000,
      };
      process.stdout.write(formatCheckText(report));
      if (o.json !== undefined) writeFileAtomic(o.json, `${JSON.stringify(checkReportJson(report), null, 2)}\n`);
      if (o.html !== undefined) writeFileAtomic(o.html, renderCheckHtml(report));
      reportExit(checkExitCode(report));
    });
}
