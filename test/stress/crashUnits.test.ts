import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBlockShape } from '../../src/stress/blockCase.ts';
import { crashSummary } from '../../src/stress/crashes.ts';
import { faultsOfRun, parseFaults } from '../../src/stress/fault.ts';
import { outcomeOf, stressExitCode } from '../../src/stress/outcome.ts';
import { validateStressOptions } from '../../src/stress/run.ts';
import { countOutcomes, type SoakReport, type SoakRun, soakSeed, soakTotals } from '../../src/stress/soak.ts';
import { writeSoakSection } from '../../src/stress/soakReport.ts';
import type { IdCheck, NativeCrash, StressFailure } from '../../src/stress/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-crash-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const crash = (thread: number | null, ops: [number, number][], signal: string | null = 'SIGSEGV', exitCode: number | null = null): NativeCrash => ({
  process: 'device', thread, generation: 1, signal, exitCode, seed: 1, stderrTail: '', lastIds: [], outcome: 'restarted',
  inFlight: ops.map(([t, op]) => ({ thread: t, op, id: String(op + 1), submission: op, fixture: null })),
});

const idsOk: IdCheck = { taken: 1, unique: 1, duplicates: [], missing: 0, unexpected: 0, zero: 0, orderViolations: 0, min: '1', max: '1', ok: true };
const fail = (kind: StressFailure['kind']): StressFailure => ({ thread: 0, op: 0, id: '1', kind, message: '', fixture: null });

describe('native crash units', () => {
  it('parses the segv fault and faults meant for one soak run', () => {
    const f = parseFaults('segv:2:57,wrong:0:1@3');
    expect(f).toEqual([{ kind: 'segv', thread: 2, op: 57 }, { kind: 'wrong', thread: 0, op: 1, run: 3 }]);
    expect(faultsOfRun(f, 0)).toEqual([{ kind: 'segv', thread: 2, op: 57 }]);
    expect(faultsOfRun(f, 3)).toEqual(f);
    for (const bad of ['segv:1:1@', 'segv:1:1@x', 'segv:1@2']) expect(() => parseFaults(bad)).toThrow(/REFSIM_STRESS_FAULT must be/);
    const base = { threads: 4, ops: 8, mode: 'separate', shape: parseBlockShape('1x2x3x3'), seed: 1, timeoutMs: 1000, faults: f, fixtureDir: 'x', batch: 1, distinct: null, depth: 1 } as const;
    expect(() => validateStressOptions({ ...base, engine: 'fake' })).toThrow(/REFSIM_STRESS_FAULT must be free of segv with the fake engine/);
    expect(() => validateStressOptions({ ...base, engine: 'gpu' })).not.toThrow();
  });

  it('summarizes crashes in one line', () => {
    expect(crashSummary([])).toBeNull();
    expect(crashSummary([crash(2, [[2, 57]])])).toBe('1 native crash in thread 2 (SIGSEGV) during op 57');
    expect(crashSummary([crash(2, [[2, 56], [2, 57]])])).toBe('1 native crash in thread 2 (SIGSEGV) during ops 56, 57');
    expect(crashSummary([crash(null, [[0, 3], [1, 4]], null, 134)])).toBe('1 native crash in the shared device (exit code 134) during thread 0 op 3, thread 1 op 4');
    expect(crashSummary([crash(1, [])])).toBe('1 native crash in thread 1 (SIGSEGV) with no op in flight');
    expect(crashSummary([crash(0, [[0, 1]]), crash(3, [[3, 9]], 'SIGABRT')])).toBe('2 native crashes: thread 0 (SIGSEGV) during op 1; thread 3 (SIGABRT) during op 9');
    expect(crashSummary([{ ...crash(null, [[0, 7], [2, 9]]), process: 'run' }])).toBe("1 native crash in the run's process (devices in its threads) (SIGSEGV) with thread 0 op 7, thread 2 op 9 in flight");
    const five = crash(null, [[0, 1], [1, 1], [2, 1], [3, 1], [4, 1]]);
    expect(crashSummary([five])).toBe('1 native crash in the shared device (SIGSEGV) during thread 0 op 1, thread 1 op 1, thread 2 op 1, thread 3 op 1 (+1 more)');
  });

  it('exit code: 1 for any finding, 3 when only the environment failed, 0 when clean', () => {
    const r = (kinds: StressFailure['kind'][], ids = idsOk) => ({ failures: kinds.map(fail), ids, ok: kinds.length === 0 && ids.ok });
    expect(stressExitCode(r([]))).toBe(0);
    expect(outcomeOf(r([]))).toBe('clean');
    expect(stressExitCode(r(['native-crash']))).toBe(1);
    expect(stressExitCode(r(['device-lost']))).toBe(3);
    expect(stressExitCode(r(['startup', 'device-lost']))).toBe(3);
    expect(stressExitCode(r(['device-lost', 'native-crash']))).toBe(1);
    expect(stressExitCode(r([], { ...idsOk, ok: false }))).toBe(1);
    expect(outcomeOf(r(['wrong', 'native-crash', 'wrong'], { ...idsOk, ok: false }))).toBe('native-crash+wrong+ids-fail');
  });

  it('soak seeds wrap at 2^32; outcomes are counted most frequent first', () => {
    expect([0, 1, 2].map((i) => soakSeed(2 ** 32 - 2, i))).toEqual([2 ** 32 - 2, 2 ** 32 - 1, 0]);
    const run = (outcome: string): SoakRun => ({
      run: 0, seed: 0, outcome, passed: 1, completed: 1, seconds: 1, startupSeconds: 0, nativeCrashes: outcome === 'native-crash' ? [crash(0, [[0, 0]])] : [],
      hangs: 0, wrong: 0, crashes: 0, deviceLost: 0, idsOk: true, crashSummary: null, fixtures: [],
    });
    const runs = ['native-crash', 'clean', 'hang', 'clean', 'native-crash', 'clean'].map(run);
    expect(countOutcomes(runs)).toEqual([{ outcome: 'clean', runs: 3 }, { outcome: 'native-crash', runs: 2 }, { outcome: 'hang', runs: 1 }]);
    expect(soakTotals(runs, 10)).toMatchObject({ runs: 6, ops: 60, completed: 6, nativeCrashes: 2, runsWithNativeCrash: 2 });
  });

  it('the Markdown section replaces its own earlier version only, and keeps everything else', () => {
    const soak = (mode: 'separate' | 'shared', clean: number): SoakReport => ({
      label: 'L', repeat: clean, baseSeed: 5,
      run: { mode, engine: 'gpu', threads: 4, ops: 120, shape: parseBlockShape('1x16x16x16'), batch: 1, depth: 2, distinct: null, isolation: 'process', onCrash: 'continue', timeoutMs: 10_000 },
      adapter: null, profile: 'strict', accuracy: { divUlp: 0, sqrtUlp: 0, inverseSqrtUlp: 1, flushSubnormals: false }, accuracySource: 'test',
      runs: [], totals: soakTotals([], 120), outcomes: [{ outcome: 'clean', runs: clean }], ok: true, exitCode: 0,
    });
    const file = join(dir, 'R.md');
    writeFileSync(file, '# GPU benchmarks\n| a | b |'); // no final newline
    writeSoakSection(file, soak('separate', 7));
    writeSoakSection(file, soak('shared', 8));
    writeSoakSection(file, soak('separate', 9));
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# GPU benchmarks\n| a | b |\n\n<!-- refsim-soak separate process:')).toBe(true);
    expect(text).toContain('| clean | 9 |');
    expect(text).toContain('| clean | 8 |');
    expect(text).not.toContain('| clean | 7 |');
    expect(text.indexOf('refsim-soak separate process:')).toBeLessThan(text.indexOf('refsim-soak shared process:'));
    expect(text.endsWith('<!-- /refsim-soak shared process -->\n')).toBe(true);
  });
});
