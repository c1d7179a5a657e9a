/** relu's canonical form: any rank as given (an elementwise map needs no other). */
import { checkTensor } from '../../reference/validate.ts';
import { input } from '../shared/params.ts';
import { rankOf } from '../shared/canonical.ts';
import type { CanonicalCase, OpCase } from '../types.ts';
import { reluParams } from './params.ts';

export function reluCanonical(c: OpCase): CanonicalCase {
  const x = input(c, 'x');
  reluParams.read(c);
  checkTensor(x, 'x', rankOf(x, 1));
  return { case: c, outputShape: [...x.shape] };
}
