#!/usr/bin/env python3
"""PyTorch CUDA timings for bench/gpu.ts, measured in the same run as the WGSL kernels.

Usage: python3 scripts/torch_timings.py '<JSON list of kernel specs>'
Each spec: {"key": ..., "kind": "dwconv3x3"|"pwconv"|"groupnorm"|"relu"|"pool1"|"linear", shape fields}.
Prints one JSON object on stdout: {"available": true, "device", "torch", "timings": {key: ms}} or
{"available": false, "reason"}. fp32 with TF32 off; median of CUDA-event timed iterations.
"""
import json
import sys


def main() -> None:
    specs = json.loads(sys.argv[1]) if len(sys.argv) > 1 else []
    try:
        import torch
        import torch.nn.functional as F
    except Exception as e:  # noqa: BLE001 - any import failure means "no torch here"
        print(json.dumps({"available": False, "reason": f"torch not importable: {e}"}))
        return
    if not torch.cuda.is_available():
        print(json.dumps({"available": False, "reason": "torch has no CUDA device"}))
        return
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    dev = torch.device("cuda")
    torch.manual_seed(0)

    def timed(fn, iters=50, warmup=10):
        for _ in range(warmup):
            fn()
        torch.cuda.synchronize()
        times = []
        for _ in range(iters):
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            torch.cuda.synchronize()
            times.append(start.elapsed_time(end))
        times.sort()
        return times[len(times) // 2]

    timings = {}
    with torch.no_grad():
        for s in specs:
            kind = s["kind"]
            if kind == "linear":
                x = torch.randn(s["batch"], s["inF"], device=dev)
                w = torch.randn(s["outF"], s["inF"], device=dev)
                b = torch.randn(s["outF"], device=dev)
                fn = lambda x=x, w=w, b=b: F.linear(x, w, b)
            else:
                x = torch.randn(s["n"], s["c"], s["h"], s["w"], device=dev)
                c = s["c"]
                if kind == "dwconv3x3":
                    w = torch.randn(c, 1, 3, 3, device=dev)
                    b = torch.randn(c, device=dev)
                    fn = lambda x=x, w=w, b=b, c=c: F.conv2d(x, w, b, 1, 1, 1, c)
                elif kind == "pwconv":
                    w = torch.randn(s["cout"], c, 1, 1, device=dev)
                    b = torch.randn(s["cout"], device=dev)
                    fn = lambda x=x, w=w, b=b: F.conv2d(x, w, b)
                elif kind == "groupnorm":
                    w = torch.randn(c, device=dev)
                    b = torch.randn(c, device=dev)
                    fn = lambda x=x, w=w, b=b, g=s["groups"]: F.group_norm(x, g, w, b, 1e-5)
                elif kind == "relu":
                    fn = lambda x=x: F.relu(x)
                elif kind == "pool1":
                    fn = lambda x=x: F.adaptive_avg_pool2d(x, 1)
                else:
                    raise SystemExit(f"unknown kind {kind}")
            timings[s["key"]] = timed(fn)
    print(json.dumps({"available": True, "device": torch.cuda.get_device_name(0), "torch": torch.__version__, "timings": timings}))


if __name__ == "__main__":
    main()
