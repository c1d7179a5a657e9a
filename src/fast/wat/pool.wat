;; adaptiveAvgPool2d: y = treeSum(window in row-major order) ⊘ n (n as float32), windows
;; [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) × likewise (docs/evaluation-order.md). Parameter block $pb (i32):
;; 0 H, 1 W, 2 OH, 3 OW, then the tables r0[OH], r1[OH], c0[OW], c1[OW]. Planes [p0, p1) of the
;; n·C planes: threads split planes.
(func (export "adaptiveAvgPool") (param $x i32) (param $y i32) (param $pb i32) (param $lanes i32) (param $p0 i32) (param $p1 i32)
  (local $H i32) (local $W i32) (local $OH i32) (local $OW i32) (local $r0 i32) (local $r1 i32) (local $c0 i32) (local $c1 i32)
  (local $pl i32) (local $i i32) (local $j i32) (local $rows i32) (local $cols i32) (local $row0 i32) (local $col0 i32) (local $base i32) (local $out i32)
  (local.set $H (i32.load offset=0 (local.get $pb))) (local.set $W (i32.load offset=4 (local.get $pb)))
  (local.set $OH (i32.load offset=8 (local.get $pb))) (local.set $OW (i32.load offset=12 (local.get $pb)))
  (local.set $r0 (i32.add (local.get $pb) (i32.const 16)))
  (local.set $r1 (i32.add (local.get $r0) (i32.shl (local.get $OH) (i32.const 2))))
  (local.set $c0 (i32.add (local.get $r1) (i32.shl (local.get $OH) (i32.const 2))))
  (local.set $c1 (i32.add (local.get $c0) (i32.shl (local.get $OW) (i32.const 2))))
  (local.set $out (i32.add (local.get $y) (i32.shl (i32.mul (local.get $p0) (i32.mul (local.get $OH) (local.get $OW))) (i32.const 2))))
  (local.set $pl (local.get $p0))
  (block $pdone (loop $planes
    (br_if $pdone (i32.ge_u (local.get $pl) (local.get $p1)))
    (local.set $base (i32.add (local.get $x) (i32.shl (i32.mul (local.get $pl) (i32.mul (local.get $H) (local.get $W))) (i32.const 2))))
    (local.set $i (i32.const 0))
    (loop $orows
      (local.set $row0 (i32.load (i32.add (local.get $r0) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $rows (i32.sub (i32.load (i32.add (local.get $r1) (i32.shl (local.get $i) (i32.const 2)))) (local.get $row0)))
      (local.set $j (i32.const 0))
      (loop $ocols
        (local.set $col0 (i32.load (i32.add (local.get $c0) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $cols (i32.sub (i32.load (i32.add (local.get $c1) (i32.shl (local.get $j) (i32.const 2)))) (local.get $col0)))
        (f32.store (local.get $out)
          (f32.div
            (call $treeSumWindow (i32.add (local.get $base) (i32.shl (i32.add (i32.mul (local.get $row0) (local.get $W)) (local.get $col0)) (i32.const 2)))
              (local.get $W) (local.get $rows) (local.get $cols) (local.get $lanes))
            (f32.convert_i32_u (i32.mul (local.get $rows) (local.get $cols)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $ocols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $OW))))
      (br_if $orows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $OH))))
    (local.set $pl (i32.add (local.get $pl) (i32.const 1)))
    (br $planes))))
