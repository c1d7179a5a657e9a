import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EventAlreadyReturnedError,
  EventPool,
  type EventPtr,
  InvalidEventIdError,
  runPoolScenario,
} from '../../../src/index.ts';
import { fcParams } from '../../support/seed.ts';

const TWO64 = 2n ** 64n;

/**
 * The model: the in-use map as a plain Map (id → event serial), the pool as a plain array used
 * as a stack, the counter as a bigint, and the direct-path handles the test holds.
 */
interface Model {
  inUse: Map<bigint, number>;
  pool: Array<{ id: bigint; serial: number }>;
  counter: bigint;
  serials: number;
  handedOut: Set<bigint>;
  held: Array<{ ptr: EventPtr | null; id: bigint; serial: number; returned: boolean }>;
}

/** The event the model expects the next acquire to produce (LIFO reuse keeps the old id). */
function modelAcquire(m: Model): { id: bigint; serial: number; reused: boolean } {
  const top = m.pool.pop();
  if (top) return { ...top, reused: true };
  m.counter = (m.counter + 1n) % TWO64;
  return { id: m.counter, serial: ++m.serials, reused: false };
}

type Cmd = fc.Command<Model, EventPool>;

class AcquireId implements Cmd {
  check = (): boolean => true;
  run(m: Model, p: EventPool): void {
    const want = modelAcquire(m);
    const r = p.acquireEventIdDetailed();
    expect({ id: r.id, serial: r.acquired.serial, reused: r.reused }).toEqual(want);
    // 64-bit seed ids cannot collide in a run this short: emplace always inserts.
    expect(r.inserted).toBe(true);
    m.inUse.set(want.id, want.serial);
    m.handedOut.add(want.id);
  }
  toString = (): string => 'acquireEventId()';
}

class ReleaseId implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>): boolean => m.inUse.size > 0;
  run(m: Model, p: EventPool): void {
    const [id, serial] = [...m.inUse][this.pick % m.inUse.size]!;
    expect(p.releaseEvent(id).serial).toBe(serial);
    m.inUse.delete(id);
    m.pool.push({ id, serial });
  }
  toString = (): string => `releaseEvent(#${this.pick})`;
}

class ReleaseInvalid implements Cmd {
  constructor(readonly id: bigint) {}
  check = (m: Readonly<Model>): boolean => !m.inUse.has(this.id);
  run(m: Model, p: EventPool): void {
    const reason = m.handedOut.has(this.id) ? 'released' : 'unknown';
    let err: unknown;
    try {
      p.releaseEvent(this.id);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidEventIdError);
    expect(err).toMatchObject({ code: 'E_INVALID_EVENT_ID', eventId: this.id, reason });
    expect((err as Error).message).toMatch(new RegExp(`^Invalid Event ID: ${this.id} `));
  }
  toString = (): string => `releaseEvent(${this.id}) [invalid]`;
}

class Lookup implements Cmd {
  constructor(readonly pick: number, readonly stray: bigint) {}
  check = (): boolean => true;
  run(m: Model, p: EventPool): void {
    const ids = [...m.inUse.keys()];
    const id = ids.length > 0 && this.pick % 2 === 0 ? ids[this.pick % ids.length]! : this.stray;
    const serial = m.inUse.get(id);
    if (serial === undefined) {
      expect(() => p.getInUseEvent(id)).toThrow(InvalidEventIdError);
    } else {
      expect(p.getInUseEvent(id)).toMatchObject({ id, serial });
    }
  }
  toString = (): string => `getInUseEvent(${this.pick}, ${this.stray})`;
}

/** The direct path (allocator callers): an owning handle, no in-use map entry. */
class AcquireDirect implements Cmd {
  check = (): boolean => true;
  run(m: Model, p: EventPool): void {
    const want = modelAcquire(m);
    const ptr = p.acquireEvent(true, 'stream-2');
    expect({ id: ptr.event.id, serial: ptr.event.serial, reused: ptr.reused }).toEqual(want);
    expect(ptr.event).toMatchObject({ stream: 'stream-2', enableTiming: true });
    m.held.push({ ptr, id: want.id, serial: want.serial, returned: false });
  }
  toString = (): string => 'acquireEvent(true, stream-2)';
}

class ReturnDirect implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>): boolean => m.held.length > 0;
  run(m: Model): void {
    const h = m.held[this.pick % m.held.length]!;
    if (h.returned) {
      expect(() => h.ptr!.release()).toThrow(EventAlreadyReturnedError);
      return;
    }
    h.ptr!.release();
    h.returned = true;
    m.pool.push({ id: h.id, serial: h.serial });
  }
  toString = (): string => `ptr(#${this.pick}).release()`;
}

class EmptyCache implements Cmd {
  check = (): boolean => true;
  run(m: Model, p: EventPool): void {
    p.emptyCache();
    m.pool = [];
    expect(p.pooledCount).toBe(0);
  }
  toString = (): string => 'emptyCache()';
}

describe('EventPool model (seed variant) against a plain-Map model', () => {
  it('acquire / release / LIFO reuse with the old id / lookups / misuse agree with the model', () => {
    const commands = [
      fc.constant(new AcquireId()),
      fc.nat().map((k) => new ReleaseId(k)),
      fc.oneof(fc.bigInt({ min: 0n, max: 40n }), fc.constant(TWO64 - 1n)).map((id) => new ReleaseInvalid(id)),
      fc.tuple(fc.nat(), fc.bigInt({ min: 0n, max: 40n })).map(([k, id]) => new Lookup(k, id)),
      fc.constant(new AcquireDirect()),
      fc.nat().map((k) => new ReturnDirect(k)),
      fc.constant(new EmptyCache()),
    ];
    const start = fc.oneof(fc.constant(0n), fc.bigInt({ min: TWO64 - 8n, max: TWO64 - 1n }));
    fc.assert(
      fc.property(start, fc.commands(commands, { maxCommands: 80, size: 'large' }), (s, cmds) => {
        const setup = () => ({
          model: { inUse: new Map(), pool: [], counter: s, serials: 0, handedOut: new Set<bigint>(), held: [] } as Model,
          real: new EventPool({ variant: 'seed', start: s }),
        });
        fc.modelRun(setup, cmds);
        const { real } = setup();
        expect(real.width).toBe(64);
      }),
      fcParams(200),
    );
  });

  it('reuses the most recently released event first, keeping its id', () => {
    const p = new EventPool();
    const [a, b, c] = [p.acquireEventId(), p.acquireEventId(), p.acquireEventId()];
    p.releaseEvent(a);
    p.releaseEvent(c);
    expect([p.acquireEventId(), p.acquireEventId(), p.acquireEventId()]).toEqual([c, a, 4n]);
    expect(b).toBe(2n);
  });
});

describe('EventPool, upstream variant: what 32-bit ids and emplace do', () => {
  it('after the 32-bit wrap a new event gets id 0, then the id of a live event; emplace keeps the old entry', () => {
    const p = new EventPool({ variant: 'upstream' });
    expect(p.width).toBe(32);
    const a = p.acquireEventIdDetailed();
    expect(a.id).toBe(1n);
    p.advanceCounter(2n ** 32n - 2n);
    const d = p.acquireEventIdDetailed();
    expect(d).toMatchObject({ id: 0n, inserted: true });
    const e = p.acquireEventIdDetailed();
    expect(e).toMatchObject({ id: 1n, inserted: false, reused: false });
    // The caller of the second acquire holds id 1, which names the first caller's event.
    expect(e.mapped).toBe(a.acquired);
    expect(e.acquired).not.toBe(a.acquired);
    expect(p.pooledIds()).toEqual([1n]); // the new event went straight back to the pool
    p.releaseEvent(1n); // the second caller releases "its" event: the first caller's one goes
    expect(() => p.releaseEvent(1n)).toThrow(/^Invalid Event ID: 1 /);
    // Two distinct pooled events now share id 1; both come back out with it.
    expect([p.acquireEventIdDetailed(), p.acquireEventIdDetailed()].map((r) => [r.id, r.inserted])).toEqual([[1n, true], [1n, false]]);
  });

  it('the scripted replay (refsim pool) shows the same for both variants, at 2^32 and at 2^64', () => {
    for (const [variant, width] of [['upstream', 32], ['seed', 64]] as const) {
      const s = runPoolScenario(variant);
      expect(s.width).toBe(width);
      expect({ collisions: s.collisions, sentinelIds: s.sentinelIds, failedReleases: s.failedReleases }).toEqual({ collisions: 1, sentinelIds: 1, failedReleases: 1 });
      expect(s.steps.find((st) => st.action.startsWith('[model]'))?.counter).toBe(2n ** BigInt(width) - 1n);
      expect(s.steps.find((st) => st.action.startsWith('c = '))?.outcome).toMatch(/^id 2: reused event #2 from the pool \(old id kept\)/);
    }
  });

  it('rejects ids that are not representable as id_t and unknown ids with typed errors', () => {
    const p = new EventPool({ variant: 'upstream' });
    p.acquireEventId();
    expect(() => p.getInUseEvent(2n ** 32n + 1n)).toThrow(InvalidEventIdError);
    expect(() => p.releaseEvent(7n)).toThrow(/never handed out/);
  });
});
