/** A model's bound and variant, checked, with what every part of the model derives from them. */
import { InputRangeError } from '../../../errors.ts';
import { type Instr, program } from './program.ts';
import { PoolLayout, type PoolState } from './state.ts';

export const POOL_VARIANTS = ['seed', 'upstream'] as const;
export type PoolVariant = (typeof POOL_VARIANTS)[number];
export const POOL_PATHS = ['event', 'direct'] as const;
export type PoolPath = (typeof POOL_PATHS)[number];

export interface PoolModelOptions {
  readonly variant: PoolVariant;
  /** 2..8 */
  readonly threads: number;
  /** Which path each thread runs; default: event, direct, event, direct, ... */
  readonly paths?: readonly PoolPath[];
  /** Operations per thread, 1..8. */
  readonly ops: number;
  /** Initial m_event_counter (default 0), to look at the id_t wrap. */
  readonly counterStart?: bigint;
}

const COUNTER_MOD = 2n ** 64n;

/**
 * Ids as the state stores them: offsets from the counter's start value; the printed id is
 * (start + offset) mod 2^bits. Offsets below 2^32 are distinct, so id equality is offset equality.
 */
export class IdSpace {
  /** Width of an id: upstream truncates to 32-bit id_t, the seed variant keeps 64 bits. */
  readonly bits: number;
  /** The offset whose id is 0 (if the counter can reach it within this bound). */
  readonly zeroOffset: number;
  private readonly idMod: bigint;

  constructor(variant: PoolVariant, private readonly start: bigint) {
    this.bits = variant === 'upstream' ? 32 : 64;
    this.idMod = 1n << BigInt(this.bits);
    this.zeroOffset = Number((this.idMod - (start % this.idMod)) % this.idMod || this.idMod);
  }

  /** The id an offset stands for. */
  id(offset: number): bigint {
    return this.counter(offset) % this.idMod;
  }

  /** m_event_counter's value at an offset (it wraps at 2^64). */
  counter(offset: number): bigint {
    return (this.start + BigInt(offset)) % COUNTER_MOD;
  }
}

export class PoolSetup {
  readonly variant: PoolVariant;
  readonly threads: number;
  readonly ops: number;
  readonly start: bigint;
  readonly paths: readonly PoolPath[];
  /** Whether the paths were given (the title names them then). */
  readonly pathsGiven: boolean;
  readonly layout: PoolLayout;
  readonly ids: IdSpace;
  private readonly direct: readonly boolean[];
  private readonly programs: readonly (readonly Instr[])[];

  constructor(opts: PoolModelOptions) {
    const { variant, threads, ops } = opts;
    const start = opts.counterStart ?? 0n;
    if (!Number.isInteger(threads) || threads < 2 || threads > 8) throw new InputRangeError('threads', 'an integer in 2..8', threads);
    if (!Number.isInteger(ops) || ops < 1 || ops > 8) throw new InputRangeError('ops', 'an integer in 1..8', ops);
    if (start < 0n || start >= COUNTER_MOD) throw new InputRangeError('counterStart', 'an integer in 0..2^64-1', start);
    const paths: readonly PoolPath[] = opts.paths ?? Array.from({ length: threads }, (_, t) => (t % 2 === 0 ? 'event' : 'direct'));
    if (paths.length !== threads) throw new InputRangeError('paths', `a list of ${threads} paths (one per thread)`, paths);
    this.variant = variant;
    this.threads = threads;
    this.ops = ops;
    this.start = start;
    this.paths = paths;
    this.pathsGiven = opts.paths !== undefined;
    this.layout = new PoolLayout(threads, ops);
    this.ids = new IdSpace(variant, start);
    this.direct = paths.map((p) => p === 'direct');
    this.programs = this.direct.map((d) => program(variant, d, ops));
  }

  /** Whether thread t runs the allocator's direct path (else torch.mps.Event's). */
  isDirect(t: number): boolean {
    return this.direct[t] === true;
  }

  /** Thread t's next step; undefined once it has finished or thrown. */
  instrOf(s: PoolState, t: number): Instr | undefined {
    if (s.failedId(t) !== 0) return undefined;
    return this.programs[t]?.[s.pc(t)];
  }

  /** The event object op `op` of thread t creates. */
  eventOf(t: number, op: number): number {
    return t * this.ops + op;
  }

  /** e<thread>.<op+1> */
  eventName(obj: number): string {
    return `e${Math.floor(obj / this.ops)}.${(obj % this.ops) + 1}`;
  }

  eventWithId(s: PoolState, obj: number): string {
    return `${this.eventName(obj)}[id ${this.ids.id(s.idOf(obj))}]`;
  }
}
