;; groupNorm (docs/evaluation-order.md): per group, mean = treeSum(v) ⊘ n, var = treeSum of
;; (v ⊖ mean)⊗(v ⊖ mean) ⊘ n, sd = sqrt(var ⊕ eps), then elementwise t = (v ⊖ mean) ⊘ sd and the
;; affine step by channel. Elementwise lanes are four elements of one channel. Groups (s, g)
;; [g0, g1) of the n·G groups: threads split groups.
;; Parameter block $pb (i32): 0 C, 1 spatial, 2 G, 3 eps (f32 bits), 4 fused, 5 gamma (0 none), 6 beta (0 none).

;; 'fma' affine step y = fma(t, γ, β) of four lanes: f64 step, complete flag, flagged lanes
;; through $fma32.
(func $affineFma4 (param $t v128) (param $gamma f32) (param $beta f32) (result v128)
  (local $lo v128) (local $hi v128)
  (local.set $lo (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $t)) (f64x2.splat (f64.promote_f32 (local.get $gamma)))) (f64x2.splat (f64.promote_f32 (local.get $beta)))))
  (local.set $hi (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $t) (local.get $t)))
                                       (f64x2.splat (f64.promote_f32 (local.get $gamma)))) (f64x2.splat (f64.promote_f32 (local.get $beta)))))
  (if (result v128) (v128.any_true (v128.or (call $flagFull (local.get $lo)) (call $flagFull (local.get $hi))))
    (then
      (f32x4.replace_lane 3
        (f32x4.replace_lane 2
          (f32x4.replace_lane 1
            (f32x4.splat (call $fma32 (f32x4.extract_lane 0 (local.get $t)) (local.get $gamma) (local.get $beta)))
            (call $fma32 (f32x4.extract_lane 1 (local.get $t)) (local.get $gamma) (local.get $beta)))
          (call $fma32 (f32x4.extract_lane 2 (local.get $t)) (local.get $gamma) (local.get $beta)))
        (call $fma32 (f32x4.extract_lane 3 (local.get $t)) (local.get $gamma) (local.get $beta))))
    (else (call $demote4 (local.get $lo) (local.get $hi)))))

;; y = affine(t) of one channel's run of n elements at $v, t = (v ⊖ mean) ⊘ sd.
(func $normalizeChannel (param $v i32) (param $y i32) (param $n i32) (param $mean f32) (param $sd f32)
  (param $hasGamma i32) (param $gamma f32) (param $hasBeta i32) (param $beta f32) (param $fused i32)
  (local $end i32) (local $t v128) (local $ts f32) (local $mode i32)
  ;; 0 neither, 1 weight only, 2 bias only, 3 both (4: both, fused)
  (local.set $mode (i32.or (local.get $hasGamma) (i32.shl (local.get $hasBeta) (i32.const 1))))
  (if (i32.and (i32.eq (local.get $mode) (i32.const 3)) (local.get $fused)) (then (local.set $mode (i32.const 4))))
  (local.set $end (i32.add (local.get $v) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
  (block $vdone (loop $vec
    (br_if $vdone (i32.ge_u (local.get $v) (local.get $end)))
    (local.set $t (f32x4.div (f32x4.sub (v128.load (local.get $v)) (f32x4.splat (local.get $mean))) (f32x4.splat (local.get $sd))))
    (block $end (block $m4 (block $m3 (block $m2 (block $m1 (block $m0
      (br_table $m0 $m1 $m2 $m3 $m4 (local.get $mode)))
      (v128.store (local.get $y) (local.get $t)) (br $end))
      (v128.store (local.get $y) (f32x4.mul (local.get $t) (f32x4.splat (local.get $gamma)))) (br $end))
      (v128.store (local.get $y) (f32x4.add (local.get $t) (f32x4.splat (local.get $beta)))) (br $end))
      (v128.store (local.get $y) (f32x4.add (f32x4.mul (local.get $t) (f32x4.splat (local.get $gamma))) (f32x4.splat (local.get $beta)))) (br $end))
      (v128.store (local.get $y) (call $affineFma4 (local.get $t) (local.get $gamma) (local.get $beta))))
    (local.set $v (i32.add (local.get $v) (i32.const 16)))
    (local.set $y (i32.add (local.get $y) (i32.const 16)))
    (br $vec)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
  (block $sdone (loop $scalar
    (br_if $sdone (i32.ge_u (local.get $v) (local.get $end)))
    (local.set $ts (f32.div (f32.sub (f32.load (local.get $v)) (local.get $mean)) (local.get $sd)))
    (f32.store (local.get $y)
      (if (result f32) (i32.eq (local.get $mode) (i32.const 4))
        (then (call $fma32 (local.get $ts) (local.get $gamma) (local.get $beta)))
        (else
          (if (result f32) (i32.and (local.get $mode) (i32.const 2))
            (then (f32.add (if (result f32) (local.get $hasGamma) (then (f32.mul (local.get $ts) (local.get $gamma))) (else (local.get $ts))) (local.get $beta)))
            (else (if (result f32) (local.get $hasGamma) (then (f32.mul (local.get $ts) (local.get $gamma))) (else (local.get $ts))))))))
    (local.set $v (i32.add (local.get $v) (i32.const 4)))
    (local.set $y (i32.add (local.get $y) (i32.const 4)))
    (br $scalar))))

(func (export "groupNorm") (param $x i32) (param $y i32) (param $pb i32) (param $lanes i32) (param $g0 i32) (param $g1 i32)
  (local $C i32) (local $S i32) (local $G i32) (local $eps f32) (local $fused i32) (local $gp i32) (local $bp i32)
  (local $grp i32) (local $cg i32) (local $count i32) (local $countF f32) (local $off i32) (local $mean f32) (local $var f32) (local $sd f32)
  (local $ch i32) (local $chEnd i32) (local $p i32)
  (local.set $C (i32.load offset=0 (local.get $pb))) (local.set $S (i32.load offset=4 (local.get $pb))) (local.set $G (i32.load offset=8 (local.get $pb)))
  (local.set $eps (f32.load offset=12 (local.get $pb))) (local.set $fused (i32.load offset=16 (local.get $pb)))
  (local.set $gp (i32.load offset=20 (local.get $pb))) (local.set $bp (i32.load offset=24 (local.get $pb)))
  (local.set $cg (i32.div_u (local.get $C) (local.get $G)))
  (local.set $count (i32.mul (local.get $cg) (local.get $S)))
  (local.set $countF (f32.convert_i32_u (local.get $count)))
  (local.set $grp (local.get $g0))
  (block $gdone (loop $groups
    (br_if $gdone (i32.ge_u (local.get $grp) (local.get $g1)))
    ;; group g of sample s starts at channel s·C + g·cg = grp·cg
    (local.set $off (i32.shl (i32.mul (i32.mul (local.get $grp) (local.get $cg)) (local.get $S)) (i32.const 2)))
    (local.set $mean (f32.div (call $treeSumWindow (i32.add (local.get $x) (local.get $off)) (local.get $count) (i32.const 1) (local.get $count) (local.get $lanes)) (local.get $countF)))
    (local.set $var (f32.div (call $treeSumSqDev (i32.add (local.get $x) (local.get $off)) (local.get $count) (local.get $mean) (local.get $lanes) (local.get $fused)) (local.get $countF)))
    (local.set $sd (f32.sqrt (f32.add (local.get $var) (local.get $eps))))
    (local.set $ch (i32.rem_u (i32.mul (local.get $grp) (local.get $cg)) (local.get $C)))
    (local.set $chEnd (i32.add (local.get $ch) (local.get $cg)))
    (local.set $p (local.get $off))
    (loop $chans
      (call $normalizeChannel (i32.add (local.get $x) (local.get $p)) (i32.add (local.get $y) (local.get $p)) (local.get $S) (local.get $mean) (local.get $sd)
        (i32.ne (local.get $gp) (i32.const 0))
        (if (result f32) (local.get $gp) (then (f32.load (i32.add (local.get $gp) (i32.shl (local.get $ch) (i32.const 2))))) (else (f32.const 0)))
        (i32.ne (local.get $bp) (i32.const 0))
        (if (result f32) (local.get $bp) (then (f32.load (i32.add (local.get $bp) (i32.shl (local.get $ch) (i32.const 2))))) (else (f32.const 0)))
        (local.get $fused))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $S) (i32.const 2))))
      (br_if $chans (i32.lt_u (local.tee $ch (i32.add (local.get $ch) (i32.const 1))) (local.get $chEnd))))
    (local.set $grp (i32.add (local.get $grp) (i32.const 1)))
    (br $groups))))
