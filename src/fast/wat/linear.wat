;; linear: y[n,o] = (Σ_i x[n,i] ⊗ w[o,i]) ⊕ bias[o], each output's sum in i order
;; (docs/evaluation-order.md). Lanes are four batch rows: x is packed [⌈N/4⌉][in][4] (rows past N
;; are +0 and never stored), w stays row-major and is broadcast, so every lane is one output's
;; own sequential chain. A block is 8 rows × 4 outputs (8 accumulators); outputs [o0, o1) of
;; all rows, so threads split the outputs.

;; x [n][in] → [⌈n/4⌉][in][4], +0 past row n.
(func (export "linearPackX") (param $x i32) (param $dst i32) (param $n i32) (param $in i32)
  (local $nb i32) (local $i i32) (local $r i32) (local $row i32)
  (loop $blocks
    (local.set $i (i32.const 0))
    (loop $cols
      (local.set $r (i32.const 0))
      (loop $rows
        (local.set $row (i32.add (i32.shl (local.get $nb) (i32.const 2)) (local.get $r)))
        (f32.store (local.get $dst)
          (if (result f32) (i32.lt_u (local.get $row) (local.get $n))
            (then (f32.load (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (local.get $row) (local.get $in)) (local.get $i)) (i32.const 2)))))
            (else (f32.const 0))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 4))))
      (br_if $cols (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $in))))
    (br_if $blocks (i32.lt_u (i32.shl (local.tee $nb (i32.add (local.get $nb) (i32.const 1))) (i32.const 2)) (local.get $n)))))

;; Stores lane r of v (+ bias[col] when $b ≠ 0) at y[row0 + r][col] for rows < n.
(func $storeColumn (param $v v128) (param $b i32) (param $y i32) (param $row0 i32) (param $n i32) (param $out i32) (param $col i32)
  (local $p i32) (local $stride i32)
  (if (local.get $b) (then (local.set $v (f32x4.add (local.get $v) (v128.load32_splat (i32.add (local.get $b) (i32.shl (local.get $col) (i32.const 2))))))))
  (local.set $stride (i32.shl (local.get $out) (i32.const 2)))
  (local.set $p (i32.add (local.get $y) (i32.shl (i32.add (i32.mul (local.get $row0) (local.get $out)) (local.get $col)) (i32.const 2))))
  (if (i32.ge_u (local.get $row0) (local.get $n)) (then (return)))
  (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $v)))
  (if (i32.ge_u (i32.add (local.get $row0) (i32.const 1)) (local.get $n)) (then (return)))
  (f32.store (local.tee $p (i32.add (local.get $p) (local.get $stride))) (f32x4.extract_lane 1 (local.get $v)))
  (if (i32.ge_u (i32.add (local.get $row0) (i32.const 2)) (local.get $n)) (then (return)))
  (f32.store (local.tee $p (i32.add (local.get $p) (local.get $stride))) (f32x4.extract_lane 2 (local.get $v)))
  (if (i32.ge_u (i32.add (local.get $row0) (i32.const 3)) (local.get $n)) (then (return)))
  (f32.store (i32.add (local.get $p) (local.get $stride)) (f32x4.extract_lane 3 (local.get $v))))

;; Strict. $x4 packed x, $w [out][in], $b bias or 0, $y [n][out]; outputs [o0, o1).
(func (export "linearStrict") (param $x4 i32) (param $w i32) (param $b i32) (param $y i32)
  (param $n i32) (param $in i32) (param $out i32) (param $o0 i32) (param $o1 i32)
  (local $o i32) (local $nb i32) (local $nbs i32) (local $in4 i32) (local $in16 i32)
  (local $px i32) (local $pw i32) (local $pend i32)
  (local $xa v128) (local $xb v128) (local $k v128)
  (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
  (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
  (local.set $in4 (i32.shl (local.get $in) (i32.const 2)))
  (local.set $in16 (i32.shl (local.get $in) (i32.const 4)))
  (local.set $nbs (i32.shr_u (i32.add (local.get $n) (i32.const 3)) (i32.const 2)))
  (local.set $o (local.get $o0))
  ;; four outputs at a time
  (block $odone (loop $outs
    (br_if $odone (i32.gt_u (i32.add (local.get $o) (i32.const 4)) (local.get $o1)))
    (local.set $nb (i32.const 0))
    (block $nbdone (loop $rowblocks
      (br_if $nbdone (i32.ge_u (local.get $nb) (local.get $nbs)))
      (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (local.get $a0)) (local.set $a2 (local.get $a0)) (local.set $a3 (local.get $a0))
      (local.set $b0 (local.get $a0)) (local.set $b1 (local.get $a0)) (local.set $b2 (local.get $a0)) (local.set $b3 (local.get $a0))
      (local.set $px (i32.add (local.get $x4) (i32.mul (local.get $nb) (local.get $in16))))
      (local.set $pw (i32.add (local.get $w) (i32.mul (local.get $o) (local.get $in4))))
      (local.set $pend (i32.add (local.get $pw) (local.get $in4)))
      (if (i32.lt_u (i32.add (local.get $nb) (i32.const 1)) (local.get $nbs))
        (then
          ;; 8 rows × 4 outputs
          (loop $k8
            (local.set $xa (v128.load (local.get $px)))
            (local.set $xb (v128.load (i32.add (local.get $px) (local.get $in16))))
            (local.set $k (v128.load32_splat (local.get $pw)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xa) (local.get $k))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $xb) (local.get $k))))
            (local.set $k (v128.load32_splat (i32.add (local.get $pw) (local.get $in4))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xa) (local.get $k))))
            (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $xb) (local.get $k))))
            (local.set $k (v128.load32_splat (i32.add (local.get $pw) (i32.shl (local.get $in4) (i32.const 1)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xa) (local.get $k))))
            (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $xb) (local.get $k))))
            (local.set $k (v128.load32_splat (i32.add (local.get $pw) (i32.mul (local.get $in4) (i32.const 3)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xa) (local.get $k))))
            (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $xb) (local.get $k))))
            (local.set $px (i32.add (local.get $px) (i32.const 16)))
            (br_if $k8 (i32.lt_u (local.tee $pw (i32.add (local.get $pw) (i32.const 4))) (local.get $pend))))
          )
        (else
          ;; the last block of 4 rows
          (loop $k4
            (local.set $xa (v128.load (local.get $px)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xa) (v128.load32_splat (local.get $pw)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xa) (v128.load32_splat (i32.add (local.get $pw) (local.get $in4))))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xa) (v128.load32_splat (i32.add (local.get $pw) (i32.shl (local.get $in4) (i32.const 1)))))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xa) (v128.load32_splat (i32.add (local.get $pw) (i32.mul (local.get $in4) (i32.const 3)))))))
            (local.set $px (i32.add (local.get $px) (i32.const 16)))
            (br_if $k4 (i32.lt_u (local.tee $pw (i32.add (local.get $pw) (i32.const 4))) (local.get $pend))))))
      (call $storeColumn (local.get $a0) (local.get $b) (local.get $y) (i32.shl (local.get $nb) (i32.const 2)) (local.get $n) (local.get $out) (local.get $o))
      (call $storeColumn (local.get $a1) (local.get $b) (local.get $y) (i32.shl (local.get $nb) (i32.const 2)) (local.get $n) (local.get $out) (i32.add (local.get $o) (i32.const 1)))
      (call $storeColumn (local.get $a2) (local.get $b) (local.get $y) (i32.shl (local.get $nb) (i32.const 2)) (local.get $n) (local.get $out) (i32.add (local.get $o) (i32.const 2)))
      (call $storeColumn (local.get $a3) (local.get $b) (local.get $y) (i32.shl (local.get $nb) (i32.const 2)) (local.get $n) (local.get $out) (i32.add (local.get $o) (i32.const 3)))
      (if (i32.lt_u (i32.add (local.get $nb) (i32.const 1)) (local.get $nbs))
        (then
          (call $storeColumn (local.get $b0) (local.get $b) (local.get $y) (i32.shl (i32.add (local.get $nb) (i32.const 1)) (i32.const 2)) (local.get $n) (local.get $out) (local.get $o))
          (call $storeColumn (local.get $b1) (local.get $b) (local.get $y) (i32.shl (i32.add (local.get $nb) (i32.const 1)) (i32.const 2)) (local.get $n) (local.get $out) (i32.add (local.get $o) (i32.const 1)))
          (call $storeColumn (local.get $b2) (local.get $b) (local.get $y) (i32.shl (i32.add (local.get $nb) (i32.const 1)) (i32.const 2)) (local.get $n) (local.get $out) (i32.add (local.get $o) (i32.const 2)))
          (call $storeColumn (local.get $b3) (local.get $b) (local.get $y) (i32.shl (i32.add (local.get $nb) (i32.const 1)) (i32.const 2)) (local.get $n) (local.get $out) (i32.add (local.get $o) (i32.const 3)))))
      (local.set $nb (i32.add (local.get $nb) (i32.const 2)))
      (br $rowblocks)))
    (local.set $o (i32.add (local.get $o) (i32.const 4)))
    (br $outs)))
  ;; the last outputs one at a time
  (block $tdone (loop $tail
    (br_if $tdone (i32.ge_u (local.get $o) (local.get $o1)))
    (local.set $nb (i32.const 0))
    (loop $rowblocks1
      (local.set $a0 (v128.const i32x4 0 0 0 0))
      (local.set $px (i32.add (local.get $x4) (i32.mul (local.get $nb) (local.get $in16))))
      (local.set $pw (i32.add (local.get $w) (i32.mul (local.get $o) (local.get $in4))))
      (local.set $pend (i32.add (local.get $pw) (local.get $in4)))
      (loop $k1
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $px)) (v128.load32_splat (local.get $pw)))))
        (local.set $px (i32.add (local.get $px) (i32.const 16)))
        (br_if $k1 (i32.lt_u (local.tee $pw (i32.add (local.get $pw) (i32.const 4))) (local.get $pend))))
      (call $storeColumn (local.get $a0) (local.get $b) (local.get $y) (i32.shl (local.get $nb) (i32.const 2)) (local.get $n) (local.get $out) (local.get $o))
      (br_if $rowblocks1 (i32.lt_u (local.tee $nb (i32.add (local.get $nb) (i32.const 1))) (local.get $nbs))))
    (local.set $o (i32.add (local.get $o) (i32.const 1)))
    (br $tail))))

;; ---- profile 'fma' ----
;; Each step is s = x·w + acc in f64 (the product is exact), acc' = RN32(s). That equals the
;; exactly rounded fma unless s is exactly a float32 midpoint (its 29 low significand bits are
;; 1 followed by zeros), which is flagged; a flagged block of up to 64 steps is redone from the
;; saved accumulators with the exact scalar $fma32. The flag is complete only when every
;; product is a multiple of 2^−149 (no bits below the subnormal grid); the driver checks that
;; with minLowBit and otherwise uses linearFmaExact.

;; x [n][in] → f64 [⌈n/4⌉][in][4], +0 past row n.
(func (export "linearPackX64") (param $x i32) (param $dst i32) (param $n i32) (param $in i32)
  (local $nb i32) (local $i i32) (local $r i32) (local $row i32)
  (loop $blocks
    (local.set $i (i32.const 0))
    (loop $cols
      (local.set $r (i32.const 0))
      (loop $rows
        (local.set $row (i32.add (i32.shl (local.get $nb) (i32.const 2)) (local.get $r)))
        (f64.store (local.get $dst)
          (if (result f64) (i32.lt_u (local.get $row) (local.get $n))
            (then (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (local.get $row) (local.get $in)) (local.get $i)) (i32.const 2))))))
            (else (f64.const 0))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 4))))
      (br_if $cols (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $in))))
    (br_if $blocks (i32.lt_u (i32.shl (local.tee $nb (i32.add (local.get $nb) (i32.const 1))) (i32.const 2)) (local.get $n)))))

;; Exact redo of steps [i0, i1) for the accumulators saved at $acc: f64 [ncols][4 rows], rows
;; row0.. of x, outputs o.. of w.
(func $linearRedo (param $acc i32) (param $x i32) (param $w i32) (param $n i32) (param $in i32)
  (param $row0 i32) (param $o i32) (param $ncols i32) (param $i0 i32) (param $i1 i32)
  (local $k i32) (local $r i32) (local $i i32) (local $c f32) (local $px i32) (local $pw i32) (local $slot i32)
  (loop $cols
    (local.set $r (i32.const 0))
    (loop $rows
      (if (i32.lt_u (i32.add (local.get $row0) (local.get $r)) (local.get $n))
        (then
          (local.set $slot (i32.add (local.get $acc) (i32.shl (i32.add (i32.shl (local.get $k) (i32.const 2)) (local.get $r)) (i32.const 3))))
          (local.set $c (f32.demote_f64 (f64.load (local.get $slot))))
          (local.set $px (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (i32.add (local.get $row0) (local.get $r)) (local.get $in)) (local.get $i0)) (i32.const 2))))
          (local.set $pw (i32.add (local.get $w) (i32.shl (i32.add (i32.mul (i32.add (local.get $o) (local.get $k)) (local.get $in)) (local.get $i0)) (i32.const 2))))
          (local.set $i (local.get $i0))
          (block $done (loop $steps
            (br_if $done (i32.ge_u (local.get $i) (local.get $i1)))
            (local.set $c (call $fma32 (f32.load (local.get $px)) (f32.load (local.get $pw)) (local.get $c)))
            (local.set $px (i32.add (local.get $px) (i32.const 4)))
            (local.set $pw (i32.add (local.get $pw) (i32.const 4)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $steps)))
          (f64.store (local.get $slot) (f64.promote_f32 (local.get $c)))))
      (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 4))))
    (br_if $cols (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $ncols)))))

;; 'fma'. $x4 packed f64 x, $x f32 x (for redos), $w64 f64 w, $w f32 w, $b bias or 0, $y
;; [n][out], $acc 128 bytes of scratch; outputs [o0, o1).
(func (export "linearFma") (param $x4 i32) (param $x i32) (param $w64 i32) (param $w i32) (param $b i32) (param $y i32) (param $acc i32)
  (param $n i32) (param $in i32) (param $out i32) (param $o0 i32) (param $o1 i32)
  (local $o i32) (local $nb i32) (local $nbs i32) (local $in8 i32) (local $in32 i32) (local $ncols i32)
  (local $i i32) (local $iend i32) (local $px i32) (local $pw i32) (local $pend i32)
  (local $xl v128) (local $xh v128) (local $k v128) (local $s v128) (local $flag v128)
  (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
  (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
  (local.set $in8 (i32.shl (local.get $in) (i32.const 3)))
  (local.set $in32 (i32.shl (local.get $in) (i32.const 5)))
  (local.set $nbs (i32.shr_u (i32.add (local.get $n) (i32.const 3)) (i32.const 2)))
  (local.set $o (local.get $o0))
  (block $odone (loop $outs
    (br_if $odone (i32.ge_u (local.get $o) (local.get $o1)))
    ;; 4 outputs, or 1 in the tail ($a* rows 0–1, $b* rows 2–3 of output o+k)
    (local.set $ncols (select (i32.const 4) (i32.const 1) (i32.le_u (i32.add (local.get $o) (i32.const 4)) (local.get $o1))))
    (local.set $nb (i32.const 0))
    (loop $rowblocks
      (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (local.get $a0)) (local.set $a2 (local.get $a0)) (local.set $a3 (local.get $a0))
      (local.set $b0 (local.get $a0)) (local.set $b1 (local.get $a0)) (local.set $b2 (local.get $a0)) (local.set $b3 (local.get $a0))
      (local.set $i (i32.const 0))
      (loop $iblocks
        (local.set $iend (select (local.get $in) (i32.add (local.get $i) (i32.const 64)) (i32.lt_u (local.get $in) (i32.add (local.get $i) (i32.const 64)))))
        (v128.store offset=0 (local.get $acc) (local.get $a0)) (v128.store offset=16 (local.get $acc) (local.get $b0))
        (v128.store offset=32 (local.get $acc) (local.get $a1)) (v128.store offset=48 (local.get $acc) (local.get $b1))
        (v128.store offset=64 (local.get $acc) (local.get $a2)) (v128.store offset=80 (local.get $acc) (local.get $b2))
        (v128.store offset=96 (local.get $acc) (local.get $a3)) (v128.store offset=112 (local.get $acc) (local.get $b3))
        (local.set $flag (v128.const i32x4 0 0 0 0))
        (local.set $px (i32.add (local.get $x4) (i32.add (i32.mul (local.get $nb) (local.get $in32)) (i32.shl (local.get $i) (i32.const 5)))))
        (local.set $pw (i32.add (local.get $w64) (i32.add (i32.mul (local.get $o) (local.get $in8)) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $pend (i32.add (local.get $pw) (i32.shl (i32.sub (local.get $iend) (local.get $i)) (i32.const 3))))
        (if (i32.eq (local.get $ncols) (i32.const 4))
          (then
            (loop $steps4
              (local.set $xl (v128.load (local.get $px)))
              (local.set $xh (v128.load offset=16 (local.get $px)))
              (local.set $k (v128.load64_splat (local.get $pw)))
              (local.set $s (f64x2.add (f64x2.mul (local.get $xl) (local.get $k)) (local.get $a0)))
              (local.set $a0 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s))))
              (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $s) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
              (local.set $s (f64x2.add (f64x2.mul (local.get $xh) (local.get $k)) (local.get $b0)))
              (local.set $b0 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s))))
              (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $s) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
              (local.set $k (v128.load64_splat (i32.add (local.get $pw) (local.get $in8))))
              (local.set $s (f64x2.add (f64x2.mul (local.get $xl) (local.get $k)) (local.get $a1)))
              (local.set $a1 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s))))
              (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $s) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
              (local.set $s (f64x2.add (f64x2.mul (local.get $xh) (local.get $k)) (local.get $b1)))
              (local.set $b1 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s))))
              (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $s) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
              (local.set $k (v128.load64_splat (i32.add (local.get $pw) (i32.shl (local.get $in8) (i32.const 1)))))
              (local.set $s (f64x2.add (f64x2.mul (local.get $xl) (local.get $k)) (local.get $a2)))
              (local.set $a2 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s))))
              (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $s) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
              (local.set $s (f64x2.add (f64x2.mul (local.get $xh) (local.get $k)) (local.get $b2)))
              (local.set $b2 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s))))
              (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $s) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
              (local.set $k (v128.load64_splat (i32.add (local.get $pw) (i32.mul (local.get $in8) (i32.const 3)))))
              (local.set $s (f64x2.add (f64x2.mul (local.get $xl) (local.get $k)) (local.get $a3)))
              (local.set $a3 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s))))
              (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $s) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
              (local.set $s (f64x2.add (f64x2.mul (local.get $xh) (local.get $k)) (local.get $b3)))
              (local.set $b3 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s))))
              (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $s) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
              (local.set $px (i32.add (local.get $px) (i32.const 32)))
              (br_if $steps4 (i32.lt_u (local.tee $pw (i32.add (local.get $pw) (i32.const 8))) (local.get $pend)))))
          (else
            (loop $steps1
              (local.set $k (v128.load64_splat (local.get $pw)))
              (local.set $s (f64x2.add (f64x2.mul (v128.load (local.get $px)) (local.get $k)) (local.get $a0)))
              (local.set $a0 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s))))
              (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $s) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
              (local.set $s (f64x2.add (f64x2.mul (v128.load offset=16 (local.get $px)) (local.get $k)) (local.get $b0)))
              (local.set $b0 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s))))
              (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $s) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
              (local.set $px (i32.add (local.get $px) (i32.const 32)))
              (br_if $steps1 (i32.lt_u (local.tee $pw (i32.add (local.get $pw) (i32.const 8))) (local.get $pend))))))
        (if (v128.any_true (local.get $flag))
          (then
            (call $linearRedo (local.get $acc) (local.get $x) (local.get $w) (local.get $n) (local.get $in)
              (i32.shl (local.get $nb) (i32.const 2)) (local.get $o) (local.get $ncols) (local.get $i) (local.get $iend))
            (local.set $a0 (v128.load offset=0 (local.get $acc))) (local.set $b0 (v128.load offset=16 (local.get $acc)))
            (local.set $a1 (v128.load offset=32 (local.get $acc))) (local.set $b1 (v128.load offset=48 (local.get $acc)))
            (local.set $a2 (v128.load offset=64 (local.get $acc))) (local.set $b2 (v128.load offset=80 (local.get $acc)))
            (local.set $a3 (v128.load offset=96 (local.get $acc))) (local.set $b3 (v128.load offset=112 (local.get $acc)))))
        (br_if $iblocks (i32.lt_u (local.tee $i (local.get $iend)) (local.get $in))))
      (call $storeColumn (call $demote4 (local.get $a0) (local.get $b0)) (local.get $b) (local.get $y) (i32.shl (local.get $nb) (i32.const 2)) (local.get $n) (local.get $out) (local.get $o))
      (if (i32.eq (local.get $ncols) (i32.const 4))
        (then
          (call $storeColumn (call $demote4 (local.get $a1) (local.get $b1)) (local.get $b) (local.get $y) (i32.shl (local.get $nb) (i32.const 2)) (local.get $n) (local.get $out) (i32.add (local.get $o) (i32.const 1)))
          (call $storeColumn (call $demote4 (local.get $a2) (local.get $b2)) (local.get $b) (local.get $y) (i32.shl (local.get $nb) (i32.const 2)) (local.get $n) (local.get $out) (i32.add (local.get $o) (i32.const 2)))
          (call $storeColumn (call $demote4 (local.get $a3) (local.get $b3)) (local.get $b) (local.get $y) (i32.shl (local.get $nb) (i32.const 2)) (local.get $n) (local.get $out) (i32.add (local.get $o) (i32.const 3)))))
      (br_if $rowblocks (i32.lt_u (local.tee $nb (i32.add (local.get $nb) (i32.const 1))) (local.get $nbs))))
    (local.set $o (i32.add (local.get $o) (local.get $ncols)))
    (br $outs))))

;; 'fma' without the vector path: every step through $fma32 (inputs with products below the
;; subnormal grid, where a midpoint cannot be recognised from the low bits alone).
(func (export "linearFmaExact") (param $x i32) (param $w i32) (param $b i32) (param $y i32)
  (param $n i32) (param $in i32) (param $out i32) (param $o0 i32) (param $o1 i32)
  (local $row i32) (local $o i32) (local $i i32) (local $c f32) (local $px i32) (local $pw i32)
  (block $rdone (loop $rows
    (br_if $rdone (i32.ge_u (local.get $row) (local.get $n)))
    (local.set $o (local.get $o0))
    (block $odone (loop $outs
      (br_if $odone (i32.ge_u (local.get $o) (local.get $o1)))
      (local.set $c (f32.const 0))
      (local.set $px (i32.add (local.get $x) (i32.shl (i32.mul (local.get $row) (local.get $in)) (i32.const 2))))
      (local.set $pw (i32.add (local.get $w) (i32.shl (i32.mul (local.get $o) (local.get $in)) (i32.const 2))))
      (local.set $i (i32.const 0))
      (loop $steps
        (local.set $c (call $fma32 (f32.load (local.get $px)) (f32.load (local.get $pw)) (local.get $c)))
        (local.set $px (i32.add (local.get $px) (i32.const 4)))
        (local.set $pw (i32.add (local.get $pw) (i32.const 4)))
        (br_if $steps (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $in))))
      (if (local.get $b) (then (local.set $c (f32.add (local.get $c) (f32.load (i32.add (local.get $b) (i32.shl (local.get $o) (i32.const 2))))))))
      (f32.store (i32.add (local.get $y) (i32.shl (i32.add (i32.mul (local.get $row) (local.get $out)) (local.get $o)) (i32.const 2))) (local.get $c))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $outs)))
    (local.set $row (i32.add (local.get $row) (i32.const 1)))
    (br $rows))))
