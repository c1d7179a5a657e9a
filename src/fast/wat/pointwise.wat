;; pointwiseConv2d: y[s,co,p] = (Σ_ci x[s,ci,p] ⊗ w[co,ci]) ⊕ bias[co], each output's sum in ci
;; order (docs/evaluation-order.md). Lanes are four consecutive pixels of one output channel (x
;; and y rows are contiguous), weights are broadcast. w is padded to a multiple of 4 rows with
;; zeros by the driver (padded rows are computed and never stored), and x reads may run up to 3
;; elements past a sample's last row (the arena's slack; those lanes are never stored).
;; Samples [s0, s1), pixels [p0, p1) of each: threads split samples or pixels.

;; Strict: 4 output channels × 8 pixels per block, then 4 × 4 with a partial store.
(func (export "pointwiseStrict") (param $x i32) (param $w i32) (param $b i32) (param $y i32)
  (param $cin i32) (param $hw i32) (param $cout i32) (param $s0 i32) (param $s1 i32) (param $p0 i32) (param $p1 i32)
  (local $s i32) (local $p i32) (local $co i32) (local $m i32) (local $k i32)
  (local $xs i32) (local $ys i32) (local $px i32) (local $pw i32) (local $pend i32) (local $hw4 i32) (local $cin4 i32) (local $py i32)
  (local $xa v128) (local $xb v128) (local $q v128)
  (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
  (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
  (local.set $hw4 (i32.shl (local.get $hw) (i32.const 2)))
  (local.set $cin4 (i32.shl (local.get $cin) (i32.const 2)))
  (local.set $s (local.get $s0))
  (block $sdone (loop $samples
    (br_if $sdone (i32.ge_u (local.get $s) (local.get $s1)))
    (local.set $xs (i32.add (local.get $x) (i32.mul (i32.mul (local.get $s) (local.get $cin)) (local.get $hw4))))
    (local.set $ys (i32.add (local.get $y) (i32.mul (i32.mul (local.get $s) (local.get $cout)) (local.get $hw4))))
    (local.set $p (local.get $p0))
    (block $pdone (loop $pixels
      (br_if $pdone (i32.ge_u (local.get $p) (local.get $p1)))
      (local.set $m (i32.sub (local.get $p1) (local.get $p)))
      (local.set $co (i32.const 0))
      (loop $chans
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (local.get $a0)) (local.set $a2 (local.get $a0)) (local.set $a3 (local.get $a0))
        (local.set $b0 (local.get $a0)) (local.set $b1 (local.get $a0)) (local.set $b2 (local.get $a0)) (local.set $b3 (local.get $a0))
        (local.set $px (i32.add (local.get $xs) (i32.shl (local.get $p) (i32.const 2))))
        (local.set $pw (i32.add (local.get $w) (i32.mul (local.get $co) (local.get $cin4))))
        (local.set $pend (i32.add (local.get $pw) (local.get $cin4)))
        (if (i32.ge_u (local.get $m) (i32.const 8))
          (then
            (loop $k8
              (local.set $xa (v128.load (local.get $px)))
              (local.set $xb (v128.load offset=16 (local.get $px)))
              (local.set $q (v128.load32_splat (local.get $pw)))
              (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xa) (local.get $q))))
              (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $xb) (local.get $q))))
              (local.set $q (v128.load32_splat (i32.add (local.get $pw) (local.get $cin4))))
              (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xa) (local.get $q))))
              (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $xb) (local.get $q))))
              (local.set $q (v128.load32_splat (i32.add (local.get $pw) (i32.shl (local.get $cin4) (i32.const 1)))))
              (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xa) (local.get $q))))
              (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $xb) (local.get $q))))
              (local.set $q (v128.load32_splat (i32.add (local.get $pw) (i32.mul (local.get $cin4) (i32.const 3)))))
              (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xa) (local.get $q))))
              (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $xb) (local.get $q))))
              (local.set $px (i32.add (local.get $px) (local.get $hw4)))
              (br_if $k8 (i32.lt_u (local.tee $pw (i32.add (local.get $pw) (i32.const 4))) (local.get $pend)))))
          (else
            (loop $k4
              (local.set $xa (v128.load (local.get $px)))
              (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xa) (v128.load32_splat (local.get $pw)))))
              (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xa) (v128.load32_splat (i32.add (local.get $pw) (local.get $cin4))))))
              (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xa) (v128.load32_splat (i32.add (local.get $pw) (i32.shl (local.get $cin4) (i32.const 1)))))))
              (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xa) (v128.load32_splat (i32.add (local.get $pw) (i32.mul (local.get $cin4) (i32.const 3)))))))
              (local.set $px (i32.add (local.get $px) (local.get $hw4)))
              (br_if $k4 (i32.lt_u (local.tee $pw (i32.add (local.get $pw) (i32.const 4))) (local.get $pend))))))
        ;; store the valid channels: 8 pixels, or min(m, 4)
        (local.set $py (i32.add (local.get $ys) (i32.shl (i32.add (i32.mul (local.get $co) (local.get $hw)) (local.get $p)) (i32.const 2))))
        (local.set $k (i32.sub (local.get $cout) (local.get $co)))
        (if (i32.ge_u (local.get $m) (i32.const 8))
          (then
            (v128.store (local.get $py) (call $addBias (local.get $a0) (local.get $b) (local.get $co)))
            (v128.store offset=16 (local.get $py) (call $addBias (local.get $b0) (local.get $b) (local.get $co)))
            (if (i32.gt_u (local.get $k) (i32.const 1)) (then
              (local.set $py (i32.add (local.get $py) (local.get $hw4)))
              (v128.store (local.get $py) (call $addBias (local.get $a1) (local.get $b) (i32.add (local.get $co) (i32.const 1))))
              (v128.store offset=16 (local.get $py) (call $addBias (local.get $b1) (local.get $b) (i32.add (local.get $co) (i32.const 1))))))
            (if (i32.gt_u (local.get $k) (i32.const 2)) (then
              (local.set $py (i32.add (local.get $py) (local.get $hw4)))
              (v128.store (local.get $py) (call $addBias (local.get $a2) (local.get $b) (i32.add (local.get $co) (i32.const 2))))
              (v128.store offset=16 (local.get $py) (call $addBias (local.get $b2) (local.get $b) (i32.add (local.get $co) (i32.const 2))))))
            (if (i32.gt_u (local.get $k) (i32.const 3)) (then
              (local.set $py (i32.add (local.get $py) (local.get $hw4)))
              (v128.store (local.get $py) (call $addBias (local.get $a3) (local.get $b) (i32.add (local.get $co) (i32.const 3))))
              (v128.store offset=16 (local.get $py) (call $addBias (local.get $b3) (local.get $b) (i32.add (local.get $co) (i32.const 3)))))))
          (else
            (call $storeLanes (local.get $py) (call $addBias (local.get $a0) (local.get $b) (local.get $co)) (local.get $m))
            (if (i32.gt_u (local.get $k) (i32.const 1)) (then
              (call $storeLanes (local.tee $py (i32.add (local.get $py) (local.get $hw4))) (call $addBias (local.get $a1) (local.get $b) (i32.add (local.get $co) (i32.const 1))) (local.get $m))))
            (if (i32.gt_u (local.get $k) (i32.const 2)) (then
              (call $storeLanes (local.tee $py (i32.add (local.get $py) (local.get $hw4))) (call $addBias (local.get $a2) (local.get $b) (i32.add (local.get $co) (i32.const 2))) (local.get $m))))
            (if (i32.gt_u (local.get $k) (i32.const 3)) (then
              (call $storeLanes (i32.add (local.get $py) (local.get $hw4)) (call $addBias (local.get $a3) (local.get $b) (i32.add (local.get $co) (i32.const 3))) (local.get $m))))))
        (br_if $chans (i32.lt_u (local.tee $co (i32.add (local.get $co) (i32.const 4))) (local.get $cout))))
      (local.set $p (i32.add (local.get $p) (select (i32.const 8) (i32.const 4) (i32.ge_u (local.get $m) (i32.const 8)))))
      (br $pixels)))
    (local.set $s (i32.add (local.get $s) (i32.const 1)))
    (br $samples))))

;; ---- profile 'fma' (the scheme of linear.wat: f64 steps, midpoint flag, exact redo of
;; blocks of 64 input channels; the driver checks minLowBit first) ----

;; Exact redo of input channels [ci0, ci1) for the accumulators saved at $acc (f64 [4 channels][4
;; pixels]) of output channels co.. (< cout) and pixels p..p+m−1 of one sample at $xs.
(func $pointwiseRedo (param $acc i32) (param $xs i32) (param $w i32) (param $cin i32) (param $hw i32) (param $cout i32)
  (param $co i32) (param $p i32) (param $m i32) (param $ci0 i32) (param $ci1 i32)
  (local $k i32) (local $j i32) (local $ci i32) (local $c f32) (local $slot i32)
  (loop $chans
    (if (i32.lt_u (i32.add (local.get $co) (local.get $k)) (local.get $cout))
      (then
        (local.set $j (i32.const 0))
        (loop $pix
          (local.set $slot (i32.add (local.get $acc) (i32.shl (i32.add (i32.shl (local.get $k) (i32.const 2)) (local.get $j)) (i32.const 3))))
          (local.set $c (f32.demote_f64 (f64.load (local.get $slot))))
          (local.set $ci (local.get $ci0))
          (block $done (loop $steps
            (br_if $done (i32.ge_u (local.get $ci) (local.get $ci1)))
            (local.set $c (call $fma32
              (f32.load (i32.add (local.get $xs) (i32.shl (i32.add (i32.mul (local.get $ci) (local.get $hw)) (i32.add (local.get $p) (local.get $j))) (i32.const 2))))
              (f32.load (i32.add (local.get $w) (i32.shl (i32.add (i32.mul (i32.add (local.get $co) (local.get $k)) (local.get $cin)) (local.get $ci)) (i32.const 2))))
              (local.get $c)))
            (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
            (br $steps)))
          (f64.store (local.get $slot) (f64.promote_f32 (local.get $c)))
          (br_if $pix (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $m))))))
    (br_if $chans (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 4)))))

;; 'fma': 4 output channels × 4 pixels per block ($a* pixels 0–1, $b* pixels 2–3). $w64 is the
;; padded weight in f64, $w the padded weight in f32 (for redos), $acc 128 bytes of scratch.
(func (export "pointwiseFma") (param $x i32) (param $w64 i32) (param $w i32) (param $b i32) (param $y i32) (param $acc i32)
  (param $cin i32) (param $hw i32) (param $cout i32) (param $s0 i32) (param $s1 i32) (param $p0 i32) (param $p1 i32)
  (local $s i32) (local $p i32) (local $co i32) (local $m i32) (local $k i32) (local $ci i32) (local $ciend i32)
  (local $xs i32) (local $ys i32) (local $px i32) (local $pw i32) (local $pend i32) (local $hw4 i32) (local $cin8 i32) (local $py i32)
  (local $xq v128) (local $xl v128) (local $xh v128) (local $q v128) (local $t v128) (local $flag v128)
  (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
  (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
  (local.set $hw4 (i32.shl (local.get $hw) (i32.const 2)))
  (local.set $cin8 (i32.shl (local.get $cin) (i32.const 3)))
  (local.set $s (local.get $s0))
  (block $sdone (loop $samples
    (br_if $sdone (i32.ge_u (local.get $s) (local.get $s1)))
    (local.set $xs (i32.add (local.get $x) (i32.mul (i32.mul (local.get $s) (local.get $cin)) (local.get $hw4))))
    (local.set $ys (i32.add (local.get $y) (i32.mul (i32.mul (local.get $s) (local.get $cout)) (local.get $hw4))))
    (local.set $p (local.get $p0))
    (block $pdone (loop $pixels
      (br_if $pdone (i32.ge_u (local.get $p) (local.get $p1)))
      (local.set $m (select (i32.const 4) (i32.sub (local.get $p1) (local.get $p)) (i32.ge_u (i32.sub (local.get $p1) (local.get $p)) (i32.const 4))))
      (local.set $co (i32.const 0))
      (loop $chans
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (local.get $a0)) (local.set $a2 (local.get $a0)) (local.set $a3 (local.get $a0))
        (local.set $b0 (local.get $a0)) (local.set $b1 (local.get $a0)) (local.set $b2 (local.get $a0)) (local.set $b3 (local.get $a0))
        (local.set $ci (i32.const 0))
        (loop $ciblocks
          (local.set $ciend (select (local.get $cin) (i32.add (local.get $ci) (i32.const 64)) (i32.lt_u (local.get $cin) (i32.add (local.get $ci) (i32.const 64)))))
          (v128.store offset=0 (local.get $acc) (local.get $a0)) (v128.store offset=16 (local.get $acc) (local.get $b0))
          (v128.store offset=32 (local.get $acc) (local.get $a1)) (v128.store offset=48 (local.get $acc) (local.get $b1))
          (v128.store offset=64 (local.get $acc) (local.get $a2)) (v128.store offset=80 (local.get $acc) (local.get $b2))
          (v128.store offset=96 (local.get $acc) (local.get $a3)) (v128.store offset=112 (local.get $acc) (local.get $b3))
          (local.set $flag (v128.const i32x4 0 0 0 0))
          (local.set $px (i32.add (local.get $xs) (i32.shl (i32.add (i32.mul (local.get $ci) (local.get $hw)) (local.get $p)) (i32.const 2))))
          (local.set $pw (i32.add (local.get $w64) (i32.add (i32.mul (local.get $co) (local.get $cin8)) (i32.shl (local.get $ci) (i32.const 3)))))
          (local.set $pend (i32.add (local.get $pw) (i32.shl (i32.sub (local.get $ciend) (local.get $ci)) (i32.const 3))))
          (loop $steps
            (local.set $xq (v128.load (local.get $px)))
            (local.set $xl (f64x2.promote_low_f32x4 (local.get $xq)))
            (local.set $xh (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $xq) (local.get $xq))))
            (local.set $q (v128.load64_splat (local.get $pw)))
            (local.set $t (f64x2.add (f64x2.mul (local.get $xl) (local.get $q)) (local.get $a0)))
            (local.set $a0 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t))))
            (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
            (local.set $t (f64x2.add (f64x2.mul (local.get $xh) (local.get $q)) (local.get $b0)))
            (local.set $b0 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t))))
            (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
            (local.set $q (v128.load64_splat (i32.add (local.get $pw) (local.get $cin8))))
            (local.set $t (f64x2.add (f64x2.mul (local.get $xl) (local.get $q)) (local.get $a1)))
            (local.set $a1 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t))))
            (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
            (local.set $t (f64x2.add (f64x2.mul (local.get $xh) (local.get $q)) (local.get $b1)))
            (local.set $b1 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t))))
            (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
            (local.set $q (v128.load64_splat (i32.add (local.get $pw) (i32.shl (local.get $cin8) (i32.const 1)))))
            (local.set $t (f64x2.add (f64x2.mul (local.get $xl) (local.get $q)) (local.get $a2)))
            (local.set $a2 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t))))
            (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
            (local.set $t (f64x2.add (f64x2.mul (local.get $xh) (local.get $q)) (local.get $b2)))
            (local.set $b2 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t))))
            (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
            (local.set $q (v128.load64_splat (i32.add (local.get $pw) (i32.mul (local.get $cin8) (i32.const 3)))))
            (local.set $t (f64x2.add (f64x2.mul (local.get $xl) (local.get $q)) (local.get $a3)))
            (local.set $a3 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t))))
            (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
            (local.set $t (f64x2.add (f64x2.mul (local.get $xh) (local.get $q)) (local.get $b3)))
            (local.set $b3 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t))))
            (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
            (local.set $px (i32.add (local.get $px) (local.get $hw4)))
            (br_if $steps (i32.lt_u (local.tee $pw (i32.add (local.get $pw) (i32.const 8))) (local.get $pend))))
          (if (v128.any_true (local.get $flag))
            (then
              (call $pointwiseRedo (local.get $acc) (local.get $xs) (local.get $w) (local.get $cin) (local.get $hw) (local.get $cout)
                (local.get $co) (local.get $p) (local.get $m) (local.get $ci) (local.get $ciend))
              (local.set $a0 (v128.load offset=0 (local.get $acc))) (local.set $b0 (v128.load offset=16 (local.get $acc)))
              (local.set $a1 (v128.load offset=32 (local.get $acc))) (local.set $b1 (v128.load offset=48 (local.get $acc)))
              (local.set $a2 (v128.load offset=64 (local.get $acc))) (local.set $b2 (v128.load offset=80 (local.get $acc)))
              (local.set $a3 (v128.load offset=96 (local.get $acc))) (local.set $b3 (v128.load offset=112 (local.get $acc)))))
          (br_if $ciblocks (i32.lt_u (local.tee $ci (local.get $ciend)) (local.get $cin))))
        (local.set $py (i32.add (local.get $ys) (i32.shl (i32.add (i32.mul (local.get $co) (local.get $hw)) (local.get $p)) (i32.const 2))))
        (local.set $k (i32.sub (local.get $cout) (local.get $co)))
        (call $storeLanes (local.get $py) (call $addBias (call $demote4 (local.get $a0) (local.get $b0)) (local.get $b) (local.get $co)) (local.get $m))
        (if (i32.gt_u (local.get $k) (i32.const 1)) (then
          (call $storeLanes (local.tee $py (i32.add (local.get $py) (local.get $hw4))) (call $addBias (call $demote4 (local.get $a1) (local.get $b1)) (local.get $b) (i32.add (local.get $co) (i32.const 1))) (local.get $m))))
        (if (i32.gt_u (local.get $k) (i32.const 2)) (then
          (call $storeLanes (local.tee $py (i32.add (local.get $py) (local.get $hw4))) (call $addBias (call $demote4 (local.get $a2) (local.get $b2)) (local.get $b) (i32.add (local.get $co) (i32.const 2))) (local.get $m))))
        (if (i32.gt_u (local.get $k) (i32.const 3)) (then
          (call $storeLanes (i32.add (local.get $py) (local.get $hw4)) (call $addBias (call $demote4 (local.get $a3) (local.get $b3)) (local.get $b) (i32.add (local.get $co) (i32.const 3))) (local.get $m))))
        (br_if $chans (i32.lt_u (local.tee $co (i32.add (local.get $co) (i32.const 4))) (local.get $cout))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $pixels)))
    (local.set $s (i32.add (local.get $s) (i32.const 1)))
    (br $samples))))

;; 'fma', every step through $fma32 (see linearFmaExact). Output rows of samples [s0, s1), pixels [p0, p1).
(func (export "pointwiseFmaExact") (param $x i32) (param $w i32) (param $b i32) (param $y i32)
  (param $cin i32) (param $hw i32) (param $cout i32) (param $s0 i32) (param $s1 i32) (param $p0 i32) (param $p1 i32)
  (local $s i32) (local $co i32) (local $p i32) (local $ci i32) (local $c f32) (local $xs i32) (local $px i32) (local $pw i32)
  (local.set $s (local.get $s0))
  (block $sdone (loop $samples
    (br_if $sdone (i32.ge_u (local.get $s) (local.get $s1)))
    (local.set $xs (i32.add (local.get $x) (i32.shl (i32.mul (i32.mul (local.get $s) (local.get $cin)) (local.get $hw)) (i32.const 2))))
    (local.set $co (i32.const 0))
    (loop $chans
      (local.set $p (local.get $p0))
      (block $pdone (loop $pixels
        (br_if $pdone (i32.ge_u (local.get $p) (local.get $p1)))
        (local.set $c (f32.const 0))
        (local.set $px (i32.add (local.get $xs) (i32.shl (local.get $p) (i32.const 2))))
        (local.set $pw (i32.add (local.get $w) (i32.shl (i32.mul (local.get $co) (local.get $cin)) (i32.const 2))))
        (local.set $ci (i32.const 0))
        (loop $steps
          (local.set $c (call $fma32 (f32.load (local.get $px)) (f32.load (local.get $pw)) (local.get $c)))
          (local.set $px (i32.add (local.get $px) (i32.shl (local.get $hw) (i32.const 2))))
          (local.set $pw (i32.add (local.get $pw) (i32.const 4)))
          (br_if $steps (i32.lt_u (local.tee $ci (i32.add (local.get $ci) (i32.const 1))) (local.get $cin))))
        (if (local.get $b) (then (local.set $c (f32.add (local.get $c) (f32.load (i32.add (local.get $b) (i32.shl (local.get $co) (i32.const 2))))))))
        (f32.store (i32.add (local.get $y) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $s) (local.get $cout)) (local.get $co)) (local.get $hw)) (local.get $p)) (i32.const 2))) (local.get $c))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pixels)))
      (br_if $chans (i32.lt_u (local.tee $co (i32.add (local.get $co) (i32.const 1))) (local.get $cout))))
    (local.set $s (i32.add (local.get $s) (i32.const 1)))
    (br $samples))))
