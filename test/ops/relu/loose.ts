/** relu on the loose backend (test/support/perturbed.ts): the select, then the backend's flushing. */
import type { OpCase } from '../../../src/ops/types.ts';
import { type LooseBackend, looseInput } from '../../support/looseBackend.ts';

export const reluLoose = (c: OpCase, be: LooseBackend): Float32Array => looseInput(c, be, 'x')!.data.map((v) => (v < 0 ? 0 : v));
