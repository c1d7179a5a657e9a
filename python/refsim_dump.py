#!/usr/bin/env python3
"""Dump one op invocation computed by PyTorch (MPS, CUDA or CPU) for `refsim check`.

The format (docs/check.md) is a safetensors file: an 8-byte little-endian header length, a JSON
header, then raw little-endian C-order tensor data. Tensors are named by refsim's input names (x,
weight, bias, ...; an absent optional input is missing) plus the backend's result as `output`;
`__metadata__` holds `op`, `params` (a JSON object in refsim's names), `device`, `source` and
`torch`. This file depends on torch only: it writes the format itself.

Library use (e.g. on a Mac):

    import torch, refsim_dump
    x = torch.randn(2, 32, 16, 16, device="mps")
    refsim_dump.dump("gn.safetensors", "groupNorm", {"numGroups": 8, "eps": 1e-5}, {"x": x},
                     torch.nn.functional.group_norm(x, 8, eps=1e-5))

Command line (seeded inputs, made on the CPU so every device sees the same values):

    python3 refsim_dump.py groupNorm --device mps --shape 2,32,16,16 --params '{"numGroups": 8}' -o gn.safetensors
    npx refsim check gn.safetensors
"""
import argparse
import json
import math
import os
import struct
import sys
import tempfile

import torch
import torch.nn.functional as F

DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}


def _pair(v):
    if isinstance(v, int):
        return [v, v]
    return [int(v[0]), int(v[0])] if len(v) == 1 else [int(v[0]), int(v[1])]


def _padding(v):
    """conv2d's padding: 'valid' and 'same' as they are, numbers as a pair."""
    return v if isinstance(v, str) else _pair(v)


def _depthwise(i, p):
    c = i["x"].shape[-3]
    return F.conv2d(i["x"], i["weight"], i.get("bias"), stride=_pair(p.get("stride", 1)),
                    padding=_padding(p.get("padding", 0)), dilation=_pair(p.get("dilation", 1)), groups=c)


def _block(i, p):
    t = F.conv2d(i["x"], i["dwWeight"], i.get("dwBias"), padding=1, groups=i["x"].shape[1])
    t = F.conv2d(t, i["pwWeight"], i.get("pwBias"))
    t = torch.relu(F.group_norm(t, p["numGroups"], i.get("gnWeight"), i.get("gnBias"), p.get("eps", 1e-5)))
    return F.linear(F.adaptive_avg_pool2d(t, 1).flatten(1), i["fcWeight"], i.get("fcBias"))


# refsim op name -> (input names in refsim's order, torch evaluation from (inputs, params)).
OPS = {
    "depthwiseConv2d": (("x", "weight", "bias"), _depthwise),
    "pointwiseConv2d": (("x", "weight", "bias"),
                        lambda i, p: F.conv2d(i["x"], i["weight"], i.get("bias"), padding=_padding(p.get("padding", 0)))),
    "groupNorm": (("x", "weight", "bias"),
                  lambda i, p: F.group_norm(i["x"], p["numGroups"], i.get("weight"), i.get("bias"), p.get("eps", 1e-5))),
    "relu": (("x",), lambda i, p: torch.relu(i["x"])),
    "adaptiveAvgPool2d": (("x",), lambda i, p: F.adaptive_avg_pool2d(i["x"], p["outputSize"])),
    "linear": (("x", "weight", "bias"), lambda i, p: F.linear(i["x"], i["weight"], i.get("bias"))),
    "depthwiseSeparableBlock": (("x", "dwWeight", "dwBias", "pwWeight", "pwBias", "gnWeight", "gnBias", "fcWeight", "fcBias"), _block),
}


def _raw_bytes(t):
    """Little-endian bytes of a float32/float16/bfloat16 tensor, row-major."""
    if sys.byteorder != "little":
        raise RuntimeError("refsim_dump writes little-endian data and needs a little-endian host")
    u8 = t.detach().to("cpu").contiguous().reshape(-1).view(torch.uint8)  # 1-D first: a 0-d tensor has no bytes view
    try:
        return u8.numpy().tobytes()
    except (RuntimeError, TypeError, ImportError):  # torch built without numpy
        return bytes(u8.tolist())


def _device_name(t):
    d = t.device
    return d.type if d.index is None else "%s:%d" % (d.type, d.index)


def dump(path, op, params, inputs, output, device=None, source=None, metadata=None):
    """Write `op(**inputs, **params) -> output` to `path` (atomically: temp file + rename).

    inputs: refsim input name -> tensor (None or absent for an absent optional input).
    params: the op's parameters in refsim's names, e.g. {"numGroups": 8, "eps": 1e-5}.
    device: defaults to the output tensor's device ("cpu", "cuda:0", "mps").
    """
    if op not in OPS:
        raise ValueError("unknown op %r; refsim ops: %s" % (op, ", ".join(OPS)))
    names = OPS[op][0]
    unknown = [k for k in inputs if k not in names]
    if unknown:
        raise ValueError("%s takes inputs %s, not %s" % (op, ", ".join(names), ", ".join(unknown)))
    tensors = [(k, inputs[k]) for k in names if inputs.get(k) is not None] + [("output", output)]
    header, blobs, offset = {}, [], 0
    for name, t in tensors:
        if t.dtype not in DTYPES:
            raise ValueError("tensor %s has dtype %s; refsim reads float32 (float16/bfloat16 are widened)" % (name, t.dtype))
        data = _raw_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    meta = {"op": op, "params": json.dumps(params), "device": device or _device_name(output),
            "source": source or "python/refsim_dump.py", "torch": torch.__version__}
    meta.update({k: str(v) for k, v in (metadata or {}).items()})
    header["__metadata__"] = meta
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".safetensors", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(text)))
            f.write(text)
            for b in blobs:
                f.write(b)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def run(op, params, inputs, device):
    """Evaluate `op` on `device` with TF32 off; inputs are moved there, the output comes back as is."""
    if hasattr(torch.backends, "cuda"):
        torch.backends.cuda.matmul.allow_tf32 = False
    if hasattr(torch.backends, "cudnn"):
        torch.backends.cudnn.allow_tf32 = False
    moved = {k: (None if v is None else v.to(device)) for k, v in inputs.items()}
    with torch.no_grad():
        return OPS[op][1](moved, params)


def _ints(text):
    return [int(s) for s in text.split(",") if s.strip()]


def make_inputs(op, shape, params, seed, mean=0.0, std=1.0, weight=True, bias=True,
                kernel=(3, 3), multiplier=1, out_features=16):
    """Seeded float32 inputs on the CPU for `op` with x of `shape` (weights scaled like a real layer)."""
    g = torch.Generator().manual_seed(seed)

    def randn(*s, scale=1.0, offset=0.0):
        return torch.randn(*s, generator=g, dtype=torch.float32) * scale + offset

    x = randn(*shape, scale=std, offset=mean)
    i = {"x": x}
    if op == "depthwiseConv2d":
        c = shape[-3]
        i["weight"] = randn(c * multiplier, 1, kernel[0], kernel[1], scale=0.5)
        i["bias"] = randn(c * multiplier) if bias else None
    elif op == "pointwiseConv2d":
        c = shape[-3]
        i["weight"] = randn(out_features, c, 1, 1, scale=1.0 / math.sqrt(c))
        i["bias"] = randn(out_features) if bias else None
    elif op == "groupNorm":
        c = shape[1]
        i["weight"] = randn(c, scale=0.5, offset=1.0) if weight else None
        i["bias"] = randn(c, scale=0.5) if bias else None
    elif op == "linear":
        fin = shape[-1]
        i["weight"] = randn(out_features, fin, scale=1.0 / math.sqrt(fin))
        i["bias"] = randn(out_features) if bias else None
    elif op not in ("relu", "adaptiveAvgPool2d"):
        raise ValueError("the command line makes inputs for the six ops; call dump() for %s" % op)
    return i


def main(argv=None):
    ap = argparse.ArgumentParser(description="Run one op on a torch device with seeded inputs and dump it for `refsim check`.")
    ap.add_argument("op", choices=[k for k in OPS if k != "depthwiseSeparableBlock"])
    ap.add_argument("-o", "--out", required=True, help="the .safetensors file to write")
    ap.add_argument("--device", default="cpu", help="torch device: cpu, cuda, mps (default cpu)")
    ap.add_argument("--shape", required=True, help="x's shape, e.g. 2,32,16,16")
    ap.add_argument("--params", default="{}", help='the op\'s refsim params as JSON, e.g. \'{"numGroups": 8}\'')
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mean", type=float, default=0.0, help="x ~ mean + std * N(0, 1)")
    ap.add_argument("--std", type=float, default=1.0)
    ap.add_argument("--no-weight", action="store_true", help="groupNorm without weight")
    ap.add_argument("--no-bias", action="store_true")
    ap.add_argument("--kernel", default="3,3", help="depthwiseConv2d kernel size kh,kw")
    ap.add_argument("--multiplier", type=int, default=1, help="depthwiseConv2d channel multiplier")
    ap.add_argument("--out-features", type=int, default=16, help="pointwiseConv2d output channels / linear outputs")
    a = ap.parse_args(argv)
    params = json.loads(a.params)
    inputs = make_inputs(a.op, _ints(a.shape), params, a.seed, a.mean, a.std, not a.no_weight, not a.no_bias,
                         _ints(a.kernel), a.multiplier, a.out_features)
    y = run(a.op, params, inputs, a.device)
    dump(a.out, a.op, params, inputs, y, metadata={"seed": a.seed})
    print("wrote %s: %s %s on %s -> output %s" % (a.out, a.op, json.dumps(params), _device_name(y), list(y.shape)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
