/** Rigorous forward error bounds of the CNN ops (docs/error-bounds.md). */
export {
  type ArithModel,
  type BoundOptions,
  type BoundOrder,
  type DotConstants,
  arithModel,
  dotConstants,
  gamma,
  treeDepth,
  treeRoundings,
  ulpError,
} from './common.ts';
export * from '../../ops/relu/bounds.ts';
export * from '../../ops/depthwiseConv2d/bounds.ts';
export * from '../../ops/pointwiseConv2d/bounds.ts';
export * from '../../ops/groupNorm/bounds.ts';
export * from '../../ops/adaptiveAvgPool2d/bounds.ts';
export * from '../../ops/linear/bounds.ts';
export * from '../../ops/depthwiseSeparableBlock/bounds.ts';
