import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addOneInPlace,
  checkIds,
  COUNTER_VARIANTS,
  EventCounter,
  firstReissuedAcquisition,
  type IdWidth,
  InputRangeError,
  sentinelAcquisition,
} from '../../../src/index.ts';
import { edgyUint } from '../../support/arbitraries.ts';
import { fcParams } from '../../support/seed.ts';

const TWO64 = 2n ** 64n;
/** The test's own model of id k from a counter at `start`: plain modular arithmetic. */
const modelId = (start: bigint, k: bigint, width: IdWidth): bigint => ((start + k) % TWO64) % 2n ** BigInt(width);

const width = fc.constantFrom<IdWidth>(64, 32);
const variant = fc.constantFrom(...COUNTER_VARIANTS);
/** Starts biased to both wraps: just below 2^64 and just below multiples of 2^32. */
const start = fc.oneof(
  edgyUint(64),
  fc.integer({ min: 0, max: 300 }).map((d) => TWO64 - 1n - BigInt(d)),
  fc.tuple(fc.bigInt({ min: 1n, max: 2n ** 32n - 1n }), fc.integer({ min: 0, max: 300 })).map(([m, d]) => m * 2n ** 32n - 1n - BigInt(d)),
);

describe('EventCounter', () => {
  it('hands out (start + k) mod 2^64, reduced to the id width, for k = 1 … N; id 0 exactly where the model says', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 400 }), variant, width, (s, n, v, w) => {
        const c = new EventCounter({ start: s, variant: v, width: w });
        const ids = Array.from({ length: n }, () => c.next());
        const expected = Array.from({ length: n }, (_, i) => modelId(s, BigInt(i + 1), w));
        expect(ids).toEqual(expected);
        expect(c.value()).toBe((s + BigInt(n)) % TWO64);
        const zeroAt = ids.indexOf(0n);
        const predicted = sentinelAcquisition(s, BigInt(n), w);
        expect(zeroAt === -1 ? null : BigInt(zeroAt + 1)).toBe(predicted);
        const report = checkIds(ids, { start: s, width: w });
        expect(report).toMatchObject({ total: n, duplicates: 0, missing: 0, unexpected: 0, orderViolations: 0 });
        expect(report.sentinelHits).toBe(predicted === null ? 0 : 1);
        // Ids that a counter counting from 0 already produced: counter values above 2^width.
        const reissued = Array.from({ length: n }, (_, i) => s + BigInt(i + 1)).filter((cv) => cv > 2n ** BigInt(w)).length;
        expect(report.reissued).toBe(reissued);
        const firstRepeat = Array.from({ length: n }, (_, i) => s + BigInt(i + 1)).findIndex((cv) => cv > 2n ** BigInt(w));
        if (firstRepeat >= 0) expect(firstReissuedAcquisition(s, w)).toBe(BigInt(firstRepeat + 1));
        else expect(firstReissuedAcquisition(s, w)).toBeGreaterThan(BigInt(n));
      }),
      fcParams(300),
    );
  });

  it('keeps each logical thread strictly increasing and all ids unique and contiguous under any interleaving', () => {
    fc.assert(
      fc.property(start, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 300 }), width, (s, schedule, w) => {
        const c = new EventCounter({ start: s, width: w });
        const perThread: bigint[][] = [[], [], [], []];
        for (const t of schedule) perThread[t]?.push(c.next());
        const chunks = perThread.filter((ids) => ids.length > 0);
        const report = checkIds(chunks, { start: s, width: w });
        expect(report).toMatchObject({ total: schedule.length, duplicates: 0, missing: 0, unexpected: 0, orderViolations: 0 });
        const all = new Set(chunks.flat());
        expect(all.size).toBe(schedule.length);
        for (let k = 1; k <= schedule.length; k++) expect(all.has(modelId(s, BigInt(k), w))).toBe(true);
      }),
      fcParams(200),
    );
  });

  it('attaches to the same memory from a handle (as a worker does)', () => {
    const a = new EventCounter({ start: 41n });
    const b = EventCounter.attach(a.handle);
    expect(b.next()).toBe(42n);
    expect(a.next()).toBe(43n);
    expect(b.value()).toBe(43n);
  });

  it('rejects bad options with typed errors naming the parameter', () => {
    expect(() => new EventCounter({ start: -1n })).toThrow(InputRangeError);
    expect(() => new EventCounter({ start: TWO64 })).toThrow(/start must be an integer in \[0, 2\^64 - 1\]/);
    expect(() => new EventCounter({ width: 16 as IdWidth })).toThrow(/width must be 64 or 32/);
    expect(() => new EventCounter({ variant: 'atomic' as 'seed' })).toThrow(/variant must be one of seed, upstream/);
    expect(() => new EventCounter().beginIncrement()).toThrow(/cannot be split/);
  });
});

describe('EventCounter, upstream variant: ++ is a separate load and store', () => {
  it('two threads that both load before either stores get the same id, and one increment is lost', () => {
    const c = new EventCounter({ variant: 'upstream', start: 7n });
    const a = c.beginIncrement();
    const b = c.beginIncrement();
    const idA = a.store();
    const idB = b.store();
    expect([idA, idB]).toEqual([8n, 8n]);
    expect(c.value()).toBe(8n);
    const report = checkIds([[idA], [idB]], { start: 7n, width: 32 });
    expect(report).toMatchObject({ duplicates: 1, missing: 1, duplicateSamples: [8n], missingSamples: [9n] });
  });

  it('a stale store moves the counter backwards, so a later id repeats one already handed out', () => {
    const c = new EventCounter({ variant: 'upstream', start: 0n });
    const slow = c.beginIncrement(); // loads 0
    const fast = [c.next(), c.next(), c.next()]; // 1, 2, 3
    expect(slow.store()).toBe(1n); // stores 1: the counter went from 3 back to 1
    expect(c.next()).toBe(2n);
    expect(fast).toEqual([1n, 2n, 3n]);
    expect(() => slow.store()).toThrow(/called once/);
  });

  it('loads and stores in order behave like the atomic counter', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 50 }), (s, n) => {
        const c = new EventCounter({ variant: 'upstream', width: 64, start: s });
        const ids = Array.from({ length: n }, () => c.beginIncrement().store());
        expect(ids).toEqual(Array.from({ length: n }, (_, i) => modelId(s, BigInt(i + 1), 64)));
      }),
      fcParams(100),
    );
  });

  it('truncates ids to 32 bits: after 2^32 acquisitions id 0, then the ids of the first events again', () => {
    const c = new EventCounter({ variant: 'upstream', start: 2n ** 32n - 2n });
    expect([c.next(), c.next(), c.next(), c.next()]).toEqual([2n ** 32n - 1n, 0n, 1n, 2n]);
    expect(c.value()).toBe(2n ** 32n + 2n);
    const seed = new EventCounter({ variant: 'seed', start: 2n ** 32n - 2n });
    expect([seed.next(), seed.next(), seed.next()]).toEqual([2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n]);
  });
});

describe('addOneInPlace (the bulk + 1 of the stress loop)', () => {
  it('adds 1 modulo 2^64 to every element, carrying across the 32-bit halves', () => {
    fc.assert(
      fc.property(fc.array(edgyUint(64), { maxLength: 50 }), (values) => {
        const rec = BigUint64Array.from(values);
        addOneInPlace(rec);
        expect([...rec]).toEqual(values.map((v) => (v + 1n) % TWO64));
      }),
      fcParams(200),
    );
  });
});
