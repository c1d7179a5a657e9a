/**
 * A scripted sequence on the event-pool model that shows, for one variant, LIFO reuse keeping the
 * old id and what happens when the id width wraps while an event is still in use (`refsim pool`).
 */
import { assertCounterVariant, assertIdWidth, type CounterVariant, DEFAULT_ID_WIDTH, type IdWidth } from './counter.ts';
import { EventPool, InvalidEventIdError } from './pool.ts';

export interface PoolStep {
  readonly action: string;
  /** What the call returned or raised, in words. */
  readonly outcome: string;
  readonly error?: string;
  readonly counter: bigint;
  /** Pooled events' ids, bottom to top. */
  readonly pooled: readonly bigint[];
  /** In-use map: [id, event serial]. */
  readonly inUse: ReadonlyArray<readonly [bigint, number]>;
}

export interface PoolScenario {
  readonly variant: CounterVariant;
  readonly width: IdWidth;
  readonly steps: readonly PoolStep[];
  /** Ids the pool returned from acquireEvent(bool) that were already in the in-use map. */
  readonly collisions: number;
  readonly sentinelIds: number;
  readonly failedReleases: number;
}

export function runPoolScenario(variant: CounterVariant, width?: IdWidth): PoolScenario {
  assertCounterVariant(variant);
  width ??= DEFAULT_ID_WIDTH[variant];
  assertIdWidth(width);
  const pool = new EventPool({ variant, width });
  const steps: PoolStep[] = [];
  let collisions = 0;
  let sentinelIds = 0;
  let failedReleases = 0;
  const snap = (action: string, outcome: string, error?: string): void => {
    steps.push({
      action, outcome, ...(error === undefined ? {} : { error }),
      counter: pool.counter.value(), pooled: pool.pooledIds(), inUse: pool.inUseEntries(),
    });
  };
  const acquire = (who: string): bigint => {
    const r = pool.acquireEventIdDetailed();
    if (!r.inserted) collisions++;
    if (r.id === 0n) sentinelIds++;
    const how = r.reused ? `reused event #${r.acquired.serial} from the pool (old id kept)` : `created event #${r.acquired.serial}`;
    const where = r.inserted ? `in-use[${r.id}] = #${r.acquired.serial}` : `emplace kept in-use[${r.id}] = #${r.mapped.serial}; #${r.acquired.serial} went back to the pool`;
    snap(`${who} = acquireEvent(false)`, `id ${r.id}${r.id === 0n ? ' (the invalid-event sentinel)' : ''}: ${how}; ${where}`);
    return r.id;
  };
  const release = (who: string, id: bigint): void => {
    try {
      const e = pool.releaseEvent(id);
      snap(`releaseEvent(${who} = ${id})`, `erased in-use[${id}] = #${e.serial}; #${e.serial} back to the pool`);
    } catch (err) {
      if (!(err instanceof InvalidEventIdError)) throw err;
      failedReleases++;
      snap(`releaseEvent(${who} = ${id})`, 'TORCH_CHECK failed', err.message);
    }
  };

  const a = acquire('a');
  const b = acquire('b');
  release('b', b);
  const c = acquire('c');
  const skip = (1n << BigInt(width)) - 1n - pool.counter.value();
  pool.advanceCounter(skip);
  snap(`[model] ${skip} more events created and dropped elsewhere`, `m_event_counter = ${pool.counter.value()} = 2^${width} - 1`);
  const d = acquire('d');
  const e = acquire('e');
  release('e', e);
  release('a', a);
  release('c', c);
  release('d', d);
  return { variant, width, steps, collisions, sentinelIds, failedReleases };
}
