/**
 * Interleaving explorer (issue 9): how many interleavings of the event-pool model the explorer
 * covers per second, and the largest bound it covers within a time budget (60 s by default, the
 * issue's figure; REFSIM_EXPLORE_BUDGET_S shortens it for quick runs). The in-run baseline is plain
 * enumeration, which runs every interleaving one by one, measured the same way in the same run.
 *
 * "Covers": BFS with state hashing checks every state of every interleaving and counts the
 * interleavings exactly (path counting), without running them one by one; plain enumeration runs
 * them. Bounds are (threads, ops per thread); a bound counts as covered when its search completes
 * within the budget. The ladder skips a bound whose predicted time (from the growth of the two
 * before it) exceeds five times the budget, so a run does not burn budgets on certain timeouts.
 * Each bound that does not finish costs one budget, so at the default 60 s the suite takes about
 * 10-15 minutes (2 variants × 2 methods × 3 thread counts); REFSIM_EXPLORE_BUDGET_S=5 takes about one.
 */
import os from 'node:os';
import { eventPoolModel, exploreBfs, exploreDfs, type PoolVariant } from '../src/mps/explore/index.ts';
import type { BenchRow, BenchSuite } from './lib.ts';

const BUDGET_S = Number(process.env['REFSIM_EXPLORE_BUDGET_S'] ?? 60);
const VARIANTS: readonly PoolVariant[] = ['seed', 'upstream'];
const THREADS = [2, 3, 4] as const;
const MAX_OPS = 8;

interface Run {
  readonly threads: number;
  readonly ops: number;
  readonly interleavings: bigint;
  readonly states: number;
  readonly seconds: number;
}

type Method = 'bfs' | 'plain';

function runOnce(variant: PoolVariant, method: Method, threads: number, ops: number, budgetS: number): Run | null {
  const model = eventPoolModel({ variant, threads, ops });
  const deadline = performance.now() + budgetS * 1000;
  if (method === 'bfs') {
    const r = exploreBfs(model, { deadline });
    return r.complete ? { threads, ops, interleavings: r.interleavings, states: r.states, seconds: r.elapsedMs / 1000 } : null;
  }
  const r = exploreDfs(model, 'plain', { deadline });
  return r.complete ? { threads, ops, interleavings: BigInt(r.executions), states: r.visits, seconds: r.elapsedMs / 1000 } : null;
}

/** Largest completed bound per thread count, climbing ops until the budget runs out. */
function ladder(variant: PoolVariant, method: Method): { perThreads: Run[]; stoppedAt: string[] } {
  const perThreads: Run[] = [];
  const stoppedAt: string[] = [];
  for (const threads of THREADS) {
    let last: Run | null = null;
    let prev: Run | null = null;
    for (let ops = 1; ops <= MAX_OPS; ops++) {
      if (last && prev && last.seconds > 0.5) {
        const predicted = last.seconds * Math.max(1, last.seconds / Math.max(prev.seconds, 1e-3));
        if (predicted > 5 * BUDGET_S) {
          stoppedAt.push(`${threads}×${ops} predicted ${predicted.toFixed(0)} s`);
          break;
        }
      }
      process.stderr.write(`  explore ${method} ${variant} ${threads}×${ops}...`);
      const r = runOnce(variant, method, threads, ops, BUDGET_S);
      process.stderr.write(r ? ` ${r.seconds.toFixed(2)} s\n` : ' over budget\n');
      if (!r) {
        stoppedAt.push(`${threads}×${ops} over ${BUDGET_S} s`);
        break;
      }
      prev = last;
      last = r;
    }
    if (last) perThreads.push(last);
  }
  return { perThreads, stoppedAt };
}

/** Interleavings per second at one bound, repeating short runs until ~1 s has passed. */
function throughput(variant: PoolVariant, method: Method, threads: number, ops: number): { perS: number; run: Run } {
  let total = 0;
  let count = 0n;
  let run: Run | null = null;
  while (total < 1 || run === null) {
    const r = runOnce(variant, method, threads, ops, BUDGET_S);
    if (!r) throw new Error(`${method} ${variant} ${threads}×${ops} did not finish within ${BUDGET_S} s`);
    run = r;
    total += r.seconds;
    count += r.interleavings;
  }
  return { perS: Number(count) / total, run };
}

const fmt = (x: number | bigint): string => {
  const v = Number(x);
  return v >= 1e5 ? v.toExponential(2).replace('e+', 'e') : v.toLocaleString('en-US', { maximumFractionDigits: 0 });
};

export const exploreSuite: BenchSuite = async () => {
  const rows: BenchRow[] = [];
  const load = os.loadavg()[0] ?? 0;
  const note = `load avg ${load.toFixed(1)} on ${os.cpus().length} cores`;
  for (const variant of VARIANTS) {
    // Throughput at the issue's bound (2 threads × 3 ops), where plain enumeration still finishes.
    const bfs = throughput(variant, 'bfs', 2, 3);
    const plain = throughput(variant, 'plain', 2, 3);
    rows.push({
      suite: 'explore',
      name: `pool ${variant}, 2 threads × 3 ops: interleavings covered per second (BFS + state hashing; ${note})`,
      value: `${fmt(bfs.perS)} interleavings/s (${fmt(bfs.run.interleavings)} in ${(bfs.run.seconds * 1000).toFixed(0)} ms, ${bfs.run.states} states)`,
      baseline: `plain enumeration: ${fmt(plain.perS)} interleavings/s`,
      ratio: bfs.perS / plain.perS,
      ratioLabel: 'BFS / plain interleavings per second',
    });
    const por = exploreDfs(eventPoolModel({ variant, threads: 2, ops: 3 }), 'sleep-sets');
    rows.push({
      suite: 'explore',
      name: `pool ${variant}, 2 threads × 3 ops: sleep-set POR, executions run (one per class of equivalent interleavings)`,
      value: `${fmt(por.executions)} executions (+${fmt(por.sleepBlocked)} cut by sleep sets) in ${(por.elapsedMs / 1000).toFixed(2)} s`,
      baseline: `plain enumeration: ${fmt(plain.run.interleavings)} interleavings in ${plain.run.seconds.toFixed(2)} s`,
      ratio: Number(plain.run.interleavings) / por.executions,
      ratioLabel: 'plain interleavings / POR executions',
    });
    const b = ladder(variant, 'bfs');
    const p = ladder(variant, 'plain');
    for (const threads of THREADS) {
      const br = b.perThreads.find((r) => r.threads === threads);
      const pr = p.perThreads.find((r) => r.threads === threads);
      const capped = (r: Run): string => (r.ops === MAX_OPS ? ` (the model's cap; next: none)` : `; next: ${b.stoppedAt.find((x) => x.startsWith(`${threads}×`)) ?? '?'}`);
      rows.push({
        suite: 'explore',
        name: `pool ${variant}, ${threads} threads: largest ops per thread covered in ${BUDGET_S} s`,
        value: br
          ? `ops=${br.ops}${capped(br)}: ${fmt(br.interleavings)} interleavings, ${fmt(br.states)} states in ${br.seconds.toFixed(1)} s (${fmt(br.states / Math.max(br.seconds, 1e-3))} states/s)`
          : 'none within budget',
        baseline: pr
          ? `plain enumeration: ops=${pr.ops}, ${fmt(pr.interleavings)} interleavings in ${pr.seconds.toFixed(1)} s (next: ${p.stoppedAt.find((x) => x.startsWith(`${threads}×`)) ?? 'none'})`
          : 'plain enumeration: none within budget',
        ratio: br && pr ? Number(br.interleavings) / Number(pr.interleavings) : null,
        ratioLabel: 'interleavings covered, BFS / plain',
      });
    }
  }
  return rows;
};
