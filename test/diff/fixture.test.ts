import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RefsimError } from '../../src/errors.ts';
import { caseHash, fixtureCase, makeFixture, readFixture, writeFixture, type FixtureMeta } from '../../src/diff/fixture.ts';
import { EXACT_ACCURACY, type OpCase } from '../../src/ops/types.ts';
import { fcParams } from '../support/seed.ts';
import { fakeAdapter } from './fakes.ts';

const meta: FixtureMeta = {
  backend: 'vulkan', adapter: fakeAdapter, profile: 'strict', accuracy: EXACT_ACCURACY,
  generator: { seed: 42, path: '3:1:0', maxElements: 64, specialValues: true },
  observed: { violations: 1, first: [{ index: 0, gotBits: '3f800001', expectedBits: '3f800000', ulp: 1, bound: 0, reason: 'bound' }] },
};

const bitsTensor = (bits: number[], shape = [bits.length]) => ({ shape, data: new Float32Array(Uint32Array.from(bits).buffer) });

describe('mismatch fixtures', () => {
  it('round-trip every float32 bit pattern exactly (NaN payloads, −0, subnormals)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'refsim-fixture-'));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 1, maxLength: 12 }), fc.boolean(), (bits, withBias) => {
        const c: OpCase = {
          op: 'depthwiseConv2d', params: { stride: [1, 2], padding: 0, dilation: [1, 1] },
          inputs: { x: bitsTensor(bits, [1, bits.length]), weight: bitsTensor(bits, [1, bits.length]), bias: withBias ? bitsTensor([0x80000000]) : null },
        };
        const file = writeFixture(dir, makeFixture(c, meta));
        const back = fixtureCase(readFixture(file));
        expect(back.op).toBe('depthwiseConv2d');
        expect(back.params).toEqual(c.params);
        for (const name of ['x', 'weight', 'bias']) {
          const a = c.inputs[name];
          const b = back.inputs[name];
          if (a === null || a === undefined) {
            expect(b).toBeNull();
            continue;
          }
          expect(b!.shape).toEqual(a.shape);
          expect(Array.from(new Uint32Array(b!.data.buffer))).toEqual(Array.from(new Uint32Array(a.data.buffer)));
        }
      }),
      fcParams(50),
    );
    expect(readdirSync(dir).every((n) => /^mismatch-depthwiseConv2d-[0-9a-f]{12}\.json$/.test(n))).toBe(true);
  });

  it('names the file by a hash of the case only', () => {
    const c: OpCase = { op: 'relu', params: {}, inputs: { x: bitsTensor([0x3f800000, 0x80000000]) } };
    const a = makeFixture(c, meta);
    const b = makeFixture(c, { ...meta, generator: { ...meta.generator, seed: 7 } });
    expect(caseHash(a)).toBe(caseHash(b));
    const d = makeFixture({ ...c, inputs: { x: bitsTensor([0x3f800000, 0x00000000]) } }, meta);
    expect(caseHash(d)).not.toBe(caseHash(a));
    const dir = mkdtempSync(join(tmpdir(), 'refsim-fixture-'));
    const file = writeFixture(dir, a);
    expect(file).toBe(join(dir, `mismatch-relu-${caseHash(a)}.json`));
    expect(readdirSync(dir)).toEqual([`mismatch-relu-${caseHash(a)}.json`]);
    expect(JSON.parse(readFileSync(file, 'utf8')).inputs.x.bits).toEqual(['3f800000', '80000000']);
  });

  it('rejects corrupted files with one clear E_FIXTURE error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'refsim-fixture-'));
    const good = writeFixture(dir, makeFixture({ op: 'relu', params: {}, inputs: { x: bitsTensor([1, 2, 3]) } }, meta));
    const json = JSON.parse(readFileSync(good, 'utf8'));
    const cases: Array<[string, string, RegExp]> = [
      ['truncated', readFileSync(good, 'utf8').slice(0, 100), /is not valid JSON/],
      ['bits', JSON.stringify({ ...json, inputs: { x: { shape: [3], bits: ['00000001', 'zz', '00000003'] } } }), /inputs\.x\.bits\.1: expected 8 lower-case hex digits/],
      ['count', JSON.stringify({ ...json, inputs: { x: { shape: [2, 2], bits: ['00000001'] } } }), /inputs\.x: bits\.length must equal the product of shape/],
      ['op', JSON.stringify({ ...json, op: 'softmax' }), /op: /],
      ['format', JSON.stringify({ ...json, format: 'other/9' }), /format: /],
      ['root', '[1,2]', /\(root\)/],
    ];
    for (const [name, text, re] of cases) {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, text);
      let err: unknown;
      try {
        readFixture(file);
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(RefsimError);
      expect((err as RefsimError).code).toBe('E_FIXTURE');
      expect((err as Error).message, name).toMatch(re);
      expect((err as Error).message).not.toMatch(/\n/);
    }
    expect(() => readFixture(join(dir, 'missing.json'))).toThrow(/cannot read fixture .*ENOENT/);
  });
});
