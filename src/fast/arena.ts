/**
 * Per-call bump allocation in the kernels' memory: each fast evaluation resets the arena, places
 * its tensors, packed copies and scratch, runs, and copies the result out. Offsets are byte
 * offsets; the first 1 KiB is never handed out, so offset 0 can mean "no tensor" (an absent bias).
 */
import { MAX_PAGES } from './module.ts';

const PAGE = 65536;
const BASE = 1024;
/** Every block is followed by this much slack, so a 4-lane load that starts at a block's last element stays inside it. */
const SLACK = 16;

/** The call needs more memory than the kernels can address; the caller falls back to TypeScript. */
export class ArenaFullError extends Error {
  constructor(bytes: number) {
    super(`fast path: ${bytes} bytes exceed the ${MAX_PAGES * PAGE}-byte memory`);
  }
}

export class Arena {
  private top = BASE;

  constructor(readonly memory: WebAssembly.Memory) {}

  reset(): void {
    this.top = BASE;
  }

  /** The current top, to release everything allocated after it (repeated runs on resident tensors). */
  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /** A 16-byte aligned block of `bytes` (plus slack), growing the memory as needed. */
  alloc(bytes: number): number {
    const at = this.top;
    const end = at + Math.ceil((bytes + SLACK) / 16) * 16;
    if (end > MAX_PAGES * PAGE) throw new ArenaFullError(end);
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return at;
  }

  /** A block holding a copy of `data`. */
  putF32(data: Float32Array): number {
    const at = this.alloc(data.length * 4);
    this.writeF32(at, data);
    return at;
  }

  /**
   * Copies `data` to `at` as bytes: V8 copies Float32Array elements one by one, and a view on
   * shared memory one relaxed-atomic element at a time, several times slower than Buffer's memcpy.
   */
  writeF32(at: number, data: Float32Array): void {
    Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(Buffer.from(this.memory.buffer, at, data.byteLength));
  }

  /** A zero-filled block (fresh memory is zero, reused memory is not). */
  zeros(bytes: number): number {
    const at = this.alloc(bytes);
    new Uint8Array(this.memory.buffer, at, bytes).fill(0);
    return at;
  }

  /** Float32 view of n elements at `at` (valid until the memory grows). */
  f32(at: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, n);
  }

  i32(at: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, at, n);
  }

  /** A block holding the given int32 values. */
  putI32(values: readonly number[]): number {
    const at = this.alloc(values.length * 4);
    this.i32(at, values.length).set(values);
    return at;
  }

  /** A copy of n float32 elements at `at` into ordinary (non-shared) memory (a byte copy, see writeF32). */
  readF32(at: number, n: number): Float32Array {
    const out = new Float32Array(n);
    Buffer.from(this.memory.buffer, at, n * 4).copy(Buffer.from(out.buffer));
    return out;
  }
}
