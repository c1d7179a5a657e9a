import { type Command, Option } from 'commander';
import { InputRangeError } from '../../errors.ts';
import type {
  BfsResult, DfsResult, ExploreLimits, ExploreProgress, Model, PoolPath, PoolVariant, SampleResult, StopReason, ToyModelName, Violation,
} from '../../mps/explore/index.ts';
// From the modules themselves, not the index: the index also loads the sampler (fast-check), which
// only --sample needs.
import { exploreBfsAsync } from '../../mps/explore/bfs.ts';
import { exploreDfsAsync } from '../../mps/explore/dfs.ts';
import { eventPoolModel, POOL_PATHS, POOL_VARIANTS } from '../../mps/explore/eventPool.ts';
import { defaultMaxStates } from '../../mps/explore/limits.ts';
import { toyModel, TOY_MODELS } from '../../mps/explore/toy.ts';
import { replay } from '../../mps/explore/trace.ts';
import { parseUintLiteral } from '../../mps/uint.ts';
import { EXIT, reportExit } from '../exitCodes.ts';
import { rejectTogether, rejectUnused } from '../flags.ts';
import { parseInteger } from '../parse.ts';
import { type Progress, startProgress } from '../progress.ts';

const METHODS = ['bfs', 'sleep-sets', 'plain'] as const;
type Method = (typeof METHODS)[number];

interface CommonOpts {
  threads: string;
  ops: string;
  method: Method;
  sample?: string;
  seed?: string;
  invariant?: string;
  timeLimit: string;
  maxStates?: string;
  json?: boolean;
}

type Outcome =
  | { kind: 'exhaustive'; result: BfsResult | DfsResult; maxStates: number }
  | { kind: 'sample'; result: SampleResult };

/** Options that only apply to one kind of search, given with the other: errors, not ignored. */
function rejectUnusedOptions(cmd: Command, opts: CommonOpts): void {
  if (opts.sample === undefined) {
    rejectUnused(cmd, 'seed', '--seed', 'without --sample (exhaustive search draws nothing at random)');
  } else {
    rejectUnused(cmd, 'method', '--method', 'with --sample (it chooses the exhaustive search)');
    rejectUnused(cmd, 'maxStates', '--max-states', 'with --sample (sampling holds one schedule at a time)');
  }
}

/** The exhaustive search's state budget: --max-states, default sized to the V8 heap. */
function maxStatesOf(opts: CommonOpts): number {
  return opts.maxStates === undefined ? defaultMaxStates() : parseInteger('--max-states', opts.maxStates, 1, 2 ** 31 - 1);
}

/** Progress on stderr while the search runs: states, depth (or schedule length), rate. */
function searchProgress(json: boolean | undefined, sample: boolean): { bar: Progress; onProgress: (p: ExploreProgress) => void } {
  const bar = startProgress({
    format: sample
      ? 'explore {states} schedules | {rate}/s | {duration_formatted}'
      : 'explore {states} states | depth {depth} | {rate} states/s | {violations} violation(s) | {duration_formatted}',
    total: 0,
    payload: { states: 0, depth: 0, rate: 0, violations: 0 },
    quiet: json === true,
  });
  return {
    bar,
    onProgress: (p) => bar.update(p.states, { states: p.states, depth: p.depth, violations: p.violations, rate: Math.round(p.states / Math.max(p.elapsedMs / 1000, 1e-3)) }),
  };
}

async function search<S>(model: Model<S>, opts: CommonOpts): Promise<Outcome> {
  const seconds = parseInteger('--time-limit', opts.timeLimit, 1, 86_400);
  const progress = searchProgress(opts.json, opts.sample !== undefined);
  try {
    if (opts.sample !== undefined) {
      const runs = parseInteger('--sample', opts.sample, 1, 10_000_000);
      const seed = opts.seed === undefined ? Date.now() % 2 ** 31 : parseInteger('--seed', opts.seed, 0, 2 ** 31 - 1);
      // The sampler draws schedules with fast-check: loaded only for --sample, so other commands start fast.
      const { sampleSchedulesAsync } = await import('../../mps/explore/sample.ts');
      return { kind: 'sample', result: await sampleSchedulesAsync(model, { runs, seed, timeLimitMs: seconds * 1000, onProgress: progress.onProgress }) };
    }
    const limits: ExploreLimits = { deadline: performance.now() + seconds * 1000, maxStates: maxStatesOf(opts), onProgress: progress.onProgress };
    const result = opts.method === 'bfs' ? await exploreBfsAsync(model, limits) : await exploreDfsAsync(model, opts.method, limits);
    return { kind: 'exhaustive', result, maxStates: limits.maxStates! };
  } finally {
    progress.bar.stop();
  }
}

/** What stopped an unfinished search, in the user's terms. */
function stopText(reason: StopReason, maxStates: number | undefined): string {
  if (reason === 'max-states') return `--max-states ${maxStates} reached`;
  if (reason === 'heap') return 'the memory limit reached (85% of the V8 heap; raise it with NODE_OPTIONS=--max-old-space-size=MB)';
  return '--time-limit reached';
}

function pickViolation(violations: readonly Violation[], wanted: string | undefined, names: readonly string[]): Violation | undefined {
  if (wanted === undefined) return violations[0];
  if (!names.includes(wanted)) throw new InputRangeError('--invariant', `one of ${names.join(', ')}`, wanted);
  return violations.find((v) => v.invariant === wanted);
}

async function report<S>(model: Model<S>, variant: string | undefined, opts: CommonOpts): Promise<void> {
  const outcome = await search(model, opts);
  const names = [...model.invariants.map((i) => i.name), 'deadlock'];
  const violations = outcome.kind === 'sample' ? (outcome.result.violation ? [outcome.result.violation] : []) : outcome.result.violations;
  const chosen = pickViolation(violations, opts.invariant, names);
  const trace = chosen ? replay(model, chosen.schedule) : undefined;
  const r = outcome.result;
  const seconds = (r.elapsedMs / 1000).toFixed(2);

  let summary: string;
  if (outcome.kind === 'sample') {
    summary = `${outcome.result.runs} sampled schedules (fast-check seed ${outcome.result.seed})`;
  } else if (r.method === 'bfs') {
    const b = r as BfsResult;
    summary = `${b.interleavings} interleavings (exact count over ${b.states} states, BFS with state hashing)`;
  } else {
    const d = r as DfsResult;
    summary = d.method === 'plain'
      ? `${d.executions} interleavings (plain enumeration)`
      : `all interleavings: ${d.executions} executions explored, one per class of equivalent interleavings (sleep sets)`;
  }
  const complete = outcome.result.complete;
  const stopReason: StopReason = outcome.kind === 'sample' ? (complete ? 'complete' : 'time-limit') : outcome.result.stopReason;
  const maxStates = outcome.kind === 'exhaustive' ? outcome.maxStates : undefined;

  if (opts.json) {
    const out = {
      model: model.title,
      ...(variant === undefined ? {} : { variant }),
      threads: model.threadNames.map((name, t) => ({ name, role: model.threadRoles[t] })),
      method: outcome.kind === 'sample' ? 'sample' : r.method,
      complete,
      stopReason,
      ...(maxStates === undefined ? {} : { maxStates }),
      ...(outcome.kind === 'sample'
        ? { runs: outcome.result.runs, seed: outcome.result.seed }
        : r.method === 'bfs'
          ? { interleavings: String((r as BfsResult).interleavings), states: (r as BfsResult).states, checkedDepth: (r as BfsResult).checkedDepth }
          : { executions: (r as DfsResult).executions, visits: (r as DfsResult).visits }),
      elapsedMs: Math.round(r.elapsedMs),
      violations: violations.map((v) => ({ invariant: v.invariant, message: v.message, steps: v.schedule.length })),
      trace: chosen && trace
        ? { invariant: chosen.invariant, message: chosen.message, initial: trace.initialView, steps: trace.steps.map((s) => ({ n: s.n, thread: s.thread, step: s.step, state: s.view, violated: s.violated })) }
        : null,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const lines = [`explore: ${model.title}`];
    model.threadNames.forEach((name, t) => lines.push(`  ${name}: ${model.threadRoles[t]}`));
    lines.push(`  invariants: ${model.invariants.map((i) => i.name).join(', ')}`);
    if (!chosen) {
      if (complete) lines.push(`no violation in ${summary}${variant ? `, variant=${variant}` : ''}; ${seconds} s`);
      else {
        const covered = outcome.kind === 'sample'
          ? `${outcome.result.runs} sampled schedules ran (fast-check seed ${outcome.result.seed})`
          : r.method === 'bfs'
            ? `every state within ${(r as BfsResult).checkedDepth} steps of the start checked (${(r as BfsResult).states} states)`
            : `${(r as DfsResult).visits} states visited`;
        lines.push(`INCOMPLETE: ${stopText(stopReason, maxStates)} after ${seconds} s, no violation so far: ${covered}; the search did not finish`);
      }
      if (opts.invariant !== undefined && violations.length > 0) {
        lines.push(`(${opts.invariant} holds; violated: ${violations.map((v) => v.invariant).join(', ')})`);
      }
    } else if (trace) {
      const shortest = outcome.kind === 'exhaustive' && r.method === 'bfs' ? 'shortest violating trace' : 'violating trace';
      lines.push(outcome.kind === 'sample'
        ? `found in sampled schedule ${outcome.result.runs} (fast-check seed ${outcome.result.seed}; schedule shrunk by fast-check); ${seconds} s`
        : `searched ${summary}; ${seconds} s`);
      lines.push(`VIOLATION ${chosen.invariant}: ${chosen.message}`);
      lines.push(`${shortest} (${trace.steps.length} steps)${variant ? `, variant=${variant}` : ''}:`);
      lines.push(`     initial   ${trace.initial}`);
      for (const s of trace.steps) {
        lines.push(`  ${String(s.n).padStart(2)}. ${s.thread}  ${s.step}`);
        lines.push(`            → ${s.state}${s.violated.length > 0 ? `   ✗ ${s.violated.join(', ')}` : ''}`);
      }
      const others = violations.filter((v) => v !== chosen);
      if (others.length > 0) {
        lines.push(`also violated (${shortest === 'shortest violating trace' ? 'shortest trace' : 'trace'} length; --invariant NAME prints it):`);
        for (const v of others) lines.push(`  ${v.invariant} (${v.schedule.length} steps): ${v.message}`);
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  // 0: no violation in a finished search; 1: a violation; 3: a time or memory budget stopped it, nothing found so far.
  if (chosen) reportExit(EXIT.FINDING);
  else if (!complete) reportExit(EXIT.ENVIRONMENT);
}

function parsePaths(text: string): PoolPath[] {
  const list = text.split(',').map((p) => p.trim());
  if (list.length < 2 || list.length > 8 || !list.every((p): p is PoolPath => (POOL_PATHS as readonly string[]).includes(p))) {
    throw new InputRangeError('--paths', `2..8 comma-separated entries, each one of ${POOL_PATHS.join(', ')}`, text);
  }
  return list;
}

function addCommon(cmd: Command, threadsDefault: string, opsDefault: string): Command {
  return cmd
    .option('--threads <n>', 'number of threads', threadsDefault)
    .option('--ops <n>', 'operations per thread', opsDefault)
    .addOption(new Option('--method <method>', 'exhaustive search: BFS with state hashing (shortest trace, exact interleaving count), sleep-set POR, or plain enumeration').choices([...METHODS]).default('bfs'))
    .option('--sample <n>', 'instead: run n random schedules drawn by fast-check (for bounds too large to enumerate)')
    .option('--seed <s>', 'fast-check seed for --sample')
    .option('--invariant <name>', 'print the trace violating this invariant (default: the first found)')
    .option('--time-limit <s>', 'stop the search (exhaustive or sampled) after s seconds; exit 3 if nothing was found', '600')
    .option('--max-states <n>', `stop the exhaustive search after holding n states (BFS) or visiting n (DFS); exit 3 if nothing was found (default: sized to the V8 heap, ${defaultMaxStates()} here)`)
    .option('--json', 'print JSON');
}

export function registerExplore(program: Command): void {
  const explore = program
    .command('explore')
    .description('explore every interleaving of a concurrent step model and check its invariants');

  addCommon(
    explore
      .command('pool')
      .description("MPSEventPool: torch.mps.Event's acquireEvent(bool)/releaseEvent against the allocator's direct acquireEvent(bool, stream)")
      .addOption(new Option('--variant <variant>', 'source variant').choices([...POOL_VARIANTS]).default('seed'))
      .option('--paths <list>', "each thread's path, comma-separated: event (torch.mps.Event: acquireEvent(bool)/releaseEvent) or direct (allocator: acquireEvent(bool, stream)/drop); default event,direct,... and sets --threads")
      .option('--counter-start <n>', 'initial m_event_counter (decimal, 0x.., 2^k±m), e.g. 2^32-1 to reach the id_t wrap', '0'),
    '2',
    '3',
  ).action(async (opts: CommonOpts & { variant: PoolVariant; counterStart: string; paths?: string }, cmd: Command) => {
    rejectUnusedOptions(cmd, opts);
    rejectTogether(cmd, ['paths', '--paths'], ['threads', '--threads'], '--paths sets the number of threads (one per entry)');
    const paths = opts.paths === undefined ? undefined : parsePaths(opts.paths);
    const model = eventPoolModel({
      variant: opts.variant,
      threads: paths ? paths.length : parseInteger('--threads', opts.threads, 2, 8),
      ...(paths ? { paths } : {}),
      ops: parseInteger('--ops', opts.ops, 1, 8),
      counterStart: parseUintLiteral(opts.counterStart, 64, '--counter-start'),
    });
    await report(model, opts.variant, opts);
  });

  addCommon(
    explore
      .command('toy')
      .description('toy models that check the explorer: a lost update (buggy) and the same increment under a mutex (correct)')
      .addOption(new Option('--model <model>', 'toy model').choices([...TOY_MODELS]).default('buggy')),
    '2',
    '1',
  ).action(async (opts: CommonOpts & { model: ToyModelName }, cmd: Command) => {
    rejectUnusedOptions(cmd, opts);
    const model = toyModel(opts.model, parseInteger('--threads', opts.threads, 1, 8), parseInteger('--ops', opts.ops, 1, 8));
    await report(model, undefined, opts);
  });
}
