/**
 * The result of a `refsim diff` run and its text and JSON forms (the HTML form is html.ts).
 */
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RefsimError } from '../errors.ts';
import type { Accuracy, CaseGenOptions } from '../ops/types.ts';
import type { AdapterReport } from '../gpu/types.ts';
import type { Profile } from '../reference/tensor.ts';
import { version } from '../version.ts';
import { type ElementReport, ULP_BUCKETS } from './classify.ts';
import { formatCoords } from './coords.ts';
import { f32WithBits, formatAccuracy, formatAdapter, formatPercent, formatSci } from './format.ts';
import type { OpDiffSummary, Shard } from './run.ts';

export interface DiffReport {
  readonly adapter: AdapterReport;
  readonly backend: string;
  readonly profile: Profile;
  /** How the profile was chosen, e.g. 'auto: probe measured a*b+c unfused' or 'forced by --profile'. */
  readonly profileSource: string;
  readonly accuracy: Accuracy;
  readonly seed: number;
  /** Cases per op in the whole campaign. */
  readonly cases: number;
  readonly shard: Shard;
  readonly batch: number;
  readonly gen: CaseGenOptions;
  readonly ops: readonly OpDiffSummary[];
  readonly seconds: number;
}

export const reportOk = (r: DiffReport): boolean => r.ops.every((o) => o.violations === 0);

/** How far apart two differing elements are, in words that agree with the table's columns. */
export function distanceText(e: Pick<ElementReport, 'ulp' | 'reason' | 'sameValue' | 'got'>): string {
  if (e.sameValue === true) return Number.isNaN(e.got) ? 'NaN vs NaN, other bits' : '+0 vs −0';
  return Number.isFinite(e.ulp) ? `${e.ulp} ULP` : `${e.reason ?? 'non-finite'} mismatch`;
}

function worstText(o: OpDiffSummary): string {
  const w = o.worst;
  if (w === null) return 'all bit-identical';
  const shape = o.worstCase?.expected.shape ?? [];
  const ulp = distanceText(w);
  const rel = w.bound === null ? '' : ` (|err| ${formatSci(w.absError)} ${w.absError <= w.bound ? '≤' : '>'} bound ${formatSci(w.bound)})`;
  return `${ulp} at case ${w.caseIndex} ${formatCoords(shape, w.index)}: gpu ${f32WithBits(w.got, w.gotBits)} vs ref ${f32WithBits(w.expected, w.expectedBits)}${rel}`;
}

function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  return cells.map((r) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ').trimEnd());
}

/** The human-readable report `refsim diff` prints. */
export function formatDiffText(r: DiffReport): string {
  const lines = [
    `adapter: ${formatAdapter(r.adapter)}`,
    `profile: ${r.profile} (${r.profileSource}); accuracy: ${formatAccuracy(r.accuracy)}`,
    `seed ${r.seed} · ${r.cases} cases per op${r.shard.count > 1 ? ` · shard ${r.shard.index}/${r.shard.count}` : ''} · batch ${r.batch} · ≤${r.gen.maxElements} elements per input${r.gen.specialValues ? ' · special values' : ''}`,
    '',
  ];
  // ulp 0 counts identical bits, so it always equals the exact count; NaN/±0 holds pairs that are
  // both NaN or both zero with other bits (no ULP distance applies to a NaN pair).
  const header = ['op', 'cases', 'elements', 'exact', ...ULP_BUCKETS.map((b) => `ulp ${b.label}`), 'NaN/±0', 'violations', 'cases/s'];
  const rows = r.ops.map((o) => [
    o.op, String(o.cases), String(o.elements), formatPercent(o.exact, o.elements),
    ...o.histogram.map(String), String(o.sameValue), String(o.violations), o.seconds > 0 ? (o.cases / o.seconds).toFixed(0) : '–',
  ]);
  lines.push(...pad([header, ...rows]), '');
  for (const o of r.ops) {
    lines.push(`${o.op}: worst ${worstText(o)}`);
    if (o.violations > 0) {
      lines.push(`  ${o.violations} violation${o.violations === 1 ? '' : 's'} in ${o.violatingCases} case${o.violatingCases === 1 ? '' : 's'}; first at seed ${r.seed} path ${o.firstViolationIndex}`);
      const s = o.shrunk;
      if (s !== null) {
        const what = s.reproducedAlone ? `shrunk to seed ${s.seed} path ${s.path}` : `case ${s.path} passes when run alone (batch-dependent); saved unshrunk`;
        lines.push(`  ${what}${s.fixture === null ? '' : `: ${s.fixture}`}`);
        if (s.fixture !== null) lines.push(`  reproduce: npx refsim repro ${s.fixture}`);
        if (s.fixtureError !== null) lines.push(`  fixture NOT saved: ${s.fixtureError}`);
      }
    }
  }
  const total = r.ops.reduce((a, o) => a + o.violations, 0);
  lines.push('', reportOk(r) ? `OK: no violations (${r.seconds.toFixed(1)} s)` : `FAILED: ${total} violation${total === 1 ? '' : 's'} (${r.seconds.toFixed(1)} s)`);
  return `${lines.join('\n')}\n`;
}

const finiteOrNull = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : x);

/** The machine-readable report (--json). Non-finite numbers become null. */
export function diffReportJson(r: DiffReport): unknown {
  return {
    refsimVersion: version,
    ok: reportOk(r),
    adapter: r.adapter,
    backend: r.backend,
    profile: r.profile,
    profileSource: r.profileSource,
    accuracy: r.accuracy,
    seed: r.seed,
    cases: r.cases,
    shard: `${r.shard.index}/${r.shard.count}`,
    batch: r.batch,
    maxElements: r.gen.maxElements,
    specialValues: r.gen.specialValues,
    seconds: r.seconds,
    ops: r.ops.map((o) => ({
      op: o.op,
      cases: o.cases,
      elements: o.elements,
      exact: o.exact,
      withinBound: o.within,
      sameValueOtherBits: o.sameValue,
      violations: o.violations,
      violatingCases: o.violatingCases,
      ulpHistogram: Object.fromEntries(ULP_BUCKETS.map((b, i) => [b.label, o.histogram[i] ?? 0])),
      worst: o.worst === null ? null : {
        case: o.worst.caseIndex,
        index: o.worst.index,
        coords: formatCoords(o.worstCase?.expected.shape ?? [], o.worst.index),
        gpu: f32WithBits(o.worst.got, o.worst.gotBits),
        reference: f32WithBits(o.worst.expected, o.worst.expectedBits),
        ulp: o.worst.sameValue === true && Number.isNaN(o.worst.got) ? null : finiteOrNull(o.worst.ulp),
        absError: finiteOrNull(o.worst.absError),
        bound: finiteOrNull(o.worst.bound),
        verdict: o.worst.verdict,
        reason: o.worst.reason ?? null,
      },
      firstViolationPath: o.firstViolationIndex === null ? null : String(o.firstViolationIndex),
      shrunk: o.shrunk === null ? null : { seed: o.shrunk.seed, path: o.shrunk.path, reproducedAlone: o.shrunk.reproducedAlone, fixture: o.shrunk.fixture, fixtureError: o.shrunk.fixtureError },
      casesPerSecond: o.seconds > 0 ? o.cases / o.seconds : null,
    })),
  };
}

/** Writes text to `file` atomically (temp file + rename), creating missing parent directories. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw new RefsimError('E_WRITE', `cannot write ${file}: ${(e as Error).message}`);
  }
}
