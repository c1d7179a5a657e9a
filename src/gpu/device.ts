/**
 * Opening a WebGPU device through Dawn's Node binding (npm `webgpu`) and owning its lifetime.
 *
 * Lifetime rule (DEVELOPERS.md, Dawn facts): the object returned by `create()` must stay strongly
 * referenced while any device made from it lives, or the process dies when it is collected. The
 * instances therefore live in a module-level map for the life of the process (one per backend and
 * adapter filter, reused by later opens), and live contexts are tracked so `destroyAllGpus()` can
 * release everything. Nothing here holds the event loop open: once devices are destroyed Node exits.
 */
import { create, globals } from 'webgpu';
import { InputRangeError } from '../errors.ts';
import { GpuDeviceLostError, GpuValidationError, NoAdapterError, type GpuWhere } from './errors.ts';
import { adapterLimits } from './limits.ts';
import { type AdapterReport, BACKENDS, type BackendName, type GpuContext, type OpenGpuOptions } from './types.ts';

// GPUBufferUsage, GPUMapMode, ... are globals in browsers; Dawn's binding provides them here.
if (typeof (globalThis as { GPUBufferUsage?: unknown }).GPUBufferUsage === 'undefined') Object.assign(globalThis, globals);

/** A context with what the runtime needs beyond the shared interface. */
export interface RefsimGpu extends GpuContext {
  readonly hasTimestamps: boolean;
  /** Resolves (never rejects) when the device is lost for any reason other than destroy(). */
  readonly lost: Promise<GpuDeviceLostInfo>;
  /** The first uncaptured error since the last check, if any. */
  takeUncapturedError(): GPUError | null;
  readonly destroyed: boolean;
}

export interface GpuDeviceLostInfo {
  readonly reason: string;
  readonly message: string;
}

const instances = new Map<string, GPU>();
const live = new Set<RefsimGpu>();

/** Number of contexts opened and not yet destroyed (for tests and diagnostics). */
export const liveGpuCount = (): number => live.size;

export function resolveBackend(requested?: string): BackendName | undefined {
  const raw = requested ?? process.env['REFSIM_BACKEND'];
  if (raw === undefined || raw === '' || raw === 'default') return undefined;
  if (!(BACKENDS as readonly string[]).includes(raw)) {
    throw new InputRangeError(requested !== undefined ? 'backend' : 'REFSIM_BACKEND', `one of ${BACKENDS.join(', ')}`, raw);
  }
  return raw as BackendName;
}

function defaultBackendGuess(description: string): string {
  if (/opengl/i.test(description)) return 'opengles';
  if (process.platform === 'darwin') return 'metal';
  if (process.platform === 'win32') return 'd3d12';
  return 'vulkan';
}

function instanceFor(backend: BackendName | undefined, filter: string | null): GPU {
  const key = `${backend ?? 'default'}|${filter ?? ''}`;
  let gpu = instances.get(key);
  if (gpu === undefined) {
    if (backend === 'opengles' && process.platform === 'linux') process.env['EGL_PLATFORM'] ??= 'surfaceless';
    // Dawn picks among several adapters by its `adapter=` flag (a name substring).
    const flags = [...(backend === undefined ? [] : [`backend=${backend}`]), ...(filter === null ? [] : [`adapter=${filter}`])];
    gpu = create(flags);
    instances.set(key, gpu);
  }
  return gpu;
}

/** Requested at the adapter's own maxima, so big problems run in as few pieces as the hardware allows. */
const LIMITS_TO_RAISE = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
] as const;

/**
 * Opens a device: backend from `opts.backend`, else REFSIM_BACKEND, else Dawn's platform default;
 * adapter by name substring from `opts.adapter`, else REFSIM_ADAPTER, else Dawn's first choice.
 * Throws NoAdapterError when none is found.
 */
export async function openGpu(opts: OpenGpuOptions = {}): Promise<RefsimGpu> {
  const backend = resolveBackend(opts.backend);
  const filter = opts.adapter ?? process.env['REFSIM_ADAPTER'] ?? null;
  const featureLevel = backend === 'opengles' ? 'compatibility' : 'core';
  let adapter: GPUAdapter | null;
  try {
    adapter = await instanceFor(backend, filter).requestAdapter({ featureLevel, powerPreference: 'high-performance' });
  } catch (e) {
    throw new NoAdapterError(backend ?? 'default', filter, e instanceof Error ? e.message.split('\n').join('; ') : String(e));
  }
  if (adapter === null) {
    throw new NoAdapterError(backend ?? 'default', filter, 'Dawn found none (install a Vulkan, Metal or D3D12 driver, e.g. Mesa lavapipe: mesa-vulkan-drivers; see docs/backends.md)');
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of LIMITS_TO_RAISE) requiredLimits[name] = adapter.limits[name];
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  const info = adapter.info;
  const report: AdapterReport = {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    backend: backend ?? defaultBackendGuess(info.description),
    featureLevel: adapter.features.has('core-features-and-limits') ? 'core' : 'compatibility',
    limits: adapterLimits(device.limits),
  };

  let destroyed = false;
  let uncaptured: GPUError | null = null;
  device.onuncapturederror = (ev: GPUUncapturedErrorEvent) => {
    uncaptured ??= ev.error;
  };
  const lost = new Promise<GpuDeviceLostInfo>((resolve) => {
    void device.lost.then((l) => {
      if (!destroyed) resolve({ reason: l.reason, message: l.message });
    });
  });
  const ctx: RefsimGpu = {
    device,
    adapter: report,
    hasTimestamps: requiredFeatures.includes('timestamp-query'),
    lost,
    takeUncapturedError() {
      const e = uncaptured;
      uncaptured = null;
      return e;
    },
    get destroyed() {
      return destroyed;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      live.delete(ctx);
      device.destroy();
    },
  };
  live.add(ctx);
  return ctx;
}

/** Destroys every live context (e.g. at the end of a CLI command or a worker). */
export function destroyAllGpus(): void {
  for (const ctx of [...live]) ctx.destroy();
}

/** Fails fast with the recorded uncaptured error or device loss, for `where`. */
export function checkHealth(ctx: GpuContext, where: GpuWhere): void {
  const r = ctx as Partial<RefsimGpu>;
  const e = r.takeUncapturedError?.() ?? null;
  if (e !== null) throw new GpuValidationError(where, 'validation', e.message);
  if (r.destroyed === true) throw new GpuDeviceLostError(where, 'destroyed', 'the context was destroyed');
}

/** One line describing the adapter, for reports. */
export function describeAdapter(a: AdapterReport): string {
  return `${a.description || a.device || 'unknown adapter'} (vendor ${a.vendor || '?'}, ${a.architecture || '?'}; backend ${a.backend}, ${a.featureLevel})`;
}
