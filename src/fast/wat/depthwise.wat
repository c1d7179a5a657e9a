;; depthwiseConv2d: y[s,oc,oh,ow] = (Σ_{kh,kw, tap inside the input} x[ih,iw] ⊗ w[oc,kh,kw]) ⊕ bias[oc],
;; taps in (kh, kw) order, padded taps skipped (docs/evaluation-order.md). Lanes are four
;; consecutive ow of one output row. Where all taps of the four outputs are inside the input
;; (rows: kh ∈ [khLo[oh], khHi[oh]), a table from the driver; columns: ow ∈ [inLo, inHi)) the
;; vector loop runs branch-free; every other output is summed one at a time with each tap checked.
;; Geometry block $g (i32): 0 n, 1 c, 2 h, 3 w, 4 cout, 5 multiplier, 6 KH, 7 KW, 8 sH, 9 sW,
;; 10 pH, 11 pW, 12 dH, 13 dW, 14 OH, 15 OW, 16 khLo table, 17 khHi table, 18 inLo, 19 inHi.
;; Planes (s, oc) [pl0, pl1) of the n·cout output planes: threads split planes.

;; One output, bias included: taps of kernel rows [kl, kh) from input row ihBase + kl·dH, each
;; column checked; $fused: every tap through $fma32, else rounded product and sum.
(func $dwOut (param $xp i32) (param $wk i32) (param $ihBase i32) (param $kl i32) (param $kh i32) (param $ow i32)
  (param $W i32) (param $KW i32) (param $sW i32) (param $pW i32) (param $dW i32) (param $dH i32) (param $b i32) (param $oc i32) (param $fused i32) (result f32)
  (local $acc f32) (local $kw i32) (local $iw i32) (local $row i32) (local $xv f32) (local $wv f32)
  (block $done (loop $rows
    (br_if $done (i32.ge_s (local.get $kl) (local.get $kh)))
    (local.set $row (i32.add (local.get $xp) (i32.shl (i32.mul (i32.add (local.get $ihBase) (i32.mul (local.get $kl) (local.get $dH))) (local.get $W)) (i32.const 2))))
    (local.set $kw (i32.const 0))
    (loop $cols
      (local.set $iw (i32.add (i32.sub (i32.mul (local.get $ow) (local.get $sW)) (local.get $pW)) (i32.mul (local.get $kw) (local.get $dW))))
      (if (i32.lt_u (local.get $iw) (local.get $W))
        (then
          (local.set $xv (f32.load (i32.add (local.get $row) (i32.shl (local.get $iw) (i32.const 2)))))
          (local.set $wv (f32.load (i32.add (local.get $wk) (i32.shl (i32.add (i32.mul (local.get $kl) (local.get $KW)) (local.get $kw)) (i32.const 2)))))
          (local.set $acc (if (result f32) (local.get $fused)
            (then (call $fma32 (local.get $xv) (local.get $wv) (local.get $acc)))
            (else (f32.add (local.get $acc) (f32.mul (local.get $xv) (local.get $wv))))))))
      (br_if $cols (i32.lt_u (local.tee $kw (i32.add (local.get $kw) (i32.const 1))) (local.get $KW))))
    (local.set $kl (i32.add (local.get $kl) (i32.const 1)))
    (br $rows)))
  (if (result f32) (local.get $b)
    (then (f32.add (local.get $acc) (f32.load (i32.add (local.get $b) (i32.shl (local.get $oc) (i32.const 2))))))
    (else (local.get $acc))))

;; Outputs [lo, hi) of one output row, one at a time.
(func $dwOuts (param $yrow i32) (param $lo i32) (param $hi i32) (param $xp i32) (param $wk i32) (param $ihBase i32) (param $kl i32) (param $kh i32)
  (param $W i32) (param $KW i32) (param $sW i32) (param $pW i32) (param $dW i32) (param $dH i32) (param $b i32) (param $oc i32) (param $fused i32)
  (block $done (loop $outs
    (br_if $done (i32.ge_s (local.get $lo) (local.get $hi)))
    (f32.store (i32.add (local.get $yrow) (i32.shl (local.get $lo) (i32.const 2)))
      (call $dwOut (local.get $xp) (local.get $wk) (local.get $ihBase) (local.get $kl) (local.get $kh) (local.get $lo)
        (local.get $W) (local.get $KW) (local.get $sW) (local.get $pW) (local.get $dW) (local.get $dH) (local.get $b) (local.get $oc) (local.get $fused)))
    (local.set $lo (i32.add (local.get $lo) (i32.const 1)))
    (br $outs))))

;; Four input values x[a], x[a + s], x[a + 2s], x[a + 3s] (s in bytes).
(func $gather4 (param $a i32) (param $s i32) (result v128)
  (f32x4.replace_lane 3
    (f32x4.replace_lane 2
      (f32x4.replace_lane 1 (f32x4.splat (f32.load (local.get $a))) (f32.load (i32.add (local.get $a) (local.get $s))))
      (f32.load (i32.add (local.get $a) (i32.shl (local.get $s) (i32.const 1)))))
    (f32.load (i32.add (local.get $a) (i32.mul (local.get $s) (i32.const 3))))))

;; Start of the next 4-output group in the interior [inLo, inHi) from ow, or −1 when done: the
;; last group is moved back to end at inHi (it recomputes some outputs, to the same bits), so
;; an interior of at least 4 outputs needs no output-at-a-time remainder.
(func $groupAt (param $ow i32) (param $inLo i32) (param $inHi i32) (result i32)
  (if (i32.le_s (i32.add (local.get $ow) (i32.const 4)) (local.get $inHi)) (then (return (local.get $ow))))
  (if (i32.and (i32.lt_s (local.get $ow) (local.get $inHi)) (i32.ge_s (i32.sub (local.get $inHi) (local.get $inLo)) (i32.const 4)))
    (then (return (i32.sub (local.get $inHi) (i32.const 4)))))
  (i32.const -1))

;; Strict.
(func (export "depthwiseStrict") (param $x i32) (param $w i32) (param $b i32) (param $y i32) (param $g i32) (param $pl0 i32) (param $pl1 i32)
  (local $C i32) (local $H i32) (local $W i32) (local $cout i32) (local $mult i32) (local $KH i32) (local $KW i32)
  (local $sH i32) (local $sW i32) (local $pH i32) (local $pW i32) (local $dH i32) (local $dW i32) (local $OH i32) (local $OW i32)
  (local $khLo i32) (local $khHi i32) (local $inLo i32) (local $inHi i32)
  (local $pl i32) (local $oc i32) (local $xp i32) (local $wk i32) (local $oh i32) (local $ow i32) (local $kl i32) (local $kh i32) (local $kk i32) (local $kw i32)
  (local $ihBase i32) (local $yrow i32) (local $row i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $full3 i32) (local $sW4 i32)
  (local $acc v128) (local $bv f32) (local $at i32)
  (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $w4 v128) (local $w5 v128) (local $w6 v128) (local $w7 v128) (local $w8 v128)
  (local.set $C (i32.load offset=4 (local.get $g))) (local.set $H (i32.load offset=8 (local.get $g))) (local.set $W (i32.load offset=12 (local.get $g)))
  (local.set $cout (i32.load offset=16 (local.get $g))) (local.set $mult (i32.load offset=20 (local.get $g)))
  (local.set $KH (i32.load offset=24 (local.get $g))) (local.set $KW (i32.load offset=28 (local.get $g)))
  (local.set $sH (i32.load offset=32 (local.get $g))) (local.set $sW (i32.load offset=36 (local.get $g)))
  (local.set $pH (i32.load offset=40 (local.get $g))) (local.set $pW (i32.load offset=44 (local.get $g)))
  (local.set $dH (i32.load offset=48 (local.get $g))) (local.set $dW (i32.load offset=52 (local.get $g)))
  (local.set $OH (i32.load offset=56 (local.get $g))) (local.set $OW (i32.load offset=60 (local.get $g)))
  (local.set $khLo (i32.load offset=64 (local.get $g))) (local.set $khHi (i32.load offset=68 (local.get $g)))
  (local.set $inLo (i32.load offset=72 (local.get $g))) (local.set $inHi (i32.load offset=76 (local.get $g)))
  (local.set $sW4 (i32.shl (local.get $sW) (i32.const 2)))
  ;; 3×3, unit column stride and dilation: the nine weights stay in registers
  (local.set $full3 (i32.and (i32.and (i32.eq (local.get $KH) (i32.const 3)) (i32.eq (local.get $KW) (i32.const 3)))
                             (i32.and (i32.eq (local.get $sW) (i32.const 1)) (i32.eq (local.get $dW) (i32.const 1)))))
  (local.set $pl (local.get $pl0))
  (block $pldone (loop $planes
    (br_if $pldone (i32.ge_u (local.get $pl) (local.get $pl1)))
    (local.set $oc (i32.rem_u (local.get $pl) (local.get $cout)))
    (local.set $xp (i32.add (local.get $x) (i32.shl (i32.mul (i32.add (i32.mul (i32.div_u (local.get $pl) (local.get $cout)) (local.get $C)) (i32.div_u (local.get $oc) (local.get $mult))) (i32.mul (local.get $H) (local.get $W))) (i32.const 2))))
    (local.set $wk (i32.add (local.get $w) (i32.shl (i32.mul (local.get $oc) (i32.mul (local.get $KH) (local.get $KW))) (i32.const 2))))
    (if (local.get $b) (then (local.set $bv (f32.load (i32.add (local.get $b) (i32.shl (local.get $oc) (i32.const 2)))))))
    (if (local.get $full3) (then
      (local.set $w0 (v128.load32_splat offset=0 (local.get $wk))) (local.set $w1 (v128.load32_splat offset=4 (local.get $wk))) (local.set $w2 (v128.load32_splat offset=8 (local.get $wk)))
      (local.set $w3 (v128.load32_splat offset=12 (local.get $wk))) (local.set $w4 (v128.load32_splat offset=16 (local.get $wk))) (local.set $w5 (v128.load32_splat offset=20 (local.get $wk)))
      (local.set $w6 (v128.load32_splat offset=24 (local.get $wk))) (local.set $w7 (v128.load32_splat offset=28 (local.get $wk))) (local.set $w8 (v128.load32_splat offset=32 (local.get $wk)))))
    (local.set $oh (i32.const 0))
    (loop $orows
      (local.set $kl (i32.load (i32.add (local.get $khLo) (i32.shl (local.get $oh) (i32.const 2)))))
      (local.set $kh (i32.load (i32.add (local.get $khHi) (i32.shl (local.get $oh) (i32.const 2)))))
      (local.set $ihBase (i32.sub (i32.mul (local.get $oh) (local.get $sH)) (local.get $pH)))
      (local.set $yrow (i32.add (local.get $y) (i32.shl (i32.mul (i32.add (i32.mul (local.get $pl) (local.get $OH)) (local.get $oh)) (local.get $OW)) (i32.const 2))))
      ;; left border
      (call $dwOuts (local.get $yrow) (i32.const 0) (local.get $inLo) (local.get $xp) (local.get $wk) (local.get $ihBase) (local.get $kl) (local.get $kh)
        (local.get $W) (local.get $KW) (local.get $sW) (local.get $pW) (local.get $dW) (local.get $dH) (local.get $b) (local.get $oc) (i32.const 0))
      (local.set $ow (local.get $inLo))
      (if (i32.and (local.get $full3) (i32.and (i32.eqz (local.get $kl)) (i32.eq (local.get $kh) (i32.const 3))))
        (then
          ;; the three input rows of this output row
          (local.set $r0 (i32.add (local.get $xp) (i32.shl (i32.sub (i32.mul (local.get $ihBase) (local.get $W)) (local.get $pW)) (i32.const 2))))
          (local.set $r1 (i32.add (local.get $r0) (i32.shl (i32.mul (local.get $dH) (local.get $W)) (i32.const 2))))
          (local.set $r2 (i32.add (local.get $r1) (i32.shl (i32.mul (local.get $dH) (local.get $W)) (i32.const 2))))
          (block $fdone (loop $full
            (local.set $at (call $groupAt (local.get $ow) (local.get $inLo) (local.get $inHi)))
            (br_if $fdone (i32.lt_s (local.get $at) (i32.const 0)))
            (local.set $ow (local.get $at))
            (local.set $row (i32.shl (local.get $ow) (i32.const 2)))
            (local.set $acc (f32x4.add (v128.const i32x4 0 0 0 0) (f32x4.mul (v128.load offset=0 (i32.add (local.get $r0) (local.get $row))) (local.get $w0))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=4 (i32.add (local.get $r0) (local.get $row))) (local.get $w1))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=8 (i32.add (local.get $r0) (local.get $row))) (local.get $w2))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=0 (i32.add (local.get $r1) (local.get $row))) (local.get $w3))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=4 (i32.add (local.get $r1) (local.get $row))) (local.get $w4))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=8 (i32.add (local.get $r1) (local.get $row))) (local.get $w5))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=0 (i32.add (local.get $r2) (local.get $row))) (local.get $w6))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=4 (i32.add (local.get $r2) (local.get $row))) (local.get $w7))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=8 (i32.add (local.get $r2) (local.get $row))) (local.get $w8))))
            (if (local.get $b) (then (local.set $acc (f32x4.add (local.get $acc) (f32x4.splat (local.get $bv))))))
            (v128.store (i32.add (local.get $yrow) (local.get $row)) (local.get $acc))
            (local.set $ow (i32.add (local.get $ow) (i32.const 4)))
            (br $full))))
        (else
          (block $vdone (loop $vec
            (local.set $at (call $groupAt (local.get $ow) (local.get $inLo) (local.get $inHi)))
            (br_if $vdone (i32.lt_s (local.get $at) (i32.const 0)))
            (local.set $ow (local.get $at))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $kk (local.get $kl))
            (block $kdone (loop $krows
              (br_if $kdone (i32.ge_s (local.get $kk) (local.get $kh)))
              ;; address of tap kw = 0 of output ow
              (local.set $row (i32.add (local.get $xp) (i32.shl (i32.add (i32.mul (i32.add (local.get $ihBase) (i32.mul (local.get $kk) (local.get $dH))) (local.get $W))
                                                                         (i32.sub (i32.mul (local.get $ow) (local.get $sW)) (local.get $pW))) (i32.const 2))))
              (local.set $kw (i32.const 0))
              (loop $kcols
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul
                  (if (result v128) (i32.eq (local.get $sW) (i32.const 1))
                    (then (v128.load (local.get $row)))
                    (else (call $gather4 (local.get $row) (local.get $sW4))))
                  (v128.load32_splat (i32.add (local.get $wk) (i32.shl (i32.add (i32.mul (local.get $kk) (local.get $KW)) (local.get $kw)) (i32.const 2)))))))
                (local.set $row (i32.add (local.get $row) (i32.shl (local.get $dW) (i32.const 2))))
                (br_if $kcols (i32.lt_u (local.tee $kw (i32.add (local.get $kw) (i32.const 1))) (local.get $KW))))
              (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
              (br $krows)))
            (if (local.get $b) (then (local.set $acc (f32x4.add (local.get $acc) (f32x4.splat (local.get $bv))))))
            (v128.store (i32.add (local.get $yrow) (i32.shl (local.get $ow) (i32.const 2))) (local.get $acc))
            (local.set $ow (i32.add (local.get $ow) (i32.const 4)))
            (br $vec)))))
      ;; interior remainder and right border
      (call $dwOuts (local.get $yrow) (local.get $ow) (local.get $OW) (local.get $xp) (local.get $wk) (local.get $ihBase) (local.get $kl) (local.get $kh)
        (local.get $W) (local.get $KW) (local.get $sW) (local.get $pW) (local.get $dW) (local.get $dH) (local.get $b) (local.get $oc) (i32.const 0))
      (br_if $orows (i32.lt_u (local.tee $oh (i32.add (local.get $oh) (i32.const 1))) (local.get $OH))))
    (local.set $pl (i32.add (local.get $pl) (i32.const 1)))
    (br $planes))))

;; 'fma' (the scheme of linear.wat): $x64/$w64 are x and w in f64, $x/$w in f32 for the exact
;; per-output path, which redoes any four outputs whose steps were flagged; $exact = 1 sends
;; every output through it (the driver's minLowBit check failed).
(func (export "depthwiseFma") (param $x64 i32) (param $x i32) (param $w64 i32) (param $w i32) (param $b i32) (param $y i32) (param $g i32)
  (param $pl0 i32) (param $pl1 i32) (param $exact i32)
  (local $C i32) (local $H i32) (local $W i32) (local $cout i32) (local $mult i32) (local $KH i32) (local $KW i32)
  (local $sH i32) (local $sW i32) (local $pH i32) (local $pW i32) (local $dH i32) (local $dW i32) (local $OH i32) (local $OW i32)
  (local $khLo i32) (local $khHi i32) (local $inLo i32) (local $inHi i32)
  (local $pl i32) (local $oc i32) (local $plane i32) (local $xp i32) (local $xp64 i32) (local $wk i32) (local $wk64 i32)
  (local $oh i32) (local $ow i32) (local $kl i32) (local $kh i32) (local $kk i32) (local $kw i32)
  (local $ihBase i32) (local $yrow i32) (local $row i32) (local $sW8 i32)
  (local $lo v128) (local $hi v128) (local $q v128) (local $t v128) (local $flag v128) (local $at i32)
  (local.set $C (i32.load offset=4 (local.get $g))) (local.set $H (i32.load offset=8 (local.get $g))) (local.set $W (i32.load offset=12 (local.get $g)))
  (local.set $cout (i32.load offset=16 (local.get $g))) (local.set $mult (i32.load offset=20 (local.get $g)))
  (local.set $KH (i32.load offset=24 (local.get $g))) (local.set $KW (i32.load offset=28 (local.get $g)))
  (local.set $sH (i32.load offset=32 (local.get $g))) (local.set $sW (i32.load offset=36 (local.get $g)))
  (local.set $pH (i32.load offset=40 (local.get $g))) (local.set $pW (i32.load offset=44 (local.get $g)))
  (local.set $dH (i32.load offset=48 (local.get $g))) (local.set $dW (i32.load offset=52 (local.get $g)))
  (local.set $OH (i32.load offset=56 (local.get $g))) (local.set $OW (i32.load offset=60 (local.get $g)))
  (local.set $khLo (i32.load offset=64 (local.get $g))) (local.set $khHi (i32.load offset=68 (local.get $g)))
  (local.set $inLo (i32.load offset=72 (local.get $g))) (local.set $inHi (i32.load offset=76 (local.get $g)))
  (if (local.get $exact) (then (local.set $inHi (local.get $inLo))))
  (local.set $sW8 (i32.shl (local.get $sW) (i32.const 3)))
  (local.set $pl (local.get $pl0))
  (block $pldone (loop $planes
    (br_if $pldone (i32.ge_u (local.get $pl) (local.get $pl1)))
    (local.set $oc (i32.rem_u (local.get $pl) (local.get $cout)))
    (local.set $plane (i32.mul (i32.add (i32.mul (i32.div_u (local.get $pl) (local.get $cout)) (local.get $C)) (i32.div_u (local.get $oc) (local.get $mult))) (i32.mul (local.get $H) (local.get $W))))
    (local.set $xp (i32.add (local.get $x) (i32.shl (local.get $plane) (i32.const 2))))
    (local.set $xp64 (i32.add (local.get $x64) (i32.shl (local.get $plane) (i32.const 3))))
    (local.set $wk (i32.add (local.get $w) (i32.shl (i32.mul (local.get $oc) (i32.mul (local.get $KH) (local.get $KW))) (i32.const 2))))
    (local.set $wk64 (i32.add (local.get $w64) (i32.shl (i32.mul (local.get $oc) (i32.mul (local.get $KH) (local.get $KW))) (i32.const 3))))
    (local.set $oh (i32.const 0))
    (loop $orows
      (local.set $kl (i32.load (i32.add (local.get $khLo) (i32.shl (local.get $oh) (i32.const 2)))))
      (local.set $kh (i32.load (i32.add (local.get $khHi) (i32.shl (local.get $oh) (i32.const 2)))))
      (local.set $ihBase (i32.sub (i32.mul (local.get $oh) (local.get $sH)) (local.get $pH)))
      (local.set $yrow (i32.add (local.get $y) (i32.shl (i32.mul (i32.add (i32.mul (local.get $pl) (local.get $OH)) (local.get $oh)) (local.get $OW)) (i32.const 2))))
      (call $dwOuts (local.get $yrow) (i32.const 0) (local.get $inLo) (local.get $xp) (local.get $wk) (local.get $ihBase) (local.get $kl) (local.get $kh)
        (local.get $W) (local.get $KW) (local.get $sW) (local.get $pW) (local.get $dW) (local.get $dH) (local.get $b) (local.get $oc) (i32.const 1))
      (local.set $ow (local.get $inLo))
      (block $vdone (loop $vec
        (local.set $at (call $groupAt (local.get $ow) (local.get $inLo) (local.get $inHi)))
        (br_if $vdone (i32.lt_s (local.get $at) (i32.const 0)))
        (local.set $ow (local.get $at))
        (local.set $lo (v128.const i32x4 0 0 0 0)) (local.set $hi (local.get $lo)) (local.set $flag (local.get $lo))
        (local.set $kk (local.get $kl))
        (block $kdone (loop $krows
          (br_if $kdone (i32.ge_s (local.get $kk) (local.get $kh)))
          (local.set $row (i32.add (local.get $xp64) (i32.shl (i32.add (i32.mul (i32.add (local.get $ihBase) (i32.mul (local.get $kk) (local.get $dH))) (local.get $W))
                                                                     (i32.sub (i32.mul (local.get $ow) (local.get $sW)) (local.get $pW))) (i32.const 3))))
          (local.set $kw (i32.const 0))
          (loop $kcols
            (local.set $q (v128.load64_splat (i32.add (local.get $wk64) (i32.shl (i32.add (i32.mul (local.get $kk) (local.get $KW)) (local.get $kw)) (i32.const 3)))))
            (if (i32.eq (local.get $sW) (i32.const 1))
              (then
                (local.set $t (f64x2.add (f64x2.mul (v128.load (local.get $row)) (local.get $q)) (local.get $lo)))
                (local.set $lo (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t))))
                (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
                (local.set $t (f64x2.add (f64x2.mul (v128.load offset=16 (local.get $row)) (local.get $q)) (local.get $hi)))
                (local.set $hi (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t))))
                (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000)))))
              (else
                (local.set $t (f64x2.add (f64x2.mul
                  (f64x2.replace_lane 1 (f64x2.splat (f64.load (local.get $row))) (f64.load (i32.add (local.get $row) (local.get $sW8))))
                  (local.get $q)) (local.get $lo)))
                (local.set $lo (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t))))
                (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))
                (local.set $t (f64x2.add (f64x2.mul
                  (f64x2.replace_lane 1 (f64x2.splat (f64.load (i32.add (local.get $row) (i32.shl (local.get $sW8) (i32.const 1)))))
                                        (f64.load (i32.add (local.get $row) (i32.mul (local.get $sW8) (i32.const 3)))))
                  (local.get $q)) (local.get $hi)))
                (local.set $hi (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t))))
                (local.set $flag (v128.or (local.get $flag) (i64x2.eq (v128.and (local.get $t) (v128.const i64x2 0x1fffffff 0x1fffffff)) (v128.const i64x2 0x10000000 0x10000000))))))
            (local.set $row (i32.add (local.get $row) (i32.shl (local.get $dW) (i32.const 3))))
            (br_if $kcols (i32.lt_u (local.tee $kw (i32.add (local.get $kw) (i32.const 1))) (local.get $KW))))
          (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
          (br $krows)))
        (if (v128.any_true (local.get $flag))
          (then
            (call $dwOuts (local.get $yrow) (local.get $ow) (i32.add (local.get $ow) (i32.const 4)) (local.get $xp) (local.get $wk) (local.get $ihBase) (local.get $kl) (local.get $kh)
              (local.get $W) (local.get $KW) (local.get $sW) (local.get $pW) (local.get $dW) (local.get $dH) (local.get $b) (local.get $oc) (i32.const 1)))
          (else
            (v128.store (i32.add (local.get $yrow) (i32.shl (local.get $ow) (i32.const 2)))
              (call $addBias (call $demote4 (local.get $lo) (local.get $hi)) (local.get $b) (local.get $oc)))))
        (local.set $ow (i32.add (local.get $ow) (i32.const 4)))
        (br $vec)))
      (call $dwOuts (local.get $yrow) (local.get $ow) (local.get $OW) (local.get $xp) (local.get $wk) (local.get $ihBase) (local.get $kl) (local.get $kh)
        (local.get $W) (local.get $KW) (local.get $sW) (local.get $pW) (local.get $dW) (local.get $dH) (local.get $b) (local.get $oc) (i32.const 1))
      (br_if $orows (i32.lt_u (local.tee $oh (i32.add (local.get $oh) (i32.const 1))) (local.get $OH))))
    (local.set $pl (i32.add (local.get $pl) (i32.const 1)))
    (br $planes))))

;; Planes [H][W] at $x → zero-padded planes [H + 2pH][W + 2pW] at $dst. With finite weights a
;; padded tap adds 0·w = ±0 to an accumulator that is never −0 (it starts at +0), which leaves
;; it unchanged (fused or not): the same bits as skipping the tap, and no borders to check.
(func (export "padPlanes") (param $x i32) (param $dst i32) (param $planes i32) (param $H i32) (param $W i32) (param $pH i32) (param $pW i32)
  (local $pl i32) (local $r i32) (local $W2 i32) (local $row4 i32)
  (local.set $W2 (i32.add (local.get $W) (i32.shl (local.get $pW) (i32.const 1))))
  (memory.fill (local.get $dst) (i32.const 0)
    (i32.shl (i32.mul (local.get $planes) (i32.mul (i32.add (local.get $H) (i32.shl (local.get $pH) (i32.const 1))) (local.get $W2))) (i32.const 2)))
  (local.set $row4 (i32.shl (local.get $W) (i32.const 2)))
  (local.set $dst (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $pH) (local.get $W2)) (local.get $pW)) (i32.const 2))))
  (block $done (loop $planesl
    (br_if $done (i32.ge_u (local.get $pl) (local.get $planes)))
    (local.set $r (i32.const 0))
    (loop $rows
      (memory.copy (local.get $dst) (local.get $x) (local.get $row4))
      (local.set $x (i32.add (local.get $x) (local.get $row4)))
      (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $W2) (i32.const 2))))
      (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $H))))
    ;; skip the bottom padding of this plane and the top padding of the next
    (local.set $dst (i32.add (local.get $dst) (i32.shl (i32.mul (i32.shl (local.get $pH) (i32.const 1)) (local.get $W2)) (i32.const 2))))
    (local.set $pl (i32.add (local.get $pl) (i32.const 1)))
    (br $planesl))))
