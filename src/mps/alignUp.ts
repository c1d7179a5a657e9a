/**
 * `BufferBlock::alignUp(size_t Size, size_t Alignment)` from PyTorch's MPS allocator
 * (aten/src/ATen/mps/MPSAllocator.h), simulated on an unsigned `size_t` of 64 or 32 bits.
 *
 * Three source variants are modelled (facts: ../shared/research/pytorch-mps.md):
 * - `seed`: the hardened code the seed report reviewed:
 *     TORCH_INTERNAL_ASSERT(((Alignment - 1) & Alignment) == 0);
 *     TORCH_CHECK(Size <= SIZE_MAX - Alignment + 1);
 *     return ((Size + Alignment - 1) & ~(Alignment - 1));
 * - `upstream`: pytorch/pytorch at commit 01f98b3ed0f0 in a release build: the power-of-two
 *   check is a C `assert`, compiled out under NDEBUG, and there is no overflow check.
 * - `upstream-debug`: the same source with the `assert` active, still no overflow check.
 *
 * Every subtraction and addition wraps modulo 2^bits, left to right, exactly as the C++
 * expressions do. The code deliberately does not "fix" anything; the tests state what follows.
 */
import { RefsimError } from '../errors.ts';
import { add, and, assertBits, assertUint, not, sub, UINT_MAX, type UintBits } from './uint.ts';

export const ALIGN_VARIANTS = ['seed', 'upstream', 'upstream-debug'] as const;
export type AlignVariant = (typeof ALIGN_VARIANTS)[number];

/** The power-of-two check failed (TORCH_INTERNAL_ASSERT in `seed`, `assert` in `upstream-debug`). */
export class AlignmentAssertError extends RefsimError {
  constructor(
    readonly size: bigint,
    readonly alignment: bigint,
    readonly bits: UintBits,
    /** ((Alignment - 1) & Alignment), the value the assert compared with 0. */
    readonly checked: bigint,
  ) {
    super(
      'E_ALIGN_ASSERT',
      `alignment assert failed: ((Alignment - 1) & Alignment) == ${checked}, not 0, for Alignment=${alignment} (size_t of ${bits} bits)`,
    );
  }
}

/** The overflow check `Size <= SIZE_MAX - Alignment + 1` failed (seed variant only). */
export class AlignmentOverflowError extends RefsimError {
  constructor(
    readonly size: bigint,
    readonly alignment: bigint,
    readonly bits: UintBits,
    /** SIZE_MAX - Alignment + 1 as the wrapped size_t the comparison used. */
    readonly limit: bigint,
  ) {
    super(
      'E_ALIGN_OVERFLOW',
      `alignment overflow check failed: Size=${size} > SIZE_MAX - Alignment + 1 = ${limit} for Alignment=${alignment} (size_t of ${bits} bits)`,
    );
  }
}

export interface AlignUpTrace {
  readonly variant: AlignVariant;
  readonly bits: UintBits;
  readonly size: bigint;
  readonly alignment: bigint;
  /** ((Alignment - 1) & Alignment): the power-of-two test's operand. */
  readonly assertOperand: bigint;
  /** Whether the variant evaluates the assert at all. */
  readonly assertActive: boolean;
  /** SIZE_MAX - Alignment + 1, wrapped; null where the variant has no overflow check. */
  readonly overflowLimit: bigint | null;
  /** Size + Alignment - 1, wrapped. */
  readonly sum: bigint;
  /** ~(Alignment - 1), wrapped. */
  readonly mask: bigint;
  /** True when Size + Alignment - 1 exceeded SIZE_MAX and wrapped (the sum is then wrong). */
  readonly sumWrapped: boolean;
  /** The value returned, or the error raised. */
  readonly outcome: { readonly ok: true; readonly value: bigint } | { readonly ok: false; readonly error: AlignmentAssertError | AlignmentOverflowError };
}

/** Evaluates the variant's lines one by one and records every intermediate value. */
export function traceAlignUp(size: bigint, alignment: bigint, bits: UintBits = 64, variant: AlignVariant = 'seed'): AlignUpTrace {
  assertBits(bits);
  assertUint(size, bits, 'size');
  assertUint(alignment, bits, 'alignment');
  if (!ALIGN_VARIANTS.includes(variant)) {
    throw new RangeError(`variant must be one of ${ALIGN_VARIANTS.join(', ')}; got ${String(variant)}`);
  }
  const alignmentMinus1 = sub(bits, alignment, 1n);
  const assertOperand = and(bits, alignmentMinus1, alignment);
  const assertActive = variant !== 'upstream';
  const overflowLimit = variant === 'seed' ? add(bits, sub(bits, UINT_MAX[bits], alignment), 1n) : null;
  const sum = sub(bits, add(bits, size, alignment), 1n);
  const mask = not(bits, alignmentMinus1);
  const sumWrapped = size + alignment - 1n > UINT_MAX[bits];
  const base = { variant, bits, size, alignment, assertOperand, assertActive, overflowLimit, sum, mask, sumWrapped };
  if (assertActive && assertOperand !== 0n) {
    return { ...base, outcome: { ok: false, error: new AlignmentAssertError(size, alignment, bits, assertOperand) } };
  }
  if (overflowLimit !== null && !(size <= overflowLimit)) {
    return { ...base, outcome: { ok: false, error: new AlignmentOverflowError(size, alignment, bits, overflowLimit) } };
  }
  return { ...base, outcome: { ok: true, value: and(bits, sum, mask) } };
}

/**
 * Any variant of alignUp: returns the rounded size or throws the variant's typed error.
 * Inputs that are not bigints in [0, 2^bits - 1] throw an InputRangeError (a RangeError).
 */
export function alignUpVariant(size: bigint, alignment: bigint, bits: UintBits = 64, variant: AlignVariant = 'seed'): bigint {
  const { outcome } = traceAlignUp(size, alignment, bits, variant);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** The seed report's `BufferBlock::alignUp` on a `bits`-wide size_t (default 64). */
export function alignUp(size: bigint, alignment: bigint, bits: UintBits = 64): bigint {
  return alignUpVariant(size, alignment, bits, 'seed');
}
