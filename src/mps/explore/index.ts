export * from './types.ts';
export { DEADLOCK, type SearchResult } from './search.ts';
export { exploreBfs, exploreBfsAsync, type BfsResult } from './bfs.ts';
export { exploreDfs, exploreDfsAsync, type DfsMethod, type DfsResult } from './dfs.ts';
export { BYTES_PER_STATE, defaultMaxStates, type ExploreLimits, type ExploreProgress, PROGRESS_EVERY, type StopReason } from './limits.ts';
export { sampleSchedules, sampleSchedulesAsync, runChoices, type SampleOptions, type SampleResult } from './sample.ts';
export { replay, brokenInvariants, type Trace, type TraceStep } from './trace.ts';
export { toyModel, TOY_MODELS, type ToyModelName } from './toy.ts';
export { eventPoolModel, POOL_PATHS, POOL_VARIANTS, type PoolPath, type PoolVariant, type PoolModelOptions, type PoolState } from './eventPool.ts';
