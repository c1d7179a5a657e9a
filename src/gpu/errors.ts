/**
 * Typed GPU failures. Each names where it happened (the op and, when known, the case index within
 * the batch) so a report says which computation failed instead of only that "the GPU" did.
 */
import { RefsimError } from '../errors.ts';

/** Where a GPU failure happened: the op (or probe kernel) and the case index in its batch, if known. */
export interface GpuWhere {
  readonly op: string;
  /** Index of the case within the submitted batch; null when the failure covers the whole batch. */
  readonly caseIndex: number | null;
}

const at = (w: GpuWhere): string => `${w.op}${w.caseIndex === null ? '' : ` case ${w.caseIndex}`}`;

/** No WebGPU adapter matched the request (no driver, wrong backend, or no adapter name match). */
export class NoAdapterError extends RefsimError {
  constructor(
    readonly backend: string,
    readonly adapterFilter: string | null,
    detail: string,
  ) {
    super('E_NO_ADAPTER', `no WebGPU adapter for backend ${backend}${adapterFilter === null ? '' : ` matching "${adapterFilter}"`}: ${detail}`);
  }
}

/** The device was lost (driver reset, out of memory, or destroyed under a running job). */
export class GpuDeviceLostError extends RefsimError {
  constructor(
    readonly where: GpuWhere,
    readonly reason: string,
    detail: string,
  ) {
    super('E_GPU_DEVICE_LOST', `GPU device lost during ${at(where)} (${reason}): ${detail}`);
  }
}

/** A WebGPU validation, out-of-memory or internal error raised by commands of one op's dispatch. */
export class GpuValidationError extends RefsimError {
  constructor(
    readonly where: GpuWhere,
    readonly kind: 'validation' | 'out-of-memory' | 'internal' | 'shader',
    detail: string,
  ) {
    super('E_GPU_VALIDATION', `GPU ${kind} error in ${at(where)}: ${detail}`);
  }
}

/** A GPU wait (buffer map, queue completion) did not finish in time: reported, never a silent hang. */
export class GpuTimeoutError extends RefsimError {
  constructor(
    readonly where: GpuWhere,
    readonly waitedMs: number,
    what: string,
  ) {
    super('E_GPU_TIMEOUT', `GPU ${what} for ${at(where)} did not complete within ${waitedMs} ms`);
  }
}

/** The isolated GPU process died natively (Dawn or driver crash) while running a job. */
export class GpuCrashError extends RefsimError {
  constructor(
    readonly where: GpuWhere,
    readonly signal: string | null,
    readonly exitCode: number | null,
    readonly stderrTail: string,
  ) {
    super(
      'E_GPU_CRASH',
      `GPU worker process crashed during ${at(where)}: ${signal !== null ? `signal ${signal}` : `exit code ${exitCode}`}` +
        (stderrTail === '' ? '' : `; last stderr: ${stderrTail.trim().split('\n').slice(-3).join(' | ')}`),
    );
  }
}

/**
 * A problem the device cannot hold: a piece that cannot be split further (one reduction, one weight
 * row, one output's receptive field) needs a storage buffer above the device's limit. Raised
 * before anything is allocated; names the limit and the sizes.
 */
export class GpuLimitError extends RefsimError {
  constructor(
    readonly where: GpuWhere,
    /** The limit that binds (e.g. maxStorageBufferBindingSize) and its value in bytes. */
    readonly limit: string,
    readonly limitBytes: number,
    /** What needs more, and how many bytes it needs in one buffer. */
    readonly what: string,
    readonly neededBytes: number,
  ) {
    super(
      'E_GPU_LIMIT',
      `${at(where)}: ${what} needs ${neededBytes} bytes in one storage buffer, above the device's ${limit} of ${limitBytes} bytes, and cannot be split further`,
    );
  }
}
