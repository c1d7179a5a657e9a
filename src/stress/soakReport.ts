/**
 * Text, JSON and Markdown forms of a soak. The Markdown is a generated section of a results file
 * (bench/RESULTS-gpu.md on the GPU machine): written between markers naming the soak's mode and
 * isolation, it replaces the same soak's earlier section and leaves the rest of the file as it was,
 * so no figure is ever typed in by hand.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { InputRangeError } from '../errors.ts';
import { formatAccuracy, formatAdapter } from '../diff/format.ts';
import { writeFileAtomic } from '../util/atomicWrite.ts';
import { version } from '../version.ts';
import { formatBlockShape } from './blockCase.ts';
import { reportJson } from './report.ts';
import type { SoakReport, SoakRun } from './soak.ts';

const pct = (n: number, of: number): string => (of === 0 ? '–' : `${((100 * n) / of).toFixed(1)} %`);

/** The command that reproduces the soak (the figures' provenance in the results file). */
export function soakCommand(r: SoakReport): string {
  const o = r.run;
  return [
    `refsim stress --repeat ${r.repeat} --mode ${o.mode} --threads ${o.threads} --ops ${o.ops} --batch ${o.batch} --depth ${o.depth}`,
    o.distinct === null ? '' : ` --distinct ${o.distinct}`,
    ` --shape ${formatBlockShape(o.shape)} --isolation ${o.isolation} --on-crash ${o.onCrash} --timeout-ms ${o.timeoutMs} --seed ${r.baseSeed}`,
  ].join('');
}

/** One line per run, as it ends. */
export function formatSoakRun(s: SoakRun, opsPerRun: number): string {
  return `  ${String(s.run).padEnd(5)}  ${String(s.seed).padEnd(10)}  ${`${s.passed}/${opsPerRun}`.padEnd(11)}  ${s.seconds.toFixed(2).padStart(7)}  ${s.outcome}${s.crashSummary === null ? '' : `: ${s.crashSummary}`}`;
}

export const SOAK_RUN_HEADER = '  run    seed        passed       seconds  outcome';

/** The outcome table, jcstress-style: every distinct outcome, its runs and share, and whether it is acceptable. */
function outcomeRows(r: SoakReport): string[][] {
  return r.outcomes.map((o) => [o.outcome, String(o.runs), pct(o.runs, r.totals.runs), o.outcome === 'clean' ? 'acceptable' : 'forbidden']);
}

function totalsRows(r: SoakReport): string[][] {
  const t = r.totals;
  return [
    ['runs', String(t.runs)],
    ['ops (verified / passed / planned)', `${t.completed} / ${t.passed} / ${t.ops}`],
    ['native crashes', String(t.nativeCrashes)],
    ['runs with a native crash (crash rate)', `${t.runsWithNativeCrash} of ${t.runs} (${pct(t.runsWithNativeCrash, t.runs)})`],
    ['hangs', String(t.hangs)],
    ['wrong results (ops)', String(t.wrong)],
    ['worker crashes (uncaught errors)', String(t.crashes)],
    ['device lost', String(t.deviceLost)],
    ['unique-id check PASS / FAIL / not checked (runs)', `${t.idsPass} / ${t.idsFail} / ${t.idsUnchecked}`],
    ['run time (s, startup not counted)', t.seconds.toFixed(1)],
  ];
}

/** One line per run with a finding; `name` shortens fixture paths (the results file names files only). */
function findings(r: SoakReport, name: (file: string) => string = (f) => f): string[] {
  return r.runs.filter((s) => s.outcome !== 'clean').map((s) => {
    const fixtures = s.fixtures.length === 0 ? '' : `; fixtures: ${s.fixtures.map(name).join(', ')}`;
    return `run ${s.run} (seed ${s.seed}): ${s.outcome}${s.crashSummary === null ? '' : ` — ${s.crashSummary}`}${fixtures}`;
  });
}

function verdictLine(r: SoakReport): string {
  const bad = r.totals.runs - (r.outcomes.find((o) => o.outcome === 'clean')?.runs ?? 0);
  return `soak: ${r.ok ? 'PASS' : 'FAIL'} (${bad} of ${r.totals.runs} runs with a finding or failure)`;
}

function textTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

/** Everything after the per-run lines: the outcome and totals tables, the findings, the verdict. */
export function formatSoakSummary(r: SoakReport): string {
  const lines = [
    `soak: ${r.totals.runs} runs of \`${soakCommand(r)}\``,
    `  device: ${r.adapter === null ? (r.run.engine === 'fake' ? 'fake engine' : 'none') : formatAdapter(r.adapter)}`,
    `  verdicts: profile ${r.profile}, ${formatAccuracy(r.accuracy)} (${r.accuracySource})`,
    ...textTable(['outcome', 'runs', 'share', 'expect'], outcomeRows(r)),
    ...textTable(['total', 'value'], totalsRows(r)),
  ];
  const f = findings(r);
  if (f.length > 0) lines.push('findings:', ...f.map((x) => `  ${x}`));
  lines.push(verdictLine(r));
  return `${lines.join('\n')}\n`;
}

export function soakReportJson(r: SoakReport): string {
  return reportJson({ command: soakCommand(r), ...r });
}

const mdTable = (header: string[], rows: string[][]): string[] => [
  `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`),
];

const markerKey = (r: SoakReport): string => `refsim-soak ${r.run.mode} ${r.run.isolation}`;

/** The soak's Markdown section, between its markers. */
export function soakMarkdown(r: SoakReport, date = new Date()): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const f = findings(r, (file) => basename(file));
  return [
    `<!-- ${markerKey(r)}: generated by refsim stress --results-md; do not edit -->`,
    `## Soak: ${r.run.mode} mode, ${r.run.threads} threads × ${formatBlockShape(r.run.shape)} block, isolation ${r.run.isolation}`,
    '',
    `- command: \`${soakCommand(r)}\``,
    `- device: ${r.adapter === null ? 'none' : formatAdapter(r.adapter)}`,
    `- machine: ${cpu}, ${os.cpus().length} cores, ${os.platform()} ${os.release()}, node ${process.version}; refsim ${version}; ${date.toISOString()}`,
    `- verdicts: profile ${r.profile}, ${formatAccuracy(r.accuracy)} (${r.accuracySource})`,
    '',
    ...mdTable(['outcome', 'runs', 'share', 'expect'], outcomeRows(r)),
    '',
    ...mdTable(['total', 'value'], totalsRows(r)),
    '',
    ...(f.length === 0 ? ['No run had a finding.'] : ['Findings (fixtures in the run\'s --fixtures directory):', '', ...f.map((x) => `- ${x}`)]),
    '',
    `<!-- /${markerKey(r)} -->`,
  ].join('\n');
}

/**
 * Checked before the soak starts: the file's directory exists and the path is not a directory, so
 * an hour of runs never ends in an unwritable results file.
 */
export function checkResultsPath(file: string): void {
  const allowed = 'a file path in an existing directory';
  if (file.trim() === '') throw new InputRangeError('--results-md', allowed, file);
  const dir = dirname(resolve(file));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputRangeError('--results-md', allowed, file);
  if (existsSync(file) && !statSync(file).isFile()) throw new InputRangeError('--results-md', allowed, file);
}

/** Puts the soak's section into `file`: in place of the same soak's earlier one, else at the end. */
export function writeSoakSection(file: string, r: SoakReport, date = new Date()): void {
  const section = soakMarkdown(r, date);
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const begin = old.indexOf(`<!-- ${markerKey(r)}:`);
  const endMarker = `<!-- /${markerKey(r)} -->`;
  const end = begin < 0 ? -1 : old.indexOf(endMarker, begin);
  const text = begin >= 0 && end >= 0
    ? `${old.slice(0, begin)}${section}${old.slice(end + endMarker.length)}`
    : `${old}${old === '' || old.endsWith('\n\n') ? '' : old.endsWith('\n') ? '\n' : '\n\n'}${section}\n`;
  writeFileAtomic(file, text);
}
