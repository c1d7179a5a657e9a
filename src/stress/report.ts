/** Text and JSON forms of a stress report: the seed's one-line form first, then the detail. */
import { formatCoords } from '../util/coords.ts';
import { f32WithBits, formatAccuracy, formatAdapter, formatSci } from '../diff/format.ts';
import { formatBlockShape } from './blockCase.ts';
import type { NativeCrash, StressReport } from './types.ts';

const rate = (ops: number, s: number): string => (s > 0 ? (ops / s).toFixed(1) : '–');

export function formatStressReport(r: StressReport): string {
  const lines: string[] = [];
  lines.push(`${r.label}: ${r.passed}/${r.ops} in ${r.seconds.toFixed(2)}s, errors=${r.errors}`);
  lines.push(
    `  mode=${r.mode} threads=${r.threads} shape=${formatBlockShape(r.shape)} batch=${r.batch} depth=${r.depth}${r.distinct === null ? '' : ` distinct=${r.distinct}`} seed=${r.seed} ` +
      `verified ops/s=${rate(r.passed, r.seconds)} (startup ${r.startupSeconds.toFixed(2)}s, teardown ${r.teardownSeconds.toFixed(2)}s not counted)`,
  );
  lines.push(`  device: ${r.engine === 'fake' ? 'fake engine (the reference in place of a GPU)' : r.adapter === null ? 'none' : formatAdapter(r.adapter)}`);
  lines.push(`  verdicts: profile ${r.profile}, ${formatAccuracy(r.accuracy)} (${r.accuracySource})`);
  if (r.engine === 'gpu') lines.push(`  isolation: ${ISOLATION_TEXT[r.isolation]}; after a native crash: ${r.onCrash}`);
  lines.push('  thread  ops        errors  ops/s     elements exact/within bound/violation  state');
  for (const t of r.perThread) {
    const ops = `${t.completed}/${t.planned}`;
    const els = `${t.verdicts.exact}/${t.verdicts.withinBound}/${t.verdicts.violation}`;
    const state = t.restarts === 0 ? t.state : `${t.state}, ${t.restarts} restart${t.restarts === 1 ? '' : 's'}`;
    lines.push(`  ${String(t.thread).padEnd(6)}  ${ops.padEnd(9)}  ${String(t.errors).padEnd(6)}  ${rate(t.completed, t.seconds).padEnd(8)}  ${els.padEnd(37)}  ${state}`);
  }
  const ids = r.ids;
  const defects = [
    ids.duplicates.length > 0 ? `duplicates ${ids.duplicates.join(' ')}` : '',
    ids.missing > 0 ? `${ids.missing} missing` : '',
    ids.unexpected > 0 ? `${ids.unexpected} outside 1..${ids.taken}` : '',
    ids.zero > 0 ? `${ids.zero} sentinel 0` : '',
    ids.orderViolations > 0 ? `${ids.orderViolations} out of order within a thread` : '',
  ].filter((s) => s !== '');
  lines.push(
    `  event ids: ${ids.taken} taken, ${ids.unique} unique${ids.min === null ? '' : `, range ${ids.min}..${ids.max}`}` +
      `${defects.length > 0 ? `; ${defects.join(', ')}` : ''}: ${ids.ok ? 'PASS' : 'FAIL'}`,
  );
  if (r.failures.length > 0) {
    lines.push('failures:');
    for (const f of r.failures) {
      if (f.crash !== undefined) {
        lines.push(...crashLines(f.crash, f.message));
        continue;
      }
      const at = f.thread < 0 ? 'device owner' : `thread ${f.thread}${f.op === null ? ' (before its first op)' : ` op ${f.op}`}${f.id === null ? '' : ` (event id ${f.id})`}`;
      lines.push(`  ${at}: ${f.kind}: ${f.message}`);
      for (const e of f.elements ?? []) {
        if (e.verdict !== 'violation') continue;
        const ulp = Number.isFinite(e.ulp) ? String(e.ulp) : '∞';
        lines.push(
          `    output${formatCoords(f.outputShape ?? [], e.index)} (index ${e.index}): gpu ${f32WithBits(e.got, e.gotBits)}, ` +
            `reference ${f32WithBits(e.expected, e.expectedBits)}, ULP ${ulp}, bound ${e.bound === null ? 'n/a' : formatSci(e.bound)} (${e.reason ?? 'bound'})`,
        );
      }
      if (f.fixture !== null) lines.push(`    inputs saved: ${f.fixture}`);
    }
  }
  if (r.crashSummary !== null) lines.push(r.crashSummary);
  lines.push(`${r.label} stress test: ${r.ok ? 'PASS' : 'FAIL'}`);
  return `${lines.join('\n')}\n`;
}

const ISOLATION_TEXT: Record<StressReport['isolation'], string> = {
  process: 'each device in a child process of its own (a native crash ends that process only)',
  thread: 'each device in its thread (a native crash ends the run)',
};

/** A native crash: where, how it ended, every op in flight with its fixture, every thread's last id, stderr. */
function crashLines(c: NativeCrash, message: string): string[] {
  const lines = [`  ${c.thread === null ? 'shared device' : `thread ${c.thread}`} (device process ${c.generation}): native crash: ${message}`];
  for (const f of c.inFlight) {
    lines.push(`    in flight: thread ${f.thread} op ${f.op} (event id ${f.id}, submission ${f.submission})${f.fixture === null ? '' : `; inputs saved: ${f.fixture}`}`);
  }
  lines.push(`    seed ${c.seed}; last event ids: ${c.lastIds.map((id, t) => `thread ${t} ${id ?? 'none'}`).join(', ')}`);
  for (const l of c.stderrTail.split('\n').filter((x) => x.trim() !== '')) lines.push(`    stderr: ${l}`);
  return lines;
}

/** Indented JSON with a final newline; Infinity and NaN, which JSON cannot hold, as strings. */
export function reportJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}

export function stressReportJson(r: StressReport): string {
  return reportJson(r);
}
