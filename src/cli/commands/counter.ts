import { Command, Option } from 'commander';
import { COUNTER_VARIANTS, type CounterVariant, DEFAULT_ID_WIDTH, firstReissuedAcquisition, type IdWidth } from '../../mps/events/counter.ts';
import { type CounterStressResult, MAX_IDS_PER_WORKER, MAX_STRESS_WORKERS, runCounterStress } from '../../mps/events/counterStress.ts';
import { parseUintLiteral } from '../../mps/uint.ts';
import { EXIT, reportExit } from '../exitCodes.ts';
import { integerOption } from '../parse.ts';

/** What each variant's increment is, in the source's words. */
const VARIANT_TEXT: Readonly<Record<CounterVariant, string>> = {
  seed: 'std::atomic<uint64_t> fetch_add(1, relaxed) + 1 (Atomics.add)',
  upstream: '++m_event_counter on a plain uint64_t (separate load and store, no Atomics)',
};

const MAX_TRIALS = 1000;
/** Print every id when a run is this small (the wrap demonstration). */
const LIST_IDS_UP_TO = 64;

interface CounterOpts {
  workers: number; idsPerWorker: number; variant: CounterVariant | 'both'; trials: number;
  start: string; width?: string; json?: boolean;
}

export function registerCounter(program: Command): void {
  program
    .command('counter')
    .description("stress MPSEventPool's event-id counter with real worker threads and check every id")
    .option('--workers <n>', 'worker threads sharing one counter', integerOption('--workers', 1, MAX_STRESS_WORKERS), 4)
    .option('--ids-per-worker <n>', 'ids each worker acquires', integerOption('--ids-per-worker', 1, MAX_IDS_PER_WORKER), 1_000_000)
    .addOption(new Option('--variant <variant>', 'source variant (both: seed, then upstream)').choices([...COUNTER_VARIANTS, 'both']).default('seed'))
    .option('--trials <n>', 'repeat the run with a fresh counter', integerOption('--trials', 1, MAX_TRIALS), 1)
    .option('--start <value>', 'initial m_event_counter (decimal, 0x.., 2^k±m); the first id is start + 1', '0')
    .addOption(new Option('--width <bits>', 'id width (default: 64 for seed, 32 = id_t for upstream)').choices(['64', '32']))
    .option('--json', 'print JSON')
    .action(async (opts: CounterOpts) => {
      const { workers, idsPerWorker, trials } = opts;
      const start = parseUintLiteral(opts.start, 64, '--start');
      const variants: CounterVariant[] = opts.variant === 'both' ? [...COUNTER_VARIANTS] : [opts.variant];
      const runs: CounterStressResult[] = [];
      for (const variant of variants) {
        const width = (opts.width === undefined ? DEFAULT_ID_WIDTH[variant] : Number(opts.width)) as IdWidth;
        const mine: CounterStressResult[] = [];
        for (let t = 0; t < trials; t++) mine.push(await runCounterStress({ workers, idsPerWorker, variant, width, start }));
        runs.push(...mine);
        if (!opts.json) process.stdout.write(`${formatVariant(mine)}\n`);
      }
      if (opts.json) process.stdout.write(`${JSON.stringify({ ok: runs.every(passes), runs: runs.map(toJson) }, null, 2)}\n`);
      // A duplicate or repeated id or a handed-out sentinel is the defect the command looks for.
      if (!runs.every(passes)) reportExit(EXIT.FINDING);
    });
}

/**
 * What is wrong with a run, in words; empty when nothing is. One list decides the verdict line,
 * the JSON `ok` and the exit code, so they cannot disagree (a repeated id is never "ok").
 */
function problems(r: CounterStressResult): string[] {
  const c = r.check;
  return [
    ...(c.duplicates > 0 ? ['duplicate ids'] : []),
    ...(c.sentinelHits > 0 ? ['sentinel id 0 handed out'] : []),
    ...(c.reissued > 0 ? [`ids repeat ones handed out before --start`] : []),
    ...(c.missing > 0 || c.unexpected > 0 ? ['ids missing or out of range'] : []),
    ...(c.orderViolations > 0 ? ['per-thread order broken'] : []),
  ];
}

const passes = (r: CounterStressResult): boolean => problems(r).length === 0;

function toJson(r: CounterStressResult, i: number): Record<string, unknown> {
  const c = r.check;
  return {
    variant: r.variant, width: r.width, workers: r.workers, idsPerWorker: r.idsPerWorker, run: i + 1,
    start: String(r.start), finalCounter: String(r.finalCounter),
    total: c.total, duplicates: c.duplicates, missing: c.missing, unexpected: c.unexpected,
    sentinelHits: c.sentinelHits, reissued: c.reissued, orderViolations: c.orderViolations,
    min: c.min === null ? null : String(c.min), max: c.max === null ? null : String(c.max),
    expectedFirst: String(c.expectedFirst), expectedLast: String(c.expectedLast), wraps: c.wraps,
    predictedSentinelAt: r.predictedSentinelAt === null ? null : String(r.predictedSentinelAt),
    firstReissuedAt: String(firstReissuedAcquisition(r.start, r.width)),
    duplicateSamples: c.duplicateSamples.map(String),
    wallMs: round(r.wallMs, 3), overlapMs: round(r.overlapMs, 3), idsPerSecond: Math.round(r.idsPerSecond),
    ok: passes(r),
    problems: problems(r),
  };
}

const round = (v: number, d: number): number => Math.round(v * 10 ** d) / 10 ** d;
const mps = (v: number): string => (v >= 1e6 ? `${(v / 1e6).toFixed(1)} M ids/s` : `${Math.round(v)} ids/s`);

function formatVariant(runs: readonly CounterStressResult[]): string {
  const first = runs[0];
  if (first === undefined) return '';
  const lines = [
    `variant=${first.variant}: ${VARIANT_TEXT[first.variant]}; ids ${first.width}-bit${first.width === 32 ? ' (id_t truncation)' : ''}`,
    `  workers=${first.workers} ids/worker=${first.idsPerWorker} start=${first.start} → expected ids ${first.check.expectedFirst} … ${first.check.expectedLast}` +
      (first.check.wraps ? ` (wraps past 2^${first.width} − 1 to 0)` : ''),
  ];
  runs.forEach((r, i) => {
    const c = r.check;
    lines.push(
      `  trial ${i + 1}: total ${c.total}  duplicates ${c.duplicates}  missing ${c.missing}  unexpected ${c.unexpected}  sentinel hits ${c.sentinelHits}  ` +
        `min ${c.min}  max ${c.max}  final counter ${r.finalCounter}  wall ${r.wallMs.toFixed(1)} ms  ${mps(r.idsPerSecond)}  ` +
        `(all workers overlapped ${Math.max(0, r.overlapMs).toFixed(1)} ms)`,
    );
    if (c.duplicates > 0) lines.push(`    duplicate ids (first ${c.duplicateSamples.length}): ${c.duplicateSamples.join(', ')}; per-thread order broken ${c.orderViolations}×`);
    if (c.total <= LIST_IDS_UP_TO) r.records.forEach((rec, w) => lines.push(`    worker ${w + 1} got ids: ${[...rec].map((v) => String(BigInt.asUintN(r.width, v))).join(', ')}`));
  });
  const n = BigInt(first.workers * first.idsPerWorker);
  const predicted = first.predictedSentinelAt;
  const hits = runs.filter((r) => r.check.sentinelHits > 0).length;
  if (predicted !== null) {
    lines.push(
      `  SENTINEL COLLISION: id 0 (the invalid-event sentinel) was handed out in ${hits}/${runs.length} trial(s); ` +
        `the model predicts it at acquisition #${predicted} of ${n}, where the ${first.width}-bit id wraps (counter ${first.start} + ${predicted} ≡ 0 mod 2^${first.width})`,
    );
  } else {
    const k = 2n ** BigInt(first.width) - BigInt.asUintN(first.width, first.start);
    lines.push(`  sentinel: id 0 not reached in ${n} acquisitions (model: first id 0 at acquisition #${k}${hits > 0 ? `; but ${hits} trial(s) handed it out` : ''})`);
  }
  const reissued = runs.map((r) => r.check.reissued);
  if (reissued.some((x) => x > 0)) {
    const k = firstReissuedAcquisition(first.start, first.width);
    lines.push(
      `  REPEATS: ${reissued.join(', ')} id(s) per trial repeat ids that this counter, counting up from 0, already handed out before reaching --start ${first.start}; ` +
        `the model's first repeat is acquisition #${k} (id ${BigInt.asUintN(first.width, first.start + k)}, handed out before at counter value ${BigInt.asUintN(first.width, first.start + k) === 0n ? 2n ** BigInt(first.width) : BigInt.asUintN(first.width, first.start + k)})`,
    );
  }
  if (runs.length > 1 || first.variant === 'upstream') {
    const dups = runs.map((r) => r.check.duplicates);
    lines.push(`  duplicates per trial: [${dups.join(', ')}]  trials with duplicates: ${dups.filter((d) => d > 0).length}/${runs.length}`);
  }
  const found = [...new Set(runs.flatMap(problems))];
  lines.push(`  verdict: ${found.length === 0 ? 'ok (every id unique, none repeated from before --start, no sentinel)' : `FAIL (${found.join('; ')})`}`);
  return lines.join('\n');
}
