/**
 * The stress run's options, results and the messages between the supervisor (main thread), the
 * worker threads and, in shared mode, the device-owner thread. Everything that crosses a thread
 * boundary here is structured-cloneable (typed arrays, plain objects, SharedArrayBuffers).
 */
import type { MessagePort } from 'node:worker_threads';
import type { CounterHandle } from '../reference/eventCounter.ts';
import type { Accuracy, OpCase } from '../ops/types.ts';
import type { Profile, Tensor } from '../reference/tensor.ts';
import type { AdapterReport, BackendName } from '../gpu/types.ts';
import type { Fault } from './fault.ts';
import type { BlockShape } from './blockCase.ts';
import type { ElementReport } from './deps.ts';

export const STRESS_MODES = ['separate', 'shared'] as const;
/** separate: each worker opens its own device. shared: one device-owner thread serves every worker's submissions on one device and queue. */
export type StressMode = (typeof STRESS_MODES)[number];

/**
 * gpu: the block runs on a WebGPU device. fake: a test double that stands in for the GPU with the
 * reference itself (every orchestration path, no device); never used by the CLI.
 */
export type StressEngine = 'gpu' | 'fake';

export interface StressOptions {
  readonly threads: number;
  /** Total ops over all threads (split as evenly as possible, lower threads take the remainder). */
  readonly ops: number;
  readonly mode: StressMode;
  readonly shape: BlockShape;
  /** Seed of every op's inputs: op k of thread t is a pure function of (seed, t, k). */
  readonly seed: number;
  /** A worker that makes no progress on one op for this long is reported as hung and terminated. */
  readonly timeoutMs: number;
  readonly backend?: BackendName;
  readonly adapter?: string;
  /** Arithmetic profile of the reference; default from the GPU probe (fake engine: 'strict'). */
  readonly profile?: Profile;
  /** Accuracy model of the GPU for the bound verdict; default from the probe. */
  readonly accuracy?: Accuracy;
  readonly engine: StressEngine;
  /** Where failure fixtures go (default ./fixtures). */
  readonly fixtureDir: string;
  /** Test-only fault injection (REFSIM_STRESS_FAULT). */
  readonly faults: readonly Fault[];
  /** Ops per GPU submission (one runBatch; each op keeps its own inputs, id and verdict). */
  readonly batch: number;
  /**
   * null: every op gets fresh inputs (and a fresh reference). K: each thread cycles through K input
   * sets whose references are computed once, so the check costs a bit comparison per op and the
   * GPU alone sets the rate (same verdict rules; less input variety).
   */
  readonly distinct: number | null;
  /** Batches each worker keeps in flight (GPU work of the next overlaps verification of the last). */
  readonly depth: number;
}

/** What every worker gets in workerData. */
export interface WorkerConfig {
  readonly thread: number;
  /** Index of this thread's first op in the run's numbering and the number of ops it runs. */
  readonly ops: number;
  readonly seed: number;
  readonly shape: BlockShape;
  readonly mode: StressMode;
  readonly engine: StressEngine;
  readonly backend?: BackendName;
  readonly adapter?: string;
  /** The fake engine's arithmetic (known before start; a GPU's comes from the probe, with 'go'). */
  readonly fakeProfile: Profile;
  readonly counter: CounterHandle;
  /** The progress board (see board.ts), shared by all threads. */
  readonly board: SharedArrayBuffer;
  readonly threads: number;
  readonly opsPerThreadMax: number;
  readonly faults: readonly Fault[];
  readonly batch: number;
  readonly distinct: number | null;
  readonly depth: number;
  /** Shared mode: the port to the device owner. */
  readonly ownerPort?: MessagePort;
}

export interface OwnerConfig {
  readonly engine: StressEngine;
  /** For the warm-up submission (pipelines compiled before the common start). */
  readonly shape: BlockShape;
  readonly seed: number;
  readonly batch: number;
  readonly backend?: BackendName;
  readonly adapter?: string;
  readonly fakeProfile: Profile;
  /** One port per worker thread, by thread index. */
  readonly ports: readonly MessagePort[];
}

/** Per-op verdict counts, in the differential checker's classes. */
export interface VerdictCounts {
  exact: number;
  withinBound: number;
  violation: number;
}


export type FailureKind = 'wrong' | 'crash' | 'hang' | 'device-lost' | 'startup';

export interface StressFailure {
  readonly thread: number;
  /** Index of the op within its thread (0-based); null when the thread failed before its first op. */
  readonly op: number | null;
  readonly id: string | null;
  readonly kind: FailureKind;
  readonly message: string;
  /** The saved fixture (inputs of the op, and the GPU output for a wrong result). */
  fixture: string | null;
  readonly elements?: readonly ElementReport[];
  /** Shape of the op's output (to print element coordinates). */
  readonly outputShape?: readonly number[];
}

export interface ThreadReport {
  readonly thread: number;
  readonly planned: number;
  /** Ops that ran to a verdict. */
  completed: number;
  /** Of those, ops whose every element was exact or within its bound. */
  passed: number;
  errors: number;
  verdicts: VerdictCounts;
  /** Seconds from the common start to this thread's last op. */
  seconds: number;
  state: 'done' | 'crashed' | 'hung' | 'device-lost' | 'startup-failed';
}

export interface IdCheck {
  readonly taken: number;
  readonly unique: number;
  /** Samples of ids taken more than once. */
  readonly duplicates: readonly string[];
  /** Ids in 1..taken that nobody got. */
  readonly missing: number;
  /** Ids outside 1..taken. */
  readonly unexpected: number;
  /** Occurrences of the invalid-event sentinel 0. */
  readonly zero: number;
  /** Places where a thread's ids did not increase. */
  readonly orderViolations: number;
  readonly min: string | null;
  readonly max: string | null;
  readonly ok: boolean;
}

export interface StressReport {
  readonly label: string;
  readonly mode: StressMode;
  readonly engine: StressEngine;
  readonly threads: number;
  readonly ops: number;
  readonly shape: BlockShape;
  readonly seed: number;
  readonly batch: number;
  readonly distinct: number | null;
  readonly depth: number;
  readonly profile: Profile;
  readonly accuracy: Accuracy;
  /** Where profile and accuracy came from (GPU probe, WGSL specification limits, ...). */
  readonly accuracySource: string;
  readonly adapter: AdapterReport | null;
  readonly passed: number;
  readonly completed: number;
  readonly errors: number;
  /** Seconds from the common start signal to the last worker's end. */
  readonly seconds: number;
  /** Seconds spent starting threads and devices before the common start. */
  readonly startupSeconds: number;
  readonly perThread: readonly ThreadReport[];
  readonly failures: readonly StressFailure[];
  readonly ids: IdCheck;
  readonly ok: boolean;
}

// ---- messages -------------------------------------------------------------------------------

export type WorkerToMain =
  | { readonly type: 'ready'; readonly adapter: AdapterReport | null }
  | { readonly type: 'startup-failed'; readonly message: string; readonly code: string | null }
  | {
      readonly type: 'wrong';
      readonly op: number;
      readonly id: string;
      readonly c: OpCase;
      readonly got: Float32Array;
      readonly outputShape: readonly number[];
      readonly elements: readonly ElementReport[];
      readonly violations: number;
    }
  | { readonly type: 'device-lost'; readonly op: number; readonly id: string | null; readonly message: string }
  | { readonly type: 'done'; readonly seconds: number };

/** The common start, with the profile and accuracy every op is judged by. */
export type MainToWorker = { readonly type: 'go'; readonly t0: number; readonly profile: Profile; readonly accuracy: Accuracy };

export type OwnerToMain =
  | { readonly type: 'ready'; readonly adapter: AdapterReport | null }
  | { readonly type: 'startup-failed'; readonly message: string; readonly code: string | null }
  | { readonly type: 'device-lost'; readonly message: string };

export type WorkerToOwner =
  | { readonly type: 'run'; readonly rid: number; readonly cases: readonly OpCase[] }
  /** Test-only: the owner destroys its device (REFSIM_STRESS_FAULT=lost in shared mode). */
  | { readonly type: 'lose-device'; readonly rid: number };

export type OwnerToWorker =
  | { readonly type: 'result'; readonly rid: number; readonly outputs: Tensor[] }
  | { readonly type: 'error'; readonly rid: number; readonly lost: boolean; readonly message: string };
