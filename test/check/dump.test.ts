/**
 * The dump format's rules (docs/check.md): op and params in __metadata__, tensors named by the
 * op's inputs plus `output`, params in refsim's names only, inputs the op accepts; and the
 * accuracy model each dump is judged by.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUDA_MODEL, EXACT_MODEL, WGSL_MODEL, accuracyForDevice, parseAccuracyOption } from '../../src/check/accuracy.ts';
import { readDump } from '../../src/check/dump.ts';
import { SafetensorsError, encodeSafetensors, type TensorToWrite } from '../../src/check/safetensors.ts';
import { InputRangeError } from '../../src/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-dump-'));
let counter = 0;
function dumpFile(tensors: Record<string, TensorToWrite>, metadata: Record<string, string>): string {
  const p = join(dir, `d${counter++}.safetensors`);
  writeFileSync(p, encodeSafetensors(tensors, metadata));
  return p;
}

const x = { shape: [1, 4, 2, 2], data: Float32Array.from({ length: 16 }, (_, i) => i - 5) };
const out = { shape: [1, 4, 2, 2], data: new Float32Array(16) };
const gn = (params: unknown = { numGroups: 2, eps: 1e-5 }) => ({ op: 'groupNorm', params: JSON.stringify(params), device: 'cpu' });

function rejected(p: string): string {
  try {
    readDump(p);
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    return (e as Error).message.slice(p.length + 2);
  }
  throw new Error('accepted');
}

describe('readDump', () => {
  it('decodes the case: inputs by name, an absent optional input as null, params and metadata', () => {
    const d = readDump(dumpFile({ x, bias: { shape: [4], data: Float32Array.of(1, 2, 3, 4) }, output: out }, { ...gn(), source: 'test', torch: '2.11' }));
    expect(d.op).toBe('groupNorm');
    expect(d.case.params).toEqual({ numGroups: 2, eps: 1e-5 });
    expect(d.case.inputs['weight']).toBeNull();
    expect([...d.case.inputs['bias']!.data]).toEqual([1, 2, 3, 4]);
    expect(d.device).toBe('cpu');
    expect(d.metadata).toMatchObject({ source: 'test', torch: '2.11' });
    expect(d.widened).toEqual([]);
  });

  it.each([
    ['no op', { params: '{}' }, /__metadata__\.op: .*a dump names its op/],
    ['an unknown op', { op: 'conv3d' }, /unknown op "conv3d"; valid ops: depthwiseConv2d, /],
    ['params that are not JSON', { op: 'groupNorm', params: '{numGroups: 2}' }, /__metadata__\.params is not JSON/],
    ['params that are not an object', { op: 'groupNorm', params: '[2]' }, /must be a JSON object/],
    ['an unknown parameter', { op: 'groupNorm', params: '{"numGroups": 2, "groups": 2}' }, /groupNorm has no parameter "groups" \(its parameters: numGroups, eps\)/],
    ['params the op rejects', { op: 'groupNorm', params: '{"numGroups": 3}' }, /groupNorm rejects the dump: numGroups must be a divisor of the channel count 4; got 3/],
    ['a missing parameter', { op: 'groupNorm', params: '{}' }, /groupNorm rejects the dump: params\.numGroups must be a number/],
  ])('%s', (_what, metadata, pattern) => {
    expect(rejected(dumpFile({ x, output: out }, metadata as Record<string, string>))).toMatch(pattern);
  });

  it('a missing output, an unknown tensor, a missing required input', () => {
    expect(rejected(dumpFile({ x }, gn()))).toMatch(/no tensor named "output"/);
    expect(rejected(dumpFile({ x, gamma: { shape: [4], data: new Float32Array(4) }, output: out }, gn()))).toMatch(
      /tensor "gamma" is neither an input of groupNorm \(x, weight, bias\) nor "output"/,
    );
    expect(rejected(dumpFile({ weight: { shape: [4], data: new Float32Array(4) }, output: out }, gn()))).toMatch(/groupNorm rejects the dump: inputs\.x must be a tensor/);
  });

  it('names the tensors widened from F16', () => {
    const half = new Uint8Array(new Uint16Array(16).fill(0x3c00).buffer);
    const d = readDump(dumpFile({ x: { shape: [1, 4, 2, 2], data: half, dtype: 'F16' }, output: out }, gn()));
    expect(d.widened).toEqual([{ name: 'x', dtype: 'F16' }]);
    expect(d.case.inputs['x']!.data[3]).toBe(1);
  });
});

describe('accuracy models', () => {
  it('by device: cpu exact, cuda with a 2-ULP inverseSqrt, mps and unknown the WGSL limits', () => {
    expect(accuracyForDevice('cpu').accuracy).toEqual(EXACT_MODEL.accuracy);
    expect(accuracyForDevice('cuda:1').accuracy).toEqual({ divUlp: 0, sqrtUlp: 0, inverseSqrtUlp: 2, flushSubnormals: false });
    expect(accuracyForDevice('cuda').source).toMatch(/rsqrtf/);
    expect(accuracyForDevice('mps').accuracy).toEqual({ divUlp: 2.5, sqrtUlp: 5, inverseSqrtUlp: 2, flushSubnormals: true });
    expect(accuracyForDevice('xpu').accuracy).toEqual(WGSL_MODEL.accuracy);
    expect(accuracyForDevice(null).source).toMatch(/not given/);
  });

  it('--accuracy: names, a full JSON object, and typed errors for anything else', () => {
    expect(parseAccuracyOption('cuda')).toBe(CUDA_MODEL);
    expect(parseAccuracyOption('{"divUlp": 1, "sqrtUlp": 1, "inverseSqrtUlp": 1, "flushSubnormals": false}').accuracy.divUlp).toBe(1);
    for (const bad of ['fast', '{"divUlp": 1}', '{"divUlp": -1, "sqrtUlp": 1, "inverseSqrtUlp": 1, "flushSubnormals": false}', '{"divUlp": 1, "sqrtUlp": 1, "inverseSqrtUlp": 1, "flushSubnormals": false, "x": 1}']) {
      expect(() => parseAccuracyOption(bad), bad).toThrow(InputRangeError);
    }
  });
});
