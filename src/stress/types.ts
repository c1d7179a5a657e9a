/**
 * The stress run's options, results and the messages between the supervisor (main thread), the
 * worker threads and, in shared mode, the device-owner thread. Everything that crosses a thread
 * boundary here is structured-cloneable (typed arrays, plain objects, SharedArrayBuffers).
 */
import type { MessagePort } from 'node:worker_threads';
import type { CounterHandle } from '../mps/events/counter.ts';
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

export const ISOLATIONS = ['process', 'thread'] as const;
/**
 * Where a device lives. process: in a child process of its own (src/gpu/isolate.ts), so a native
 * crash of Dawn or the driver ends that process only and is reported as a finding. thread: in the
 * worker (or owner) thread itself, as before isolation existed; a native crash ends the whole run.
 */
export type Isolation = (typeof ISOLATIONS)[number];

export const ON_CRASH = ['continue', 'stop'] as const;
/**
 * After a native crash of a device's process. continue: a fresh process with a new device replaces
 * it and the threads that used it go on with their next ops. stop: those threads end (in shared
 * mode that is every thread); the others finish their ops.
 */
export type OnCrash = (typeof ON_CRASH)[number];

/** Most runs of one soak (--repeat). */
export const MAX_REPEAT = 100_000;

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
  /** Default 'process' (the GPU engine only; the fake engine always runs in its thread). */
  readonly isolation?: Isolation;
  /** Default 'continue'. */
  readonly onCrash?: OnCrash;
  /** Where a given profile and accuracy came from (a soak probes once for all its runs). */
  readonly accuracySource?: string;
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
  readonly isolation: Isolation;
  readonly onCrash: OnCrash;
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
  readonly isolation: Isolation;
  readonly onCrash: OnCrash;
  /** One port per worker thread, by thread index. */
  readonly ports: readonly MessagePort[];
}

/** Per-op verdict counts, in the differential checker's classes. */
export interface VerdictCounts {
  exact: number;
  withinBound: number;
  violation: number;
}


export type FailureKind = 'wrong' | 'crash' | 'native-crash' | 'hang' | 'device-lost' | 'startup';

/** An op whose GPU work was in flight when its device's process died. */
export interface InFlightOp {
  readonly thread: number;
  readonly op: number;
  readonly id: string;
  /** The thread's submission (runBatch call) the op was part of, 0-based. */
  readonly submission: number;
  /** The op's inputs, saved in the checker's fixture format. */
  fixture: string | null;
}

/** A device's process ended by a signal or an exit code while the run used it: a finding. */
export interface NativeCrash {
  /**
   * device: the child process holding one device (--isolation process). run: the process of a
   * whole soak run with its devices in its threads (--isolation thread); its ops in flight are
   * those of its last progress report.
   */
  readonly process: 'device' | 'run';
  /** The thread whose own device it was; null: the shared device, or (process 'run') all of them. */
  readonly thread: number | null;
  /** Which process of that device: 1 the first, 2 the one started after a crash, ... */
  readonly generation: number;
  readonly signal: string | null;
  readonly exitCode: number | null;
  readonly seed: number;
  /** The last lines the process wrote to stderr. */
  readonly stderrTail: string;
  readonly inFlight: InFlightOp[];
  /** The last event id each thread had taken when the crash was reported (null: none yet). */
  readonly lastIds: readonly (string | null)[];
  /** continue: a fresh process took over; stop: the threads that used the device ended; run-ended: the run's own process died. */
  outcome: 'restarted' | 'stopped' | 'restart-failed' | 'run-ended';
}
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
  /** kind 'native-crash': the crash, with every op in flight and its fixture. */
  readonly crash?: NativeCrash;
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
  state: 'done' | 'crashed' | 'native-crash' | 'hung' | 'device-lost' | 'startup-failed';
  /** Fresh device processes this thread's device needed after native crashes (--on-crash continue). */
  restarts: number;
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

/** The progress of a run as a soak's parent sees it (--isolation thread runs in a child process). */
export interface ProgressSnapshot {
  readonly adapter: AdapterReport | null;
  /** Seconds since the common start (0 before it). */
  readonly seconds: number;
  readonly threads: readonly {
    readonly started: number;
    readonly finished: number;
    readonly passed: number;
    /** The id of the thread's latest op (null before its first). */
    readonly lastId: string | null;
    /** Ops started and not yet verified, with their ids. */
    readonly inFlight: readonly { readonly op: number; readonly id: string }[];
  }[];
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
  readonly isolation: Isolation;
  readonly onCrash: OnCrash;
  readonly profile: Profile;
  readonly accuracy: Accuracy;
  /** Where profile and accuracy came from (GPU probe, WGSL specification limits, ...). */
  readonly accuracySource: string;
  readonly adapter: AdapterReport | null;
  readonly passed: number;
  readonly completed: number;
  readonly errors: number;
  /**
   * Seconds from the common start signal until the last thread had verified its last op (until
   * the last thread ended where one crashed or hung).
   */
  readonly seconds: number;
  /** Seconds spent starting threads and devices before the common start. */
  readonly startupSeconds: number;
  /** Seconds after `seconds` until every thread, device and device process had ended (not counted). */
  readonly teardownSeconds: number;
  readonly perThread: readonly ThreadReport[];
  readonly failures: readonly StressFailure[];
  readonly ids: IdCheck;
  readonly ok: boolean;
  /** One line on the native crashes ("1 native crash in thread 2 (SIGSEGV) during op 57"); null when none. */
  readonly crashSummary: string | null;
}

// ---- messages -------------------------------------------------------------------------------

/** What a thread that saw its device's process die reports (its ops in flight at that moment). */
export interface CrashNotice {
  readonly generation: number;
  readonly signal: string | null;
  readonly exitCode: number | null;
  readonly stderrTail: string;
}

export type WorkerToMain =
  | { readonly type: 'ready'; readonly adapter: AdapterReport | null; readonly pid: number | null }
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
      /** Why the verdict fails (src/stress/verify.ts failureMessage). */
      readonly message: string;
    }
  | { readonly type: 'device-lost'; readonly op: number; readonly id: string | null; readonly message: string }
  | {
      readonly type: 'native-crash';
      readonly crash: CrashNotice;
      readonly inFlight: readonly { readonly op: number; readonly id: string; readonly submission: number }[];
      /** The thread ends here (--on-crash stop, or shared mode whose owner stops). */
      readonly stopping: boolean;
    }
  /** Separate mode, --on-crash continue: a fresh device process is starting (no op progress meanwhile). */
  | { readonly type: 'restarting' }
  | { readonly type: 'restarted'; readonly pid: number | null }
  | { readonly type: 'restart-failed'; readonly message: string }
  | { readonly type: 'done'; readonly seconds: number };

/** The common start, with the profile and accuracy every op is judged by. */
export type MainToWorker = { readonly type: 'go'; readonly t0: number; readonly profile: Profile; readonly accuracy: Accuracy };

export type OwnerToMain =
  | { readonly type: 'ready'; readonly adapter: AdapterReport | null }
  | { readonly type: 'startup-failed'; readonly message: string; readonly code: string | null }
  | { readonly type: 'device-lost'; readonly message: string }
  | { readonly type: 'native-crash'; readonly crash: CrashNotice; readonly stopping: boolean }
  | { readonly type: 'restarting' }
  | { readonly type: 'restarted' }
  | { readonly type: 'restart-failed'; readonly message: string };

export type WorkerToOwner =
  /** segv: test-only, the shared device's process dies of SIGSEGV under this batch (REFSIM_STRESS_FAULT=segv). */
  | { readonly type: 'run'; readonly rid: number; readonly cases: readonly OpCase[]; readonly segv: boolean }
  /** Test-only: the owner destroys its device (REFSIM_STRESS_FAULT=lost in shared mode). */
  | { readonly type: 'lose-device'; readonly rid: number };

export type OwnerToWorker =
  | { readonly type: 'result'; readonly rid: number; readonly outputs: Tensor[] }
  | { readonly type: 'error'; readonly rid: number; readonly lost: boolean; readonly message: string; readonly crash?: CrashNotice; readonly stopping?: boolean };
