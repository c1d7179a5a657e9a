/**
 * GPU time of a prepared batch: a compute pass of `repeat` back-to-back dispatches, timed with
 * timestamp queries around the pass (wall clock where the adapter has none), in ms per dispatch.
 *
 * A GPU's clocks follow its load: on the H100 a kernel timed right after the CPU spent a second
 * building its inputs read up to 2.3× slower than the same pipeline timed after other GPU work.
 * So the kernels suite times its batches in rounds (`timeInRounds`): every batch once per round,
 * after a warm-up that keeps the GPU busy for a while, and a batch's figure is the median over
 * rounds: every row sees the same clock history, whatever its place in the list.
 */
import type { RefsimGpu } from '../src/gpu/device.ts';
import type { PreparedBatch } from '../src/gpu/kernel.ts';
import { readBack, release, submitGuarded } from '../src/gpu/runtime.ts';
import { median } from './lib.ts';

export const REPEAT = 10;
export const ROUNDS = 7;
/** Warm-up: keep the GPU busy at least this long before the first timed pass (quick runs: one round). */
const WARM_MS = 1500;

export interface Timing {
  readonly ms: number;
  readonly method: string;
}

/** Times passes of one batch; `destroy()` frees its query set. */
export class BatchTimer {
  private readonly querySet: GPUQuerySet | null;
  private readonly resolveBuf: GPUBuffer | null;

  constructor(
    private readonly ctx: RefsimGpu,
    private readonly op: string,
    private readonly batch: PreparedBatch,
    private readonly repeat: number,
  ) {
    this.querySet = ctx.hasTimestamps ? ctx.device.createQuerySet({ type: 'timestamp', count: 2 }) : null;
    this.resolveBuf = ctx.hasTimestamps ? ctx.device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }) : null;
  }

  get method(): string {
    return this.querySet === null ? 'wall clock (no timestamp-query)' : 'timestamp queries';
  }

  /** One pass, untimed. */
  run(): Promise<void> {
    return this.pass(false);
  }

  /** One timed pass: milliseconds per dispatch. */
  async timed(): Promise<number> {
    const where = { op: `bench ${this.op}`, caseIndex: 0 };
    if (this.querySet === null || this.resolveBuf === null) {
      const t0 = performance.now();
      await this.pass(false);
      return (performance.now() - t0) / this.repeat;
    }
    await this.pass(true);
    const t = new BigUint64Array(await readBack(this.ctx, where, this.resolveBuf, 16));
    return Number((t[1] ?? 0n) - (t[0] ?? 0n)) / 1e6 / this.repeat;
  }

  destroy(): void {
    this.querySet?.destroy();
    if (this.resolveBuf !== null) release(this.resolveBuf);
  }

  private pass(timed: boolean): Promise<void> {
    const qs = timed ? this.querySet : null;
    return submitGuarded(this.ctx, { op: `bench ${this.op}`, caseIndex: 0 }, (enc) => {
      const pass = enc.beginComputePass(qs === null ? {} : { timestampWrites: { querySet: qs, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } });
      for (let r = 0; r < this.repeat; r++) this.batch.encode(pass);
      pass.end();
      if (qs !== null && this.resolveBuf !== null) enc.resolveQuerySet(qs, 0, 2, this.resolveBuf, 0);
    });
  }
}

/**
 * Median ms per dispatch of each batch, timed in interleaved rounds after a common warm-up.
 * `quick` (software adapters): 3 dispatches a pass, 3 rounds, one warm-up round.
 */
export async function timeInRounds(ctx: RefsimGpu, batches: readonly { op: string; batch: PreparedBatch }[], quick: boolean): Promise<Timing[]> {
  const timers = batches.map((b) => new BatchTimer(ctx, b.op, b.batch, quick ? 3 : REPEAT));
  try {
    const warmStart = performance.now();
    do {
      for (const t of timers) await t.run();
    } while (!quick && performance.now() - warmStart < WARM_MS);
    const samples: number[][] = timers.map(() => []);
    for (let r = 0; r < (quick ? 3 : ROUNDS); r++) {
      for (const [i, t] of timers.entries()) samples[i]!.push(await t.timed());
    }
    return timers.map((t, i) => ({ ms: median(samples[i]!), method: t.method }));
  } finally {
    for (const t of timers) t.destroy();
  }
}

/** One batch alone (the pool suite's two rows): the same warm-up and rounds. */
export async function timeBatch(ctx: RefsimGpu, op: string, batch: PreparedBatch, quick: boolean): Promise<Timing> {
  const [t] = await timeInRounds(ctx, [{ op, batch }], quick);
  return t!;
}
