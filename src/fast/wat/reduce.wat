;; The lane-strided 256-lane tree sum of src/reference/treeSum.ts (docs/evaluation-order.md):
;; lane l accumulates elements l, l+256, … in order, then the tree adds lane l+s into lane l for
;; s = 128, 64, …, 1. The lanes are independent accumulators, so four neighbouring lanes share a
;; vector, and the tree's additions of one level are independent too; every addition is the
;; reference's, in the reference's order. As in treeSum.ts, lanes that received no element hold
;; +0, no lane ever holds −0, so tree steps that would read such a lane (the identity) are
;; skipped and those lanes are never cleared. $lanes: 1 KiB of scratch per thread.

;; lanes[0..m) += v[0..m)
(func $laneAdd (param $lanes i32) (param $v i32) (param $m i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $v) (i32.shl (i32.and (local.get $m) (i32.const -4)) (i32.const 2))))
  (block $vdone (loop $vec
    (br_if $vdone (i32.ge_u (local.get $v) (local.get $end)))
    (v128.store (local.get $lanes) (f32x4.add (v128.load (local.get $lanes)) (v128.load (local.get $v))))
    (local.set $lanes (i32.add (local.get $lanes) (i32.const 16)))
    (local.set $v (i32.add (local.get $v) (i32.const 16)))
    (br $vec)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $m) (i32.const 3)) (i32.const 2))))
  (block $sdone (loop $scalar
    (br_if $sdone (i32.ge_u (local.get $v) (local.get $end)))
    (f32.store (local.get $lanes) (f32.add (f32.load (local.get $lanes)) (f32.load (local.get $v))))
    (local.set $lanes (i32.add (local.get $lanes) (i32.const 4)))
    (local.set $v (i32.add (local.get $v) (i32.const 4)))
    (br $scalar))))

;; The tree over the first `active` lanes (the others hold +0).
(func $treeReduce (param $lanes i32) (param $active i32) (result f32)
  (local $live i32) (local $s i32) (local $m i32)
  (if (i32.eqz (local.get $active)) (then (return (f32.const 0))))
  (local.set $live (local.get $active))
  (local.set $s (i32.const 128))
  (loop $levels
    (local.set $m (i32.sub (local.get $live) (local.get $s)))
    (if (i32.gt_s (local.get $m) (local.get $s)) (then (local.set $m (local.get $s))))
    (if (i32.gt_s (local.get $m) (i32.const 0))
      (then (call $laneAdd (local.get $lanes) (i32.add (local.get $lanes) (i32.shl (local.get $s) (i32.const 2))) (local.get $m))))
    (if (i32.gt_s (local.get $live) (local.get $s)) (then (local.set $live (local.get $s))))
    (br_if $levels (local.tee $s (i32.shr_u (local.get $s) (i32.const 1)))))
  (f32.load (local.get $lanes)))

;; Tree sum of a window of `rows` rows of `cols` elements, rows `stride` elements apart, in
;; row-major order (a contiguous run of n elements: rows = 1, cols = n).
(func $treeSumWindow (param $v i32) (param $stride i32) (param $rows i32) (param $cols i32) (param $lanes i32) (result f32)
  (local $active i32) (local $l i32) (local $r i32) (local $c i32) (local $chunk i32) (local $row i32)
  (local.set $active (i32.mul (local.get $rows) (local.get $cols)))
  (if (i32.gt_u (local.get $active) (i32.const 256)) (then (local.set $active (i32.const 256))))
  (memory.fill (local.get $lanes) (i32.const 0) (i32.shl (local.get $active) (i32.const 2)))
  (block $rdone (loop $rowsl
    (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $row (i32.add (local.get $v) (i32.shl (i32.mul (local.get $r) (local.get $stride)) (i32.const 2))))
    (local.set $c (i32.const 0))
    (block $cdone (loop $chunks
      (br_if $cdone (i32.ge_u (local.get $c) (local.get $cols)))
      (local.set $chunk (i32.sub (local.get $cols) (local.get $c)))
      (if (i32.gt_u (local.get $chunk) (i32.sub (i32.const 256) (local.get $l))) (then (local.set $chunk (i32.sub (i32.const 256) (local.get $l)))))
      (call $laneAdd (i32.add (local.get $lanes) (i32.shl (local.get $l) (i32.const 2))) (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2))) (local.get $chunk))
      (local.set $l (i32.and (i32.add (local.get $l) (local.get $chunk)) (i32.const 255)))
      (local.set $c (i32.add (local.get $c) (local.get $chunk)))
      (br $chunks)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rowsl)))
  (call $treeReduce (local.get $lanes) (local.get $active)))

;; Whether f64 lanes of t are float32 midpoints (29 low significand bits 1 0…0) or lie in
;; (0, 2^−126] in magnitude, where the midpoint pattern sits elsewhere: the complete flag for
;; one fused step whose operands' products may fall below the subnormal grid.
(func $flagFull (param $t v128) (result v128)
  (v128.or
    (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))
    ;; 0 < |t| ≤ 2^−126  ⟺  (2|bits| − 1) <u 2·bits(2^−126), as a signed compare after adding 2^63 − 1
    (i64x2.lt_s (i64x2.add (i64x2.shl (local.get $t) (i32.const 1)) (v128.const i64x2 0x7fffffffffffffff 0x7fffffffffffffff))
                (v128.const i64x2 0xf020000000000000 0xf020000000000000))))

;; Tree sum of squared deviations d = v[e] ⊖ mean: lanes accumulate the multiply-add d ⊗ d
;; (fused under $fused: f64 step, complete flag, flagged vectors redone with $fma32).
(func $treeSumSqDev (param $v i32) (param $n i32) (param $mean f32) (param $lanes i32) (param $fused i32) (result f32)
  (local $active i32) (local $base i32) (local $m i32) (local $l i32) (local $p i32) (local $q i32) (local $j i32)
  (local $d v128) (local $lo v128) (local $hi v128) (local $mv v128) (local $dl v128) (local $dh v128) (local $c v128) (local $e f32)
  (local.set $active (select (i32.const 256) (local.get $n) (i32.gt_u (local.get $n) (i32.const 256))))
  (memory.fill (local.get $lanes) (i32.const 0) (i32.shl (local.get $active) (i32.const 2)))
  (local.set $mv (f32x4.splat (local.get $mean)))
  (block $bdone (loop $blocks
    (br_if $bdone (i32.ge_u (local.get $base) (local.get $n)))
    (local.set $m (i32.sub (local.get $n) (local.get $base)))
    (if (i32.gt_u (local.get $m) (i32.const 256)) (then (local.set $m (i32.const 256))))
    (local.set $l (i32.const 0))
    (block $vdone (loop $vec
      (br_if $vdone (i32.gt_u (i32.add (local.get $l) (i32.const 4)) (local.get $m)))
      (local.set $p (i32.add (local.get $lanes) (i32.shl (local.get $l) (i32.const 2))))
      (local.set $q (i32.add (local.get $v) (i32.shl (i32.add (local.get $base) (local.get $l)) (i32.const 2))))
      (local.set $d (f32x4.sub (v128.load (local.get $q)) (local.get $mv)))
      (if (local.get $fused)
        (then
          (local.set $c (v128.load (local.get $p)))
          (local.set $dl (f64x2.promote_low_f32x4 (local.get $d)))
          (local.set $dh (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $d) (local.get $d))))
          (local.set $lo (f64x2.add (f64x2.mul (local.get $dl) (local.get $dl)) (f64x2.promote_low_f32x4 (local.get $c))))
          (local.set $hi (f64x2.add (f64x2.mul (local.get $dh) (local.get $dh))
                                    (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $c) (local.get $c)))))
          (if (v128.any_true (v128.or (call $flagFull (local.get $lo)) (call $flagFull (local.get $hi))))
            (then
              (local.set $j (i32.const 0))
              (loop $redo
                (local.set $e (f32.sub (f32.load (i32.add (local.get $q) (i32.shl (local.get $j) (i32.const 2)))) (local.get $mean)))
                (f32.store (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))
                  (call $fma32 (local.get $e) (local.get $e) (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))))
                (br_if $redo (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 4)))))
            (else (v128.store (local.get $p) (call $demote4 (local.get $lo) (local.get $hi))))))
        (else (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.mul (local.get $d) (local.get $d))))))
      (local.set $l (i32.add (local.get $l) (i32.const 4)))
      (br $vec)))
    (block $sdone (loop $scalar
      (br_if $sdone (i32.ge_u (local.get $l) (local.get $m)))
      (local.set $p (i32.add (local.get $lanes) (i32.shl (local.get $l) (i32.const 2))))
      (local.set $e (f32.sub (f32.load (i32.add (local.get $v) (i32.shl (i32.add (local.get $base) (local.get $l)) (i32.const 2)))) (local.get $mean)))
      (f32.store (local.get $p)
        (if (result f32) (local.get $fused)
          (then (call $fma32 (local.get $e) (local.get $e) (f32.load (local.get $p))))
          (else (f32.add (f32.load (local.get $p)) (f32.mul (local.get $e) (local.get $e))))))
      (local.set $l (i32.add (local.get $l) (i32.const 1)))
      (br $scalar)))
    (local.set $base (i32.add (local.get $base) (i32.const 256)))
    (br $blocks)))
  (call $treeReduce (local.get $lanes) (local.get $active)))
