/**
 * A reader of local safetensors files (huggingface safetensors format: an 8-byte little-endian
 * header length N, N bytes of JSON header, then the raw little-endian C-order tensor data). Only
 * the header is read up front; each tensor is read on demand, by its own byte range, so a file
 * larger than its tensors need is never read whole. Every check happens before any allocation the
 * header could make large: header-size cap, offsets inside the data buffer, byte length = element
 * count × item size, no two tensors overlapping, an element cap per tensor.
 *
 * dtypes: F32 is read as is; F16 and BF16 are widened exactly to float32 (every value of both is a
 * float32); anything else is a clear error.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { z } from 'zod';
import { RefsimError } from '../errors.ts';
import { bf16BitsToF32Bits, f16BitsToF32Bits } from '../reference/float32.ts';
import { MAX_TENSOR_ELEMENTS, MAX_TENSOR_ELEMENTS_TEXT } from '../reference/tensor.ts';

/** Largest header read (the format's own limit is 100 MB; a dump's header is a few hundred bytes). */
export const MAX_HEADER_BYTES = 16 * 1024 * 1024;
/** Largest tensor read, in elements (1 GiB of float32): the reference's own cap. */
export { MAX_TENSOR_ELEMENTS } from '../reference/tensor.ts';

const DTYPES = { F32: 4, F16: 2, BF16: 2 } as const;
export type Dtype = keyof typeof DTYPES;

/** A malformed or unreadable safetensors file; the message names the file and the problem. */
export class SafetensorsError extends RefsimError {
  readonly file: string;
  constructor(file: string, problem: string) {
    super('E_SAFETENSORS', `${file}: ${problem}`);
    this.file = file;
  }
}

export interface TensorEntry {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly elements: number;
  /** Absolute byte range in the file. */
  readonly start: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  readonly file: string;
  readonly size: number;
  readonly metadata: Readonly<Record<string, string>>;
  /** In data-buffer order. */
  readonly tensors: readonly TensorEntry[];
}

const entrySchema = z.strictObject({
  dtype: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});
const metadataSchema = z.record(z.string(), z.string());

function zodProblem(e: z.ZodError, where: string): string {
  const i = e.issues[0]!;
  return `${where}${i.path.length > 0 ? `.${i.path.join('.')}` : ''}: ${i.message}`;
}

function readExactly(fd: number, file: string, length: number, position: number): Uint8Array {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    // One read takes at most 1 GiB (fs.readSync's length is a 31-bit integer).
    const n = readSync(fd, buf, done, Math.min(length - done, 2 ** 30), position + done);
    if (n === 0) throw new SafetensorsError(file, `truncated: wanted ${length} bytes at offset ${position}, the file ends after ${position + done}`);
    done += n;
  }
  return buf;
}

function parseEntry(file: string, name: string, raw: unknown, dataStart: number, dataLength: number): TensorEntry {
  const r = entrySchema.safeParse(raw);
  if (!r.success) throw new SafetensorsError(file, `header: ${zodProblem(r.error, `tensor ${JSON.stringify(name)}`)}`);
  const { dtype, shape, data_offsets: [begin, end] } = r.data;
  if (!(dtype in DTYPES)) {
    throw new SafetensorsError(file, `tensor ${JSON.stringify(name)} has dtype ${dtype}; refsim reads F32 (and F16, BF16 widened exactly to float32)`);
  }
  let elements = 1;
  for (const d of shape) elements *= d;
  if (elements > MAX_TENSOR_ELEMENTS) {
    throw new SafetensorsError(file, `tensor ${JSON.stringify(name)} has ${elements} elements [${shape.join(', ')}]; at most ${MAX_TENSOR_ELEMENTS} (${MAX_TENSOR_ELEMENTS_TEXT}) are read`);
  }
  if (begin > end || end > dataLength) {
    throw new SafetensorsError(file, `tensor ${JSON.stringify(name)}: data_offsets [${begin}, ${end}] are outside the data buffer of ${dataLength} bytes`);
  }
  const want = elements * DTYPES[dtype as Dtype];
  if (end - begin !== want) {
    throw new SafetensorsError(file, `tensor ${JSON.stringify(name)}: shape [${shape.join(', ')}] of ${dtype} needs ${want} bytes, data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype: dtype as Dtype, shape, elements, start: dataStart + begin, end: dataStart + end };
}

/** Reads and validates the header of `file` (nothing else). */
export function readSafetensorsHeader(file: string): SafetensorsHeader {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new SafetensorsError(file, `cannot open: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new SafetensorsError(file, 'not a regular file');
    const size = st.size;
    if (size < 8) throw new SafetensorsError(file, `truncated: ${size} bytes; a safetensors file starts with an 8-byte header length`);
    const n = new DataView(readExactly(fd, file, 8, 0).buffer).getBigUint64(0, true);
    if (n > BigInt(size - 8)) throw new SafetensorsError(file, `header length ${n} is longer than the ${size - 8} bytes after it`);
    if (n > BigInt(MAX_HEADER_BYTES)) throw new SafetensorsError(file, `header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte cap`);
    const headerLength = Number(n);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(readExactly(fd, file, headerLength, 8)));
    } catch (e) {
      throw new SafetensorsError(file, `header is not valid UTF-8 JSON: ${(e as Error).message}`);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new SafetensorsError(file, 'header is not a JSON object');
    const dataStart = 8 + headerLength;
    const dataLength = size - dataStart;
    let metadata: Record<string, string> = {};
    const tensors: TensorEntry[] = [];
    for (const [name, raw] of Object.entries(json)) {
      if (name === '__metadata__') {
        const m = metadataSchema.safeParse(raw);
        if (!m.success) throw new SafetensorsError(file, `header: ${zodProblem(m.error, '__metadata__')} (safetensors metadata maps strings to strings)`);
        metadata = m.data;
      } else {
        tensors.push(parseEntry(file, name, raw, dataStart, dataLength));
      }
    }
    tensors.sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < tensors.length; i++) {
      const [a, b] = [tensors[i - 1]!, tensors[i]!];
      if (b.start < a.end) throw new SafetensorsError(file, `tensors ${JSON.stringify(a.name)} and ${JSON.stringify(b.name)} overlap in the data buffer`);
    }
    return { file, size, metadata, tensors };
  } finally {
    closeSync(fd);
  }
}

const littleEndianHost = endianness() === 'LE';

/** Reads one tensor's bytes (only them) and returns its values as float32, widened exactly where needed. */
export function readTensorF32(header: SafetensorsHeader, entry: TensorEntry): Float32Array {
  const fd = openSync(header.file, 'r');
  let bytes: Uint8Array;
  try {
    bytes = readExactly(fd, header.file, entry.end - entry.start, entry.start);
  } finally {
    closeSync(fd);
  }
  if (entry.dtype === 'F32' && littleEndianHost) return new Float32Array(bytes.buffer, 0, entry.elements);
  const out = new Float32Array(entry.elements);
  const view = new DataView(bytes.buffer);
  if (entry.dtype === 'F32') {
    for (let i = 0; i < entry.elements; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }
  const widen = entry.dtype === 'F16' ? f16BitsToF32Bits : bf16BitsToF32Bits;
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < entry.elements; i++) bits[i] = widen(view.getUint16(2 * i, true));
  return out;
}

export interface TensorToWrite {
  readonly shape: readonly number[];
  /** float32 values, or raw little-endian bytes of `dtype`. */
  readonly data: Float32Array | Uint8Array;
  readonly dtype?: Dtype;
}

/**
 * A safetensors file's bytes: header (tensors in the given order, metadata), padded with spaces to
 * a multiple of 8 as the format's writers do, then the data. For tests, benchmarks and fixtures
 * written from TypeScript (PyTorch users write them with python/refsim_dump.py).
 */
export function encodeSafetensors(tensors: Readonly<Record<string, TensorToWrite>>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = t.data instanceof Float32Array ? f32LittleEndian(t.data) : t.data;
    header[name] = { dtype: t.dtype ?? 'F32', shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function f32LittleEndian(data: Float32Array): Uint8Array {
  if (littleEndianHost) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const out = new Uint8Array(4 * data.length);
  const view = new DataView(out.buffer);
  data.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return out;
}
