/**
 * What `refsim stress` does once its options are parsed: one run, or with --repeat a soak, printed
 * as text or JSON; with --results-md the soak's section is written into that file. Returns the exit
 * code (0 clean, 1 a finding, 3 only the environment failed).
 */
import { faultsOfRun } from './fault.ts';
import { stressExitCode } from './outcome.ts';
import { formatStressReport, stressReportJson } from './report.ts';
import { runStress } from './run.ts';
import { runSoak } from './soak.ts';
import { checkResultsPath, formatSoakRun, formatSoakSummary, SOAK_RUN_HEADER, soakReportJson, writeSoakSection } from './soakReport.ts';
import type { StressOptions } from './types.ts';
import { InputRangeError } from '../errors.ts';

export interface StressOutput {
  readonly json: boolean;
  /** Soak: the number of runs; undefined: one run. */
  readonly repeat?: number;
  readonly resultsMd?: string;
  readonly write: (s: string) => void;
  readonly writeErr: (s: string) => void;
}

export async function stressCommand(o: StressOptions, out: StressOutput): Promise<number> {
  if (out.repeat === undefined) {
    if (out.resultsMd !== undefined) throw new InputRangeError('--results-md', 'given with --repeat (it records a soak)', out.resultsMd);
    const report = await runStress({ ...o, faults: faultsOfRun(o.faults, 0) });
    out.write(out.json ? stressReportJson(report) : formatStressReport(report));
    if (out.json && report.crashSummary !== null) out.writeErr(`refsim stress: ${report.crashSummary}\n`);
    return stressExitCode(report);
  }
  if (out.resultsMd !== undefined) checkResultsPath(out.resultsMd);
  if (!out.json) out.write(`${SOAK_RUN_HEADER}\n`);
  const report = await runSoak(o, out.repeat, (s) => {
    if (out.json) out.writeErr(`soak run ${s.run + 1}/${out.repeat}: ${s.outcome}${s.crashSummary === null ? '' : ` (${s.crashSummary})`}\n`);
    else out.write(`${formatSoakRun(s, o.ops)}\n`);
  });
  if (out.resultsMd !== undefined) writeSoakSection(out.resultsMd, report);
  out.write(out.json ? soakReportJson(report) : formatSoakSummary(report));
  return report.exitCode;
}
