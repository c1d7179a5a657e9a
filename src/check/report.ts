/**
 * The report of `refsim check`: the diff report's verdict table (one row per dump), then for every
 * dump with differing elements its worst ones; `--json` and `--html` through the same pieces as
 * `refsim diff` (src/diff/report.ts, src/diff/html.ts).
 */
import { escapeHtml, renderReportHtml, type HtmlSection } from '../diff/html.ts';
import { formatAccuracy } from '../diff/format.ts';
import {
  VERDICT_HEADER, countsJson, distanceText, elementJson, padTable, totalCounts, valuesText, verdictCells, verdictExitCode, verdictStatusLine,
} from '../diff/report.ts';
import type { Moments } from '../reference/bounds/common.ts';
import type { Profile } from '../reference/tensor.ts';
import { version } from '../version.ts';
import type { FileCheck } from './check.ts';

export interface CheckReport {
  readonly files: readonly FileCheck[];
  readonly moments: Moments;
  readonly profile: Profile;
  /** Set when --accuracy overrides the per-dump model. */
  readonly accuracyOverride: string | null;
  /** Differing elements listed per dump. */
  readonly limit: number;
  readonly seconds: number;
}

export const checkExitCode = (r: CheckReport): 0 | 1 | 3 => verdictExitCode(totalCounts(r.files.map((f) => f.verdict)));

function describeCase(f: FileCheck): string {
  const inputs = Object.entries(f.inputShapes)
    .map(([k, s]) => (s === null ? `${k}=none` : `${k}[${s.join('×')}]`))
    .join(' ');
  return `${f.op} ${JSON.stringify(f.params)} ${inputs}`;
}

function widenedNote(f: FileCheck): string | null {
  if (f.widened.length === 0) return null;
  const list = f.widened.map((w) => `${w.name} (${w.dtype})`).join(', ');
  return `${list}: widened exactly to float32; the verdicts refer to the widened values`;
}

/** Lines about one dump: what it is, how it was judged, and its worst differing elements. */
function fileDetail(f: FileCheck, limit: number): string[] {
  const v = f.verdict;
  const lines = [
    `${f.file}: ${describeCase(f)}`,
    `  device ${f.device ?? '(not given)'}${f.metadata['source'] === undefined ? '' : ` · source ${f.metadata['source']}`} · accuracy ${f.model.source}`,
  ];
  const widened = widenedNote(f);
  if (widened !== null) lines.push(`  ${widened}`);
  const shown = v.differing.slice(0, limit);
  const differing = v.within + v.unbounded + v.violations;
  lines.push(`  ${shown.length === differing ? 'differing elements' : `worst ${shown.length} of ${differing} differing elements`} (violations first):`);
  for (const e of shown) {
    const d = distanceText(e);
    const verdict = e.verdict === 'violation' ? `VIOLATION (${e.reason ?? 'bound'})` : e.verdict === 'unbounded' ? 'UNBOUNDED' : 'within';
    lines.push(`    ${valuesText(e, f.outputShape, 'got')}  ${d.ulp}${d.bound}  index ${e.index}  ${verdict}`);
  }
  return lines;
}

export function formatCheckText(r: CheckReport): string {
  const accuracy = r.accuracyOverride ?? "per dump from its device metadata (cpu: exact; cuda: rsqrtf ≤ 2 ULP; mps and unknown: WGSL limits)";
  const lines = [
    `refsim check · ${r.files.length} dump${r.files.length === 1 ? '' : 's'} · reference profile ${r.profile} · moments ${r.moments}`,
    `accuracy: ${accuracy}`,
    '',
  ];
  const header = ['file', 'op', 'device', ...VERDICT_HEADER, 'max err/bound'];
  const rows = r.files.map((f) => [f.file, f.op, f.device ?? '?', ...verdictCells(f.verdict), f.verdict.maxBoundRatio.toFixed(3)]);
  lines.push(...padTable([header, ...rows]));
  for (const f of r.files) {
    if (f.verdict.differing.length > 0) lines.push('', ...fileDetail(f, r.limit));
  }
  lines.push('', verdictStatusLine(totalCounts(r.files.map((f) => f.verdict)), r.seconds));
  return `${lines.join('\n')}\n`;
}

/** The machine-readable report (--json). */
export function checkReportJson(r: CheckReport): unknown {
  const total = totalCounts(r.files.map((f) => f.verdict));
  return {
    refsimVersion: version,
    ok: checkExitCode(r) === 0,
    exitCode: checkExitCode(r),
    profile: r.profile,
    moments: r.moments,
    accuracyOverride: r.accuracyOverride,
    seconds: r.seconds,
    total: countsJson(total),
    files: r.files.map((f) => ({
      file: f.file,
      op: f.op,
      params: f.params,
      device: f.device,
      metadata: f.metadata,
      accuracy: f.model.accuracy,
      accuracySource: f.model.source,
      widened: f.widened,
      ...countsJson(f.verdict),
      maxBoundRatio: f.verdict.maxBoundRatio,
      differing: f.verdict.differing.slice(0, r.limit).map((e) => elementJson(e, f.outputShape, 'got')),
    })),
  };
}

export function renderCheckHtml(r: CheckReport): string {
  const sections = r.files.map((f): HtmlSection => ({
    attr: ['file', f.file],
    title: f.file,
    counts: f.verdict,
    extraHtml: `${escapeHtml(describeCase(f))}<br>device ${escapeHtml(f.device ?? '(not given)')} · accuracy ${escapeHtml(formatAccuracy(f.model.accuracy))}<br>${
      widenedNote(f) === null ? '' : `${escapeHtml(widenedNote(f)!)}<br>`
    }`,
    heat: f.heat === null ? null : { title: `${f.op}: ULP error over the output`, ...f.heat },
  }));
  const code = checkExitCode(r);
  const header = `<p>refsim ${escapeHtml(version)} · reference profile ${r.profile} · moments ${r.moments}<br>accuracy ${escapeHtml(r.accuracyOverride ?? 'per dump from its device')}</p>`;
  return renderReportHtml(`refsim check: ${code === 0 ? 'OK' : code === 1 ? 'FAILED' : 'UNBOUNDED'}`, header, sections, 'got');
}
