;; Shared scalar helpers.
;;
;; $fma32: the exactly rounded float32 a·b + c, the algorithm of fma32f in
;; src/reference/float32.ts in f64 arithmetic: the f64 product of two float32 values is exact, so
;; only s = RN64(p + c) and RN32(s) round; they differ from one rounding only when s is exactly a
;; float32 rounding boundary (midpoint or the overflow threshold), and then the TwoSum error of
;; p + c picks the side. The vector kernels redo any flagged step with this function.
(func $fma32 (export "fma32") (param $a f32) (param $b f32) (param $c f32) (result f32)
  (local $p f64) (local $c64 f64) (local $s f64) (local $r f32) (local $r64 f64) (local $t f64)
  (local $pv f64) (local $cv f64) (local $e f64)
  (local.set $p (f64.mul (f64.promote_f32 (local.get $a)) (f64.promote_f32 (local.get $b))))
  (local.set $c64 (f64.promote_f32 (local.get $c)))
  (local.set $s (f64.add (local.get $p) (local.get $c64)))
  (local.set $r (f32.demote_f64 (local.get $s)))
  (local.set $r64 (f64.promote_f32 (local.get $r)))
  ;; exact (also ±Inf, ±0)
  (if (f64.eq (local.get $r64) (local.get $s)) (then (return (local.get $r))))
  ;; s is a boundary iff t = 2s − r is a float32; NaN fails here and returns NaN
  (local.set $t (f64.add (local.get $s) (f64.sub (local.get $s) (local.get $r64))))
  (if (f64.ne (f64.promote_f32 (f32.demote_f64 (local.get $t))) (local.get $t)) (then (return (local.get $r))))
  ;; TwoSum: e = (p + c) − s exactly
  (local.set $pv (f64.sub (local.get $s) (local.get $c64)))
  (local.set $cv (f64.sub (local.get $s) (local.get $pv)))
  (local.set $e (f64.add (f64.sub (local.get $p) (local.get $pv)) (f64.sub (local.get $c64) (local.get $cv))))
  (if (f64.eq (f64.abs (local.get $r64)) (f64.const inf))
    (then
      ;; s rounds past FLT_MAX: only the exact threshold 2^128 − 2^103 can be pulled back
      (if (i32.or
            (i32.or (f64.ne (f64.abs (local.get $s)) (f64.const 0x1.ffffffp+127)) (f64.eq (local.get $e) (f64.const 0)))
            (i32.eq (f64.gt (local.get $e) (f64.const 0)) (f64.gt (local.get $s) (f64.const 0))))
        (then (return (local.get $r))))
      (return (select (f32.const 0x1.fffffep+127) (f32.const -0x1.fffffep+127) (f64.gt (local.get $s) (f64.const 0))))))
  ;; a true tie: RN32 already rounded to even
  (if (f64.eq (local.get $e) (f64.const 0)) (then (return (local.get $r))))
  (select (f32.demote_f64 (local.get $t)) (local.get $r)
    (i32.eq (f64.gt (local.get $e) (f64.const 0)) (f64.gt (local.get $t) (local.get $r64)))))

;; Smallest exponent of a possibly set bit over the nonzero finite elements of v[0..n):
;; max(E, 1) − 150 for biased exponent E (subnormals −149); 255 when there is none. The fma
;; kernels' midpoint flag is complete when every product a·b is a multiple of 2^−149, i.e. when
;; the operands' minima add up to at least −149 (the drivers check that before choosing them).
(func $minLowBit (export "minLowBit") (param $v i32) (param $n i32) (result i32)
  (local $end i32) (local $m v128) (local $e v128) (local $bits v128) (local $min i32) (local $x i32)
  (local.set $m (i32x4.splat (i32.const 255)))
  (local.set $end (i32.add (local.get $v) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
  (block $vdone (loop $vec
    (br_if $vdone (i32.ge_u (local.get $v) (local.get $end)))
    (local.set $bits (v128.and (v128.load (local.get $v)) (i32x4.splat (i32.const 0x7fffffff))))
    ;; biased exponent, at least 1; zeros and non-finite values read as 255
    (local.set $e (i32x4.max_u (i32x4.shr_u (local.get $bits) (i32.const 23)) (i32x4.splat (i32.const 1))))
    (local.set $e (v128.bitselect (i32x4.splat (i32.const 255)) (local.get $e) (i32x4.eq (local.get $bits) (v128.const i32x4 0 0 0 0))))
    (local.set $m (i32x4.min_u (local.get $m) (local.get $e)))
    (local.set $v (i32.add (local.get $v) (i32.const 16)))
    (br $vec)))
  (local.set $min (i32.const 255))
  (local.set $min (select (local.get $min) (i32x4.extract_lane 0 (local.get $m)) (i32.lt_u (local.get $min) (i32x4.extract_lane 0 (local.get $m)))))
  (local.set $min (select (local.get $min) (i32x4.extract_lane 1 (local.get $m)) (i32.lt_u (local.get $min) (i32x4.extract_lane 1 (local.get $m)))))
  (local.set $min (select (local.get $min) (i32x4.extract_lane 2 (local.get $m)) (i32.lt_u (local.get $min) (i32x4.extract_lane 2 (local.get $m)))))
  (local.set $min (select (local.get $min) (i32x4.extract_lane 3 (local.get $m)) (i32.lt_u (local.get $min) (i32x4.extract_lane 3 (local.get $m)))))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
  (block $sdone (loop $scalar
    (br_if $sdone (i32.ge_u (local.get $v) (local.get $end)))
    (local.set $x (i32.and (i32.load (local.get $v)) (i32.const 0x7fffffff)))
    (if (i32.ne (local.get $x) (i32.const 0))
      (then
        (local.set $x (i32.shr_u (local.get $x) (i32.const 23)))
        (local.set $x (select (local.get $x) (i32.const 1) (local.get $x)))
        (if (i32.lt_u (local.get $x) (local.get $min)) (then (local.set $min (local.get $x))))))
    (local.set $v (i32.add (local.get $v) (i32.const 4)))
    (br $scalar)))
  (if (result i32) (i32.eq (local.get $min) (i32.const 255))
    (then (i32.const 255))
    (else (i32.sub (local.get $min) (i32.const 150)))))

;; f32 v[0..n) → f64 dst[0..n) (exact).
(func (export "promoteF32") (param $v i32) (param $dst i32) (param $n i32)
  (local $end i32) (local $q v128)
  (local.set $end (i32.add (local.get $v) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
  (block $vdone (loop $vec
    (br_if $vdone (i32.ge_u (local.get $v) (local.get $end)))
    (local.set $q (v128.load (local.get $v)))
    (v128.store (local.get $dst) (f64x2.promote_low_f32x4 (local.get $q)))
    (v128.store offset=16 (local.get $dst) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $q) (local.get $q))))
    (local.set $v (i32.add (local.get $v) (i32.const 16)))
    (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
    (br $vec)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
  (block $sdone (loop $scalar
    (br_if $sdone (i32.ge_u (local.get $v) (local.get $end)))
    (f64.store (local.get $dst) (f64.promote_f32 (f32.load (local.get $v))))
    (local.set $v (i32.add (local.get $v) (i32.const 4)))
    (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
    (br $scalar))))

;; The float32 values of two f64x2 lanes pairs (each already a float32 value or about to be
;; rounded to one): [RN32(lo0), RN32(lo1), RN32(hi0), RN32(hi1)].
(func $demote4 (param $lo v128) (param $hi v128) (result v128)
  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
    (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi))))

;; Stores lanes [0, m) of v at p (m ≤ 4).
(func $storeLanes (param $p i32) (param $v v128) (param $m i32)
  (if (i32.ge_u (local.get $m) (i32.const 4)) (then (v128.store (local.get $p) (local.get $v)) (return)))
  (if (i32.eqz (local.get $m)) (then (return)))
  (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $v)))
  (if (i32.lt_u (local.get $m) (i32.const 2)) (then (return)))
  (f32.store offset=4 (local.get $p) (f32x4.extract_lane 1 (local.get $v)))
  (if (i32.lt_u (local.get $m) (i32.const 3)) (then (return)))
  (f32.store offset=8 (local.get $p) (f32x4.extract_lane 2 (local.get $v))))

;; v ⊕ bias[i] in every lane when $b ≠ 0, else v.
(func $addBias (param $v v128) (param $b i32) (param $i i32) (result v128)
  (if (result v128) (local.get $b)
    (then (f32x4.add (local.get $v) (v128.load32_splat (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2))))))
    (else (local.get $v))))
