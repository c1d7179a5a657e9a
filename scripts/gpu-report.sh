#!/usr/bin/env bash
# What the lead runs on the GPU machine: `bash .device/on-gpu.sh bash scripts/gpu-report.sh $OUT`.
# Probe (text + JSON), the GPU tests on the Vulkan backend, the GPU benchmark and the stress soak,
# every output teed into OUT_DIR (default ./out/gpu-report). Each step runs even if an earlier one
# failed; the exit status is that of the first failing step.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/gpu-report}"
mkdir -p "$out"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/refsim-xdg}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export REFSIM_BACKEND="${REFSIM_BACKEND:-vulkan}"
status=0
# REFSIM_REPORT_ONLY="soak-separate-process soak-shared-process" runs only the named steps (e.g. to fit a time limit).
step() {
  local name=$1; shift
  if [ -n "${REFSIM_REPORT_ONLY:-}" ] && [[ " $REFSIM_REPORT_ONLY " != *" $name "* ]]; then return; fi
  echo "== $name: $*" | tee -a "$out/summary.txt"
  "$@" 2>&1 | tee "$out/$name.txt"
  local rc=${PIPESTATUS[0]}
  echo "== $name: exit $rc" | tee -a "$out/summary.txt"
  [ "$rc" = 0 ] || [ "$status" != 0 ] || status=$rc
}
# Steps that run only when named in REFSIM_REPORT_ONLY (their rows are part of a full run's steps).
named_step() {
  if [[ " ${REFSIM_REPORT_ONLY:-} " != *" $1 "* ]]; then return; fi
  step "$@"
}
{ date -u; uname -a; node --version; nvidia-smi 2>/dev/null || true; } > "$out/machine.txt" 2>&1
step probe node bin/refsim.js probe --backend "$REFSIM_BACKEND"
step probe-json sh -c "node bin/refsim.js probe --backend '$REFSIM_BACKEND' --json > '$out/probe.json'"
# The GPU machine has node but not npm/npx (the packed .device holds only the node binary), so
# tools are started through node directly.
step gpu-tests env REFSIM_REQUIRE_GPU=1 node node_modules/vitest/vitest.mjs run test/gpu test/ops test/stress
step stress-separate node bin/refsim.js stress --threads 4 --ops 120 --seed 7 --backend "$REFSIM_BACKEND" --fixtures "$out/fixtures"
step stress-shared node bin/refsim.js stress --threads 4 --ops 120 --seed 7 --mode shared --backend "$REFSIM_BACKEND" --fixtures "$out/fixtures"
# REFSIM_BENCH_ARGS=--quick makes a smoke run on a software adapter.
step bench-gpu node --import tsx bench/gpu.ts --backend "$REFSIM_BACKEND" ${REFSIM_BENCH_ARGS:-}
# The GEMM and seed-form work alone (REFSIM_REPORT_ONLY="gpu-tests-speed bench-speed", a few
# minutes): the GEMM, k-order, round-trip and stress tests, then the GEMM rows (every tile
# configuration against PyTorch, outputs spot-checked), Dawn's round trips and the seed's stress
# form, written to OUT_DIR/RESULTS-gpu-speed.md.
named_step gpu-tests-speed env REFSIM_REQUIRE_GPU=1 node node_modules/vitest/vitest.mjs run \
  test/gpu/gemmTiles.test.ts test/gpu/gemmOrder.test.ts test/ops/linear/kernel.test.ts test/ops/pointwiseConv2d/kernel.test.ts \
  test/ops/depthwiseSeparableBlock/kernel.test.ts test/gpu/roundTrip.test.ts test/stress/gpu.test.ts
named_step bench-speed node --import tsx bench/gpu.ts --backend "$REFSIM_BACKEND" gemm latency seed --results "$out/RESULTS-gpu-speed.md" ${REFSIM_BENCH_ARGS:-}
# The soak: the seed's form (4 threads x 120 ops, one op per submission) REFSIM_SOAK_RUNS times
# (default 50) with seeds 1, 2, ... per mode and isolation: process (each device in a child process,
# the default) and thread (devices in the run's threads, as when the first crash was seen; each run
# in a process of its own). Each writes its generated section (outcome counts, crash rate) into
# bench/RESULTS-gpu.md after the benchmark has rewritten that file, and its in-flight fixtures into
# OUT_DIR/fixtures-soak. Steps: soak-separate-process, soak-shared-process, soak-separate-thread,
# soak-shared-thread.
soak_runs="${REFSIM_SOAK_RUNS:-50}"
for isolation in process thread; do
  for mode in separate shared; do
    step "soak-$mode-$isolation" node bin/refsim.js stress --repeat "$soak_runs" --mode "$mode" --isolation "$isolation" \
      --threads 4 --ops 120 --batch 1 --seed 1 --backend "$REFSIM_BACKEND" --fixtures "$out/fixtures-soak" --results-md bench/RESULTS-gpu.md
  done
done
[ -f bench/RESULTS-gpu.md ] && cp bench/RESULTS-gpu.md "$out/"
exit "$status"
