export * from './types.ts';
export { exploreBfs, type BfsResult, type ExploreLimits } from './bfs.ts';
export { exploreDfs, type DfsMethod, type DfsResult } from './dfs.ts';
export { sampleSchedules, runChoices, type SampleOptions, type SampleResult } from './sample.ts';
export { replay, brokenInvariants, type Trace, type TraceStep } from './trace.ts';
export { toyModel, TOY_MODELS, type ToyModelName } from './toy.ts';
export { eventPoolModel, POOL_PATHS, POOL_VARIANTS, type PoolPath, type PoolVariant, type PoolModelOptions, type PoolState } from './eventPool.ts';
