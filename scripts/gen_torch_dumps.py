#!/usr/bin/env python3
"""Generate fixtures/torch/: real PyTorch dumps for `refsim check`, one safetensors file per case.

Usage:  python3 scripts/gen_torch_dumps.py OUTPUT_DIR [DEVICE ...]     (default devices: cpu, and cuda
        when available); writes OUTPUT_DIR/<device>/<op>-<case>.safetensors with python/refsim_dump.py.

Every op over a spread of shapes: channel multipliers, bias and no bias, non-divisible adaptive
pooling windows, long reductions, groupNorm of rank 2, 3 and 4 with and without affine,
ill-conditioned groupNorm (a mean far larger than the spread), and PyTorch's other input forms
(unbatched, 'same' padding, ranks 0, 1, 3 and 5, outputSize with None, a 1-D linear weight).
float32 with TF32 off; otherwise PyTorch's defaults (threads, oneDNN, cuDNN heuristics), as a user
would run it. Inputs are made on the CPU from fixed seeds, so every device sees the same values.
The torch version is in each dump's metadata.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import refsim_dump  # noqa: E402

# name, op, x shape, params, make_inputs options
CASES = [
    ("dw-k3-bias", "depthwiseConv2d", [1, 3, 6, 7], {"stride": [1, 1], "padding": [1, 1], "dilation": [1, 1]}, {}),
    ("dw-m2-k3x5-stride", "depthwiseConv2d", [2, 4, 9, 8], {"stride": [2, 1], "padding": [1, 2], "dilation": [1, 1]},
     {"kernel": (3, 5), "multiplier": 2, "bias": False}),
    ("dw-dilated", "depthwiseConv2d", [1, 8, 10, 10], {"stride": [1, 1], "padding": [2, 2], "dilation": [2, 2]}, {}),
    ("dw-m3-k2-nopad", "depthwiseConv2d", [1, 4, 12, 12], {"stride": [2, 2], "padding": [0, 0], "dilation": [1, 1]},
     {"kernel": (2, 2), "multiplier": 3, "bias": False}),
    ("dw-mobilenet", "depthwiseConv2d", [1, 32, 14, 14], {"stride": [1, 1], "padding": [1, 1], "dilation": [1, 1]}, {}),
    ("pw-16-32", "pointwiseConv2d", [1, 16, 8, 8], {}, {"out_features": 32}),
    ("pw-64-24-nobias", "pointwiseConv2d", [2, 64, 5, 5], {}, {"out_features": 24, "bias": False}),
    ("pw-512-long", "pointwiseConv2d", [1, 512, 3, 3], {}, {"out_features": 16}),
    ("pw-3-1", "pointwiseConv2d", [1, 3, 5, 5], {}, {"out_features": 1}),
    ("gn-affine", "groupNorm", [2, 32, 6, 6], {"numGroups": 8, "eps": 1e-5}, {}),
    ("gn-plain", "groupNorm", [1, 16, 9, 9], {"numGroups": 4, "eps": 1e-5}, {"weight": False, "bias": False}),
    ("gn-weight-only", "groupNorm", [2, 8, 5, 5], {"numGroups": 2, "eps": 1e-3}, {"bias": False}),
    ("gn-rank3", "groupNorm", [2, 6, 20], {"numGroups": 3, "eps": 1e-5}, {}),
    ("gn-rank2", "groupNorm", [4, 8], {"numGroups": 2, "eps": 1e-5}, {}),
    ("gn-mean1000", "groupNorm", [1, 8, 8, 8], {"numGroups": 2, "eps": 1e-5}, {"mean": 1000.0, "std": 1.0}),
    ("gn-mean100-n512", "groupNorm", [1, 8, 8, 8], {"numGroups": 1, "eps": 1e-5}, {"mean": 100.0, "std": 1.0}),
    ("relu-random", "relu", [2, 3, 4, 5], {}, {}),
    ("pool-3x3-nondivisible", "adaptiveAvgPool2d", [1, 3, 10, 10], {"outputSize": [3, 3]}, {}),
    ("pool-4x5", "adaptiveAvgPool2d", [2, 4, 7, 9], {"outputSize": [4, 5]}, {}),
    ("pool-global", "adaptiveAvgPool2d", [1, 8, 14, 14], {"outputSize": [1, 1]}, {}),
    ("pool-upsample", "adaptiveAvgPool2d", [1, 2, 5, 5], {"outputSize": [7, 7]}, {}),
    ("pool-56-to-7", "adaptiveAvgPool2d", [1, 4, 56, 56], {"outputSize": [7, 7]}, {}),
    ("linear-64-32", "linear", [4, 64], {}, {"out_features": 32}),
    ("linear-300-nobias", "linear", [2, 300], {}, {"out_features": 16, "bias": False}),
    ("linear-2048-long", "linear", [4, 2048], {}, {"out_features": 8}),
    ("linear-3-5", "linear", [1, 3], {}, {"out_features": 5}),
]

# PyTorch's other forms (docs/shapes.md): unbatched inputs, 'same' padding (asymmetric for an even
# kernel extent), a padded 1×1 convolution, rank-5 groupNorm, outputSize with None, linear of rank 3
# and 1. Same tuple layout as CASES.
FORM_CASES = [
    ("form-dw-unbatched-same-even", "depthwiseConv2d", [4, 9, 8], {"padding": "same"}, {"kernel": (2, 4)}),
    ("form-dw-same-dilated", "depthwiseConv2d", [1, 3, 11, 10], {"padding": "same", "dilation": [2, 1]},
     {"kernel": (4, 3), "multiplier": 2}),
    ("form-dw-valid-int-stride", "depthwiseConv2d", [2, 3, 9, 9], {"padding": "valid", "stride": 2}, {}),
    ("form-pw-unbatched-padded", "pointwiseConv2d", [6, 5, 4], {"padding": [1, 2]}, {"out_features": 7}),
    ("form-gn-rank5", "groupNorm", [2, 6, 3, 4, 5], {"numGroups": 3, "eps": 1e-5}, {}),
    ("form-pool-none", "adaptiveAvgPool2d", [2, 3, 9, 10], {"outputSize": [None, 4]}, {}),
    ("form-pool-int-unbatched", "adaptiveAvgPool2d", [3, 10, 7], {"outputSize": 3}, {}),
    ("form-linear-rank3", "linear", [2, 7, 64], {}, {"out_features": 24}),
    ("form-linear-rank1", "linear", [33], {}, {"out_features": 5}),
    ("form-relu-rank5", "relu", [2, 1, 3, 1, 2], {}, {}),
]

RELU_SPECIALS = [0.0, -0.0, float("nan"), float("inf"), -float("inf"), 1e-45, -1e-45, 1e-40, -1e-40,
                 3.4e38, -3.4e38, 1.0, -1.0, 1.17549435e-38, -1.17549435e-38, 2.5]


def block_inputs(seed, n, cin, h, w, cout, classes):
    g = torch.Generator().manual_seed(seed)

    def randn(*s, scale=1.0, offset=0.0):
        return torch.randn(*s, generator=g, dtype=torch.float32) * scale + offset

    return {
        "x": randn(n, cin, h, w), "dwWeight": randn(cin, 1, 3, 3, scale=0.5), "dwBias": randn(cin, scale=0.1),
        "pwWeight": randn(cout, cin, 1, 1, scale=cin ** -0.5), "pwBias": randn(cout, scale=0.1),
        "gnWeight": randn(cout, scale=0.2, offset=1.0), "gnBias": randn(cout, scale=0.2),
        "fcWeight": randn(classes, cout, scale=cout ** -0.5), "fcBias": randn(classes, scale=0.1),
    }


def generate(out_dir, device):
    os.makedirs(os.path.join(out_dir, device), exist_ok=True)
    meta = {"generator": "scripts/gen_torch_dumps.py", "tf32": "off", "threads": torch.get_num_threads()}
    jobs = []
    for k, (name, op, shape, params, opts) in enumerate(CASES):
        jobs.append((name, op, params, refsim_dump.make_inputs(op, shape, params, seed=100 + k, **opts)))
    for k, (name, op, shape, params, opts) in enumerate(FORM_CASES):
        jobs.append((name, op, params, refsim_dump.make_inputs(op, shape, params, seed=300 + k, **opts)))
    g = torch.Generator().manual_seed(400)
    # linear with a 1-D weight and a 0-D bias: the output drops the last dim.
    jobs.append(("form-linear-vector-weight", "linear", {}, {"x": torch.randn(3, 4, 10, generator=g), "weight": torch.randn(10, generator=g),
                                                            "bias": torch.randn((), generator=g)}))
    jobs.append(("form-relu-scalar", "relu", {}, {"x": torch.tensor(-0.75)}))
    jobs.append(("relu-specials", "relu", {}, {"x": torch.tensor(RELU_SPECIALS, dtype=torch.float32).reshape(1, 1, 4, 4)}))
    for k, (n, cin, h, w, cout, groups, classes) in enumerate([(1, 3, 6, 6, 4, 2, 5), (2, 8, 8, 8, 16, 4, 10)]):
        jobs.append(("block-%d" % k, "depthwiseSeparableBlock", {"numGroups": groups, "eps": 1e-5},
                     block_inputs(500 + k, n, cin, h, w, cout, classes)))
    for name, op, params, inputs in jobs:
        y = refsim_dump.run(op, params, inputs, device)
        path = os.path.join(out_dir, device, "%s.safetensors" % name)
        refsim_dump.dump(path, op, params, inputs, y, metadata=meta)
        print("wrote %s" % path)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: python3 scripts/gen_torch_dumps.py OUTPUT_DIR [DEVICE ...]\n")
        return 2
    devices = argv[2:] or (["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"])
    for device in devices:
        generate(argv[1], device)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
