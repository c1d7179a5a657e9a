/** Double-double accumulation (TwoSum): sums exact to ~2⁻¹⁰⁰ relative to Σ|terms|, for the exact evaluators. */

/** Double-double accumulator: hi + lo. */
export class DD {
  hi = 0;
  lo = 0;
  add(x: number): void {
    const s = this.hi + x;
    const bb = s - this.hi;
    const err = this.hi - (s - bb) + (x - bb);
    this.hi = s;
    this.lo += err;
  }
  value(): number {
    return this.hi + this.lo;
  }
}
