/**
 * The safetensors reader: round trips, exact F16/BF16 widening, and every malformed-file case as
 * one SafetensorsError naming the file and the problem, found from the header before any tensor
 * is read.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_HEADER_BYTES, SafetensorsError, encodeSafetensors, readSafetensorsHeader, readTensorF32,
} from '../../src/check/safetensors.ts';
import { f32Bits } from '../../src/reference/float32.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-st-'));
let counter = 0;
function file(bytes: Uint8Array | string): string {
  const p = join(dir, `f${counter++}.safetensors`);
  writeFileSync(p, bytes);
  return p;
}

/** A file made of an 8-byte header length, the header text, and `data` bytes. */
function raw(header: unknown, dataBytes = 0, claimedLength?: bigint): string {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, claimedLength ?? BigInt(text.length), true);
  out.set(text, 8);
  return file(out);
}

function problem(path: string): string {
  try {
    const h = readSafetensorsHeader(path);
    for (const t of h.tensors) readTensorF32(h, t);
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    const msg = (e as Error).message;
    expect(msg.startsWith(`${path}: `), msg).toBe(true);
    expect(msg).not.toMatch(/\n/);
    return msg.slice(path.length + 2);
  }
  throw new Error(`${path} was accepted`);
}

describe('reading', () => {
  it('round-trips float32 bit patterns (NaN payloads, −0, subnormals) and metadata', () => {
    const bits = Uint32Array.of(0x7fc00001, 0x80000000, 0x00000001, 0x3f800000, 0xff800000, 0x7f7fffff);
    const x = new Float32Array(bits.buffer);
    const p = file(encodeSafetensors({ x: { shape: [2, 3], data: x }, output: { shape: [], data: Float32Array.of(2.5) } }, { op: 'relu', note: 'é' }));
    const h = readSafetensorsHeader(p);
    expect(h.metadata).toEqual({ op: 'relu', note: 'é' });
    expect(h.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([['x', 'F32', [2, 3]], ['output', 'F32', []]]);
    expect([...new Uint32Array(readTensorF32(h, h.tensors[0]!).buffer)]).toEqual([...bits]);
    expect([...readTensorF32(h, h.tensors[1]!)]).toEqual([2.5]);
  });

  it('widens F16 and BF16 exactly (subnormal halves, ±Inf, NaN kept)', () => {
    // half: 1.0, −2.0, smallest subnormal 2^−24, largest 65504, +Inf, a NaN; bfloat16: 1.0, −0, 3.0·2^100.
    const halves = Uint16Array.of(0x3c00, 0xc000, 0x0001, 0x7bff, 0x7c00, 0x7e01);
    const bf = Uint16Array.of(0x3f80, 0x8000, f32Bits(3 * 2 ** 100) >>> 16);
    const p = file(encodeSafetensors({
      x: { shape: [6], data: new Uint8Array(halves.buffer), dtype: 'F16' },
      output: { shape: [3], data: new Uint8Array(bf.buffer), dtype: 'BF16' },
    }));
    const h = readSafetensorsHeader(p);
    const half = readTensorF32(h, h.tensors[0]!);
    expect([...half.slice(0, 5)]).toEqual([1, -2, 2 ** -24, 65504, Infinity]);
    expect(Number.isNaN(half[5])).toBe(true);
    const b = readTensorF32(h, h.tensors[1]!);
    expect(b[0]).toBe(1);
    expect(Object.is(b[1], -0)).toBe(true);
    expect(b[2]).toBe(3 * 2 ** 100);
  });

  it('reads only the tensors of a file followed by 10 GB it does not need', () => {
    const p = file(encodeSafetensors({ x: { shape: [4], data: Float32Array.of(1, 2, 3, 4) } }));
    const fd = openSync(p, 'r+');
    ftruncateSync(fd, 10 * 2 ** 30); // sparse: no disk used
    closeSync(fd);
    const t0 = performance.now();
    const h = readSafetensorsHeader(p);
    expect([...readTensorF32(h, h.tensors[0]!)]).toEqual([1, 2, 3, 4]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('malformed files: one line naming the file and the problem', () => {
  const ok = { x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  it.each([
    ['an empty file', () => file(new Uint8Array(0)), /truncated: 0 bytes/],
    ['a truncated length', () => file(new Uint8Array(5)), /truncated: 5 bytes/],
    ['a header longer than the file', () => raw(ok, 8, 10_000n), /header length 10000 is longer than the \d+ bytes after it/],
    ['a header length of 2^64 − 1', () => raw(ok, 8, 2n ** 64n - 1n), /header length 18446744073709551615 is longer/],
    ['invalid JSON', () => raw('{"x": ', 8), /not valid UTF-8 JSON/],
    ['a JSON array', () => raw('[1, 2]', 0), /not a JSON object/],
    ['offsets beyond the data', () => raw({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 16] } }, 8), /data_offsets \[0, 16\] are outside the data buffer of 8 bytes/],
    ['reversed offsets', () => raw({ x: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, 8), /outside the data buffer/],
    ['overlapping tensors', () => raw({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, y: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8), /tensors "x" and "y" overlap/],
    ['a shape whose product disagrees with the byte length', () => raw({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8), /shape \[3\] of F32 needs 12 bytes, data_offsets \[0, 8\] span 8/],
    ['an unsupported dtype', () => raw({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8), /dtype I64; refsim reads F32/],
    ['an unknown key in a tensor entry', () => raw({ x: { ...ok.x, extra: 1 } }, 8), /tensor "x"/],
    ['non-string metadata', () => raw({ __metadata__: { op: 3 }, ...ok }, 8), /__metadata__\.op: .* strings to strings/],
    ['a negative dimension', () => raw({ x: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, 8), /tensor "x"\.shape\.0/],
  ])('%s', (_what, make, pattern) => {
    expect(problem(make())).toMatch(pattern);
  });

  it('a tensor over the element cap is refused from the header of a 10 GB file, before any read', () => {
    const p = raw({ output: { dtype: 'F32', shape: [2684354560], data_offsets: [0, 10737418240] } });
    const fd = openSync(p, 'r+');
    ftruncateSync(fd, 10737418240 + 200);
    closeSync(fd);
    expect(problem(p)).toMatch(/tensor "output" has 2684354560 elements \[2684354560\]; at most 1073741824 \(2\^30\) are read/);
  });

  it('a header over the cap is refused without reading it', () => {
    const p = join(dir, 'huge-header.safetensors');
    const fd = openSync(p, 'w');
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(MAX_HEADER_BYTES + 1));
    writeSync(fd, len);
    ftruncateSync(fd, MAX_HEADER_BYTES + 64);
    closeSync(fd);
    expect(problem(p)).toMatch(/header length 16777217 exceeds the 16777216-byte cap/);
  });

  it('a missing file, a directory and /dev/zero', () => {
    expect(problem(join(dir, 'missing.safetensors'))).toMatch(/cannot open: ENOENT/);
    expect(problem(dir)).toMatch(/not a regular file|cannot open: EISDIR/);
    expect(problem('/dev/zero')).toMatch(/not a regular file/);
  });
});
