/**
 * The soak (`refsim stress --repeat N`): on lavapipe, runs with fresh seeds counted by outcome,
 * one run with a native crash among clean ones (a device process's, and with --isolation thread
 * the whole run's process); through the CLI's main(argv) in this process (fake engine, no device)
 * the per-run lines, the tables, the JSON, the exit code and the generated Markdown section.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFixture } from '../../src/diff/fixture.ts';
import { parseBlockShape } from '../../src/stress/blockCase.ts';
import { parseFaults } from '../../src/stress/fault.ts';
import { runSoak, type SoakReport } from '../../src/stress/soak.ts';
import type { StressMode, StressOptions } from '../../src/stress/types.ts';
import { runMain } from '../cli/inProcess.ts';
import { describeGpu, testBackend } from '../support/gpu.ts';
import { probedVerdicts } from './gpuOptions.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-soak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const opts = (mode: StressMode, faults: string): StressOptions => {
  const backend = testBackend();
  return {
    threads: 2, ops: 8, mode, shape: parseBlockShape('1x4x6x6'), seed: 700, timeoutMs: 30_000, engine: 'gpu', fixtureDir: join(dir, mode),
    faults: parseFaults(faults), batch: 1, distinct: null, depth: 1, ...(backend === undefined ? {} : { backend }),
  };
};

describeGpu('soak on the GPU', (gpu) => {
  // The first run probes as the CLI does (its accuracy source is checked); the others take the
  // worker's probe, since the probe is not what they test.
  const verdicts = probedVerdicts(gpu);

  it('separate mode: 3 runs with seeds 700..702, a native crash only in run 1; counted per outcome, exit 1', async () => {
    const seen: number[] = [];
    const r = await runSoak(opts('separate', 'segv:0:1@1'), 3, (s) => seen.push(s.run));
    expect(seen).toEqual([0, 1, 2]);
    expect(r.runs.map((s) => [s.run, s.seed, s.outcome])).toEqual([[0, 700, 'clean'], [1, 701, 'native-crash'], [2, 702, 'clean']]);
    expect(r.runs[1]!.crashSummary).toBe('1 native crash in thread 0 (SIGSEGV) during op 1');
    expect(r.runs[1]!.fixtures).toHaveLength(1);
    expect(r.outcomes).toEqual([{ outcome: 'clean', runs: 2 }, { outcome: 'native-crash', runs: 1 }]);
    expect(r.totals).toMatchObject({
      runs: 3, ops: 24, completed: 23, passed: 23, nativeCrashes: 1, runsWithNativeCrash: 1, hangs: 0, wrong: 0, crashes: 0, deviceLost: 0, idsPass: 3, idsFail: 0, idsUnchecked: 0,
    });
    // One probe for every run: each run's verdicts say where they came from.
    expect(r.accuracySource).toBe('GPU probe, once for every run');
    expect(r.exitCode).toBe(1);
    expect(r.ok).toBe(false);
  });

  it('--isolation thread: each run in a process of its own, so a crash ends that run only and names its ops from the progress report', async () => {
    const r = await runSoak({ ...opts('separate', 'segv:1:2@0'), ...verdicts(), isolation: 'thread' }, 2);
    expect(r.runs.map((s) => [s.seed, s.outcome])).toEqual([[700, 'native-crash'], [701, 'clean']]);
    const c = r.runs[0]!.nativeCrashes[0]!;
    expect(c).toMatchObject({ process: 'run', thread: null, signal: 'SIGSEGV', seed: 700, outcome: 'run-ended' });
    const op = c.inFlight.find((f) => f.thread === 1 && f.op === 2);
    expect(op, JSON.stringify(c.inFlight)).toBeDefined();
    expect(readFixture(op!.fixture!).generator).toMatchObject({ seed: 700, path: '1:2' });
    expect(r.runs[0]!.crashSummary).toMatch(/^1 native crash in the run's process \(devices in its threads\) \(SIGSEGV\) with .*thread 1 op 2.* in flight$/);
    // The dead run's ids died with it: counted as not checked, never as a pass.
    expect(r.totals).toMatchObject({ runs: 2, nativeCrashes: 1, runsWithNativeCrash: 1, idsPass: 1, idsFail: 0, idsUnchecked: 1 });
    expect(r.exitCode).toBe(1);
  });

  it('shared mode: 2 clean runs, exit 0', async () => {
    const r = await runSoak({ ...opts('shared', ''), ...verdicts() }, 2);
    expect(r.outcomes).toEqual([{ outcome: 'clean', runs: 2 }]);
    expect(r.totals).toMatchObject({ runs: 2, ops: 16, passed: 16, nativeCrashes: 0, idsPass: 2 });
    expect(r.exitCode).toBe(0);
  });
});

describe('refsim stress --repeat (CLI, fake engine)', () => {
  const base = ['stress', '--engine', 'fake', '--threads', '2', '--ops', '4', '--shape', '1x4x6x6', '--seed', '100', '--fixtures', join(dir, 'cli')];

  it('prints a line per run, the outcome table and the totals; writes its Markdown section; exit 1 on a finding', async () => {
    const md = join(dir, 'RESULTS.md');
    writeFileSync(md, '# Results\n\nkept as it was\n');
    const r = await runMain([...base, '--repeat', '3', '--results-md', md], { REFSIM_STRESS_FAULT: 'wrong:1:0@2' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}0 +100 +4\/4 +[\d.]+ +clean$/m);
    expect(r.stdout).toMatch(/^ {2}1 +101 +4\/4 +[\d.]+ +clean$/m);
    expect(r.stdout).toMatch(/^ {2}2 +102 +3\/4 +[\d.]+ +wrong$/m);
    expect(r.stdout).toMatch(/^ {2}clean +2 +66\.7 % +acceptable$/m);
    expect(r.stdout).toMatch(/^ {2}wrong +1 +33\.3 % +forbidden$/m);
    expect(r.stdout).toMatch(/^ {2}wrong results \(ops\) +1$/m);
    expect(r.stdout).toMatch(/^ {2}unique-id check PASS \/ FAIL \/ not checked \(runs\) +3 \/ 0 \/ 0$/m);
    expect(r.stdout).toMatch(/^ {2}run 2 \(seed 102\): wrong; fixtures: .*mismatch-depthwiseSeparableBlock-[0-9a-f]{12}\.json$/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('soak: FAIL (1 of 3 runs with a finding or failure)');
    const text = readFileSync(md, 'utf8');
    expect(text.startsWith('# Results\n\nkept as it was\n\n<!-- refsim-soak separate process:')).toBe(true);
    expect(text).toContain('| wrong | 1 | 33.3 % | forbidden |');
    expect(text).toContain('| runs with a native crash (crash rate) | 0 of 3 (0.0 %) |');
    expect(text).toContain('- command: `refsim stress --repeat 3 --mode separate --threads 2 --ops 4 --batch 1 --depth 2 --shape 1x4x6x6 --isolation process --on-crash continue --timeout-ms 10000 --seed 100`');

    // Again with --json: the JSON on stdout, progress on stderr, the same soak's section replaced (not added).
    const j = await runMain([...base, '--repeat', '2', '--results-md', md, '--json']);
    expect(j.code).toBe(0);
    expect(j.stderr).toBe('soak run 1/2: clean\nsoak run 2/2: clean\n');
    const report = JSON.parse(j.stdout) as SoakReport & { command: string };
    expect(report.outcomes).toEqual([{ outcome: 'clean', runs: 2 }]);
    expect(report.runs.map((s) => s.seed)).toEqual([100, 101]);
    expect(report.totals).toMatchObject({ runs: 2, ops: 8, passed: 8, idsPass: 2 });
    const again = readFileSync(md, 'utf8');
    expect(again.match(/<!-- refsim-soak separate process:/g)).toHaveLength(1);
    expect(again.match(/<!-- \/refsim-soak separate process -->/g)).toHaveLength(1);
    expect(again).toContain('| clean | 2 | 100.0 % | acceptable |');
    expect(again).not.toContain('| wrong |');
    expect(again.startsWith('# Results\n\nkept as it was\n')).toBe(true);
  });

  it('checks --results-md before any run, and only with --repeat', async () => {
    for (const [args, msg] of [
      [['--repeat', '2', '--results-md', join(dir, 'no-such-dir', 'x.md')], /--results-md must be a file path in an existing directory/],
      [['--repeat', '2', '--results-md', dir], /--results-md must be a file path in an existing directory/],
      [['--results-md', join(dir, 'x.md')], /--results-md must be given with --repeat/],
      [['--repeat', '0'], /--repeat must be an integer in \[1, 100000\]/],
    ] as const) {
      const r = await runMain([...base, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(msg);
    }
  });
});
