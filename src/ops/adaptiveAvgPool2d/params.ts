/**
 * adaptiveAvgPool2d's params: outputSize, as PyTorch takes it: a number (a square output), or a
 * pair [h, w] whose entries are numbers or null ("keep that input size"). Absent, it reads as NaN,
 * which the op rejects naming outputSize.
 */
import { z } from 'zod';
import { anyNumber, opParams } from '../shared/params.ts';

const FORMS = 'a number, or a pair [h, w] of numbers or null (null keeps that input size)';
const sizeOrNull = z.union([anyNumber(FORMS), z.null()], { error: FORMS });

export const adaptiveAvgPool2dParams = opParams('adaptiveAvgPool2d', {
  outputSize: z
    .union([anyNumber(FORMS), z.tuple([sizeOrNull, sizeOrNull])], { error: FORMS })
    .nullish()
    .transform((v) => v ?? NaN),
});
export type AdaptiveAvgPool2dParams = ReturnType<typeof adaptiveAvgPool2dParams.read>;

/** outputSize as PyTorch takes it. */
export type OutputSize = number | [number | null, number | null];
