/**
 * Table records and uniform params are described once (src/gpu/record.ts): the WGSL reads and the
 * host's packing come from the same description. These tests read every table kernel's emitted
 * WGSL back and check that each field is read from the word the packer writes it to.
 */
import { describe, expect, it } from 'vitest';
import { GEMM_RECORD, TILE_NAMES, TILES, gemmWgsl } from '../../src/gpu/gemm.ts';
import { type Fields, type RecordLayout, tableRecord, uniformRecord } from '../../src/gpu/record.ts';
import { TableBuilder } from '../../src/gpu/table.ts';
import { POOL_RECORD, adaptiveAvgPool2dWgsl } from '../../src/ops/adaptiveAvgPool2d/wgsl.ts';
import { DEPTHWISE_RECORD, depthwiseConv2dWgsl } from '../../src/ops/depthwiseConv2d/wgsl.ts';
import { GROUP_NORM_RECORD, groupNormWgsl } from '../../src/ops/groupNorm/wgsl.ts';
import { LINEAR_LAYOUT } from '../../src/ops/linear/gemm.ts';
import { POINTWISE_LAYOUT } from '../../src/ops/pointwiseConv2d/gemm.ts';

/** Every `let name = rec(k, Nu)` (bitcast or not) in `wgsl`: name → [word, type]. */
function recReads(wgsl: string): Map<string, [number, string]> {
  const reads = new Map<string, [number, string]>();
  for (const m of wgsl.matchAll(/let (\w+) = (?:bitcast<(\w+)>\()?rec\(k, (\d+)u\)/g)) {
    expect(reads.has(m[1]!), `${m[1]} read twice`).toBe(false);
    reads.set(m[1]!, [Number(m[3]), m[2] ?? 'u32']);
  }
  return reads;
}

const kernels: Array<[string, RecordLayout<Fields>, string]> = [
  ['groupNorm', GROUP_NORM_RECORD, groupNormWgsl()],
  ['depthwiseConv2d generic', DEPTHWISE_RECORD, depthwiseConv2dWgsl('generic')],
  ['depthwiseConv2d row4', DEPTHWISE_RECORD, depthwiseConv2dWgsl('row4')],
  ['adaptiveAvgPool2d', POOL_RECORD, adaptiveAvgPool2dWgsl()],
  ...TILE_NAMES.flatMap((t): Array<[string, RecordLayout<Fields>, string]> => [
    [`gemm ${t} (linear)`, GEMM_RECORD, gemmWgsl(TILES[t], LINEAR_LAYOUT)],
    [`gemm ${t} (pointwise)`, GEMM_RECORD, gemmWgsl(TILES[t], POINTWISE_LAYOUT)],
  ]),
];

describe.each(kernels)('%s record', (_name, layout, wgsl) => {
  it('is read field by field from the words the packer writes, and the stride matches', () => {
    // Distinct values per field: the word a field lands in identifies it.
    const values = Object.fromEntries(layout.names.map((n, i) => [n, layout.fields[n] === 'f32' ? 2 ** (i + 1) : 1000 + i]));
    const table = new TableBuilder(layout);
    table.add(7, values);
    table.add(5, values);
    const words = table.words32();
    expect(words.length).toBe(2 * layout.stride);
    expect(wgsl).toContain(`const STRIDE = ${layout.stride}u;`);
    const reads = recReads(wgsl);
    expect([...reads.keys()].sort()).toEqual([...layout.names].sort());
    const wrong: string[] = [];
    for (const [name, [at, type]] of reads) {
      const v = values[name]!;
      const want = type === 'f32' ? new Uint32Array(new Float32Array([v]).buffer)[0] : v;
      if (words[layout.stride + at] !== want) wrong.push(`${name}: word ${at} holds ${words[layout.stride + at]}, want ${want} (${type})`);
      if (type !== layout.fields[name]) wrong.push(`${name}: read as ${type}, described as ${layout.fields[name]}`);
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
    // Word 0 of each record is its first work unit.
    expect([words[0], words[layout.stride]]).toEqual([0, 7]);
  });
});

describe('record packing', () => {
  const r = tableRecord('test record', { a: 'u32', b: 'i32', c: 'f32' });
  it('packs u32 as is, i32 as two’s complement and f32 as its bits', () => {
    expect(r.pack({ a: 0xffffffff, b: -1, c: -0 })).toEqual([0xffffffff, 0xffffffff, 0x80000000]);
    expect(r.pack({ a: 0, b: -(2 ** 31), c: 1.5 })).toEqual([0, 0x80000000, 0x3fc00000]);
    expect(r.reads((w) => `T[${w}]`)).toBe('  let a = T[1u];\n  let b = bitcast<i32>(T[2u]);\n  let c = bitcast<f32>(T[3u]);');
  });
  it('rejects a value its field cannot hold, naming the field', () => {
    expect(() => r.pack({ a: 2 ** 32, b: 0, c: 0 })).toThrow(/test record\.a must be an u32/);
    expect(() => r.pack({ a: -1, b: 0, c: 0 })).toThrow(/test record\.a/);
    expect(() => r.pack({ a: 0, b: 2 ** 31, c: 0 })).toThrow(/test record\.b must be an i32/);
    expect(() => r.pack({ a: 1.5, b: 0, c: 0 })).toThrow(RangeError);
  });
  it('uniform params are struct members in word order', () => {
    const u = uniformRecord('params', { count: 'u32', len: 'u32', zero: 'f32' });
    expect(u.members()).toBe('count: u32, len: u32, zero: f32');
    expect(u.pack({ count: 3, len: 4, zero: 0 })).toEqual([3, 4, 0]);
  });
});
