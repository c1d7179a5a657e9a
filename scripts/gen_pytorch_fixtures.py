#!/usr/bin/env python3
"""Generate PyTorch-parity fixtures for mps-refsim's six CNN ops and the depthwise-separable block.

Usage:  python3 scripts/gen_pytorch_fixtures.py OUTPUT_DIR      (e.g. fixtures/pytorch)

Writes OUTPUT_DIR/<op>.json, one file per op, each a handful of cases: the inputs and PyTorch's
output as exact float32 bit patterns (8 hex digits each), with the op's parameters in the same JSON
form as the TypeScript op registry (src/ops/registry.ts) and the torch version that produced them.
The schema is src/ops/pytorchFixture.ts; test/reference/pytorchParity.test.ts checks the reference
against these outputs within the derived error bounds (docs/error-bounds.md).

Deterministic: fixed generator seeds, PyTorch CPU float32 only, one thread, deterministic
algorithms, oneDNN (mkldnn) off so convolutions use the plain float32 path, TF32 off and matmul
precision 'highest'. Pure python3 + torch; runs in a few seconds. Each file is written to a
temporary name and renamed, so an interrupted run leaves no half-written fixture.
"""
import json
import math
import os
import sys
import tempfile

import torch
import torch.nn.functional as F

FORMAT_VERSION = 1


def configure_torch():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.set_float32_matmul_precision("highest")
    torch.backends.mkldnn.enabled = False
    if hasattr(torch.backends, "cuda"):
        torch.backends.cuda.matmul.allow_tf32 = False
    if hasattr(torch.backends, "cudnn"):
        torch.backends.cudnn.allow_tf32 = False


def hex_bits(t):
    """Exact float32 bit patterns of a tensor, row-major, as 8-digit lower-case hex strings."""
    t = t.detach().to(device="cpu", dtype=torch.float32).contiguous()
    ints = t.view(torch.int32).reshape(-1).tolist()
    return ["%08x" % (v & 0xFFFFFFFF) for v in ints]


def enc(t):
    if t is None:
        return None
    return {"shape": list(t.shape), "hex": hex_bits(t)}


class Gen:
    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)

    def randn(self, *shape, scale=1.0, offset=0.0):
        return (torch.randn(*shape, generator=self.g, dtype=torch.float32) * scale + offset).to(torch.float32)


def pair(v):
    return [v, v] if isinstance(v, int) else list(v)


def depthwise_cases(gen):
    specs = [
        # N, C, H, W, multiplier, (kh, kw), stride, padding, dilation, bias
        (1, 3, 6, 7, 1, (3, 3), 1, 1, 1, True),
        (2, 2, 9, 8, 2, (3, 5), (2, 1), (1, 2), 1, False),
        (1, 4, 10, 10, 1, (3, 3), 1, 2, 2, True),
        (1, 2, 5, 6, 3, (2, 2), (1, 2), 0, (1, 2), True),
        (1, 1, 4, 4, 1, (5, 5), 1, 2, 1, True),
    ]
    out = []
    for n, c, h, w, m, (kh, kw), stride, padding, dilation, has_bias in specs:
        x = gen.randn(n, c, h, w)
        weight = gen.randn(c * m, 1, kh, kw, scale=0.5)
        bias = gen.randn(c * m) if has_bias else None
        y = F.conv2d(x, weight, bias, stride=pair(stride), padding=pair(padding), dilation=pair(dilation), groups=c)
        out.append({
            "params": {"stride": pair(stride), "padding": pair(padding), "dilation": pair(dilation)},
            "inputs": {"x": enc(x), "weight": enc(weight), "bias": enc(bias)},
            "output": enc(y),
        })
    return out


def pointwise_cases(gen):
    specs = [(1, 8, 4, 5, 6, True), (2, 33, 3, 3, 4, False), (1, 64, 2, 2, 16, True), (1, 3, 1, 7, 1, True)]
    out = []
    for n, cin, h, w, cout, has_bias in specs:
        x = gen.randn(n, cin, h, w)
        weight = gen.randn(cout, cin, 1, 1, scale=1.0 / math.sqrt(cin))
        bias = gen.randn(cout) if has_bias else None
        y = F.conv2d(x, weight, bias)
        out.append({"params": {"padding": 0}, "inputs": {"x": enc(x), "weight": enc(weight), "bias": enc(bias)}, "output": enc(y)})
    return out


def group_norm_cases(gen):
    specs = [
        # N, C, H, W, groups, affine, eps, scale, offset
        (1, 4, 3, 3, 2, True, 1e-5, 1.0, 0.0),
        (2, 6, 4, 5, 3, False, 1e-5, 2.0, 0.0),
        (1, 8, 5, 5, 1, True, 1e-3, 1.0, 0.0),
        (1, 4, 6, 6, 4, True, 1e-5, 0.5, 100.0),
        (1, 2, 17, 19, 2, True, 1e-5, 1.0, 3.0),
    ]
    out = []
    for n, c, h, w, groups, affine, eps, scale, offset in specs:
        x = gen.randn(n, c, h, w, scale=scale, offset=offset)
        weight = gen.randn(c, scale=0.5, offset=1.0) if affine else None
        bias = gen.randn(c, scale=0.5) if affine else None
        y = F.group_norm(x, groups, weight, bias, eps)
        out.append({
            "params": {"numGroups": groups, "eps": eps},
            "inputs": {"x": enc(x), "weight": enc(weight), "bias": enc(bias)},
            "output": enc(y),
        })
    return out


def relu_cases(gen):
    specials = torch.tensor(
        [0.0, -0.0, float("nan"), float("inf"), -float("inf"), 1e-45, -1e-45, 1e-40, -1e-40,
         3.4e38, -3.4e38, 1.0, -1.0, 1.17549435e-38, -1.17549435e-38, 2.5],
        dtype=torch.float32,
    ).reshape(1, 1, 4, 4)
    out = []
    for x in [gen.randn(2, 3, 4, 5), specials]:
        out.append({"params": {}, "inputs": {"x": enc(x)}, "output": enc(torch.relu(x))})
    return out


def pool_cases(gen):
    specs = [
        # N, C, H, W, (oh, ow)
        (1, 2, 7, 9, (3, 4)),
        (1, 3, 5, 5, (1, 1)),
        (2, 1, 3, 4, (5, 7)),
        (1, 2, 20, 24, (2, 3)),
        (1, 1, 40, 40, (1, 1)),
    ]
    out = []
    for n, c, h, w, (oh, ow) in specs:
        x = gen.randn(n, c, h, w)
        y = F.adaptive_avg_pool2d(x, (oh, ow))
        out.append({"params": {"outputSize": [oh, ow]}, "inputs": {"x": enc(x)}, "output": enc(y)})
    return out


def linear_cases(gen):
    specs = [(2, 5, 3, True), (1, 64, 10, True), (3, 300, 4, False), (1, 1, 1, True)]
    out = []
    for n, fin, fout, has_bias in specs:
        x = gen.randn(n, fin)
        weight = gen.randn(fout, fin, scale=1.0 / math.sqrt(fin))
        bias = gen.randn(fout) if has_bias else None
        y = F.linear(x, weight, bias)
        out.append({"params": {}, "inputs": {"x": enc(x), "weight": enc(weight), "bias": enc(bias)}, "output": enc(y)})
    return out


def block_cases(gen):
    specs = [
        # N, Cin, H, W, Cout, groups, classes
        (1, 3, 6, 6, 4, 2, 5),
        (2, 4, 5, 7, 8, 4, 3),
        (1, 8, 8, 8, 16, 4, 10),
    ]
    out = []
    for n, cin, h, w, cout, groups, classes in specs:
        eps = 1e-5
        x = gen.randn(n, cin, h, w)
        dw_w = gen.randn(cin, 1, 3, 3, scale=0.5)
        dw_b = gen.randn(cin, scale=0.1)
        pw_w = gen.randn(cout, cin, 1, 1, scale=1.0 / math.sqrt(cin))
        pw_b = gen.randn(cout, scale=0.1)
        gn_w = gen.randn(cout, scale=0.2, offset=1.0)
        gn_b = gen.randn(cout, scale=0.2)
        fc_w = gen.randn(classes, cout, scale=1.0 / math.sqrt(cout))
        fc_b = gen.randn(classes, scale=0.1)
        t = F.conv2d(x, dw_w, dw_b, stride=1, padding=1, groups=cin)
        t = F.conv2d(t, pw_w, pw_b)
        t = F.group_norm(t, groups, gn_w, gn_b, eps)
        t = torch.relu(t)
        t = F.adaptive_avg_pool2d(t, 1).flatten(1)
        y = F.linear(t, fc_w, fc_b)
        out.append({
            "params": {"numGroups": groups, "eps": eps},
            "inputs": {
                "x": enc(x), "dwWeight": enc(dw_w), "dwBias": enc(dw_b), "pwWeight": enc(pw_w), "pwBias": enc(pw_b),
                "gnWeight": enc(gn_w), "gnBias": enc(gn_b), "fcWeight": enc(fc_w), "fcBias": enc(fc_b),
            },
            "output": enc(y),
        })
    return out


OPS = [
    ("depthwiseConv2d", depthwise_cases),
    ("pointwiseConv2d", pointwise_cases),
    ("groupNorm", group_norm_cases),
    ("relu", relu_cases),
    ("adaptiveAvgPool2d", pool_cases),
    ("linear", linear_cases),
    ("depthwiseSeparableBlock", block_cases),
]


def write_atomic(path, obj):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=directory)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(obj, f, indent=1)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: python3 scripts/gen_pytorch_fixtures.py OUTPUT_DIR\n")
        return 2
    out_dir = argv[1]
    os.makedirs(out_dir, exist_ok=True)
    configure_torch()
    settings = {
        "device": "cpu",
        "dtype": "float32",
        "numThreads": torch.get_num_threads(),
        "deterministic": True,
        "mkldnn": bool(torch.backends.mkldnn.enabled),
        "float32MatmulPrecision": torch.get_float32_matmul_precision(),
    }
    for index, (op, make) in enumerate(OPS):
        cases = make(Gen(1000 + index))
        doc = {
            "format": FORMAT_VERSION,
            "op": op,
            "torchVersion": torch.__version__,
            "generator": "scripts/gen_pytorch_fixtures.py",
            "settings": settings,
            "cases": cases,
        }
        path = os.path.join(out_dir, op + ".json")
        write_atomic(path, doc)
        print("wrote %s (%d cases)" % (path, len(cases)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
