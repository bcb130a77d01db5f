#!/usr/bin/python3
"""Writes the PyTorch parity fixtures read by PyTorchParityTest (core/src/test/resources/fixtures/parity/).

Each case is one .safetensors file holding float32 inputs, weights, the forward output, a random
upstream gradient ("grad_out") and the gradient of every input/weight ("grad_<name>"). References
are computed in float64 from float32-representable inputs, then stored as float32, so the stored
values are the correctly rounded answers. Also writes one .npy file with numpy's own writer.

Run from the repository root with Debian's torch:  /usr/bin/python3 core/src/test/python/make_parity_fixtures.py
Tests never need Python; rerun only when adding cases.
"""
import json
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "parity")


def write_safetensors(path, tensors, metadata):
    """Minimal safetensors writer (the safetensors package is not in Debian): header JSON, 8-byte aligned data."""
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        a = t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
        if a.dtype == np.float32 or a.dtype == np.float64:
            a, code = a.astype("<f4"), "F32"
        elif a.dtype == np.int64:
            a, code = a.astype("<i8"), "I64"
        else:
            raise ValueError(f"{name}: unexpected dtype {a.dtype}")
        raw = np.ascontiguousarray(a).tobytes()
        header[name] = {"dtype": code, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for raw in blobs:
            f.write(raw)


def f32(*shape, scale=1.0, offset=0.0):
    """Random float32 values, returned as float64 leaves so the reference is computed in double."""
    return (torch.randn(*shape, dtype=torch.float32) * scale + offset).double().requires_grad_(True)


def case(name, call, inputs, metadata, extra=None, grad_names=None):
    """Runs call(**inputs) in float64, backpropagates a random upstream gradient and writes the file."""
    out = call(**inputs)
    grad_out = torch.randn(out.shape, dtype=torch.float32).double()
    diff = [k for k, v in inputs.items() if isinstance(v, torch.Tensor) and v.requires_grad]
    if grad_names is not None:
        diff = [k for k in diff if k in grad_names]
    grads = torch.autograd.grad(out, [inputs[k] for k in diff], grad_out, allow_unused=False)
    tensors = {}
    for k, v in inputs.items():
        if isinstance(v, torch.Tensor):
            tensors[k] = v
    tensors["out"] = out
    tensors["grad_out"] = grad_out
    for k, g in zip(diff, grads):
        tensors["grad_" + k] = g
    for k, v in (extra or {}).items():
        tensors[k] = v
    meta = {"op": name, "torch": torch.__version__}
    meta.update({k: str(v) for k, v in metadata.items()})
    write_safetensors(os.path.join(OUT, name + ".safetensors"), tensors, meta)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20240611)

    case("conv2d_stride2_pad1_groups2",
         lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1, dilation=1, groups=2),
         {"x": f32(2, 4, 9, 9), "w": f32(6, 2, 3, 3, scale=0.3), "b": f32(6)},
         {"stride": 2, "padding": 1, "dilation": 1, "groups": 2})

    case("conv2d_dilation2_nobias",
         lambda x, w: F.conv2d(x, w, None, stride=1, padding=1, dilation=2, groups=1),
         {"x": f32(2, 3, 10, 10), "w": f32(4, 3, 3, 3, scale=0.3)},
         {"stride": 1, "padding": 1, "dilation": 2, "groups": 1})

    # batch_norm updates running stats in place, so snapshot them before the call.
    rm = torch.randn(3, dtype=torch.float32).double()
    rv = (torch.rand(3, dtype=torch.float32) + 0.5).double()
    rm_in, rv_in = rm.clone(), rv.clone()
    x = f32(4, 3, 5, 5, scale=2.0, offset=0.5)
    case("batch_norm_train",
         lambda x, weight, bias, running_mean, running_var:
             F.batch_norm(x, rm, rv, weight, bias, training=True, momentum=0.1, eps=1e-5),
         {"x": x, "weight": f32(3), "bias": f32(3), "running_mean": rm_in, "running_var": rv_in},
         {"training": True, "momentum": 0.1, "eps": 1e-5},
         extra={"running_mean_after": rm, "running_var_after": rv})

    rm = torch.randn(3, dtype=torch.float32).double()
    rv = (torch.rand(3, dtype=torch.float32) + 0.5).double()
    case("batch_norm_eval",
         lambda x, weight, bias, running_mean, running_var:
             F.batch_norm(x, running_mean, running_var, weight, bias, training=False, momentum=0.1, eps=1e-5),
         {"x": f32(4, 3, 5, 5, scale=2.0), "weight": f32(3), "bias": f32(3), "running_mean": rm, "running_var": rv},
         {"training": False, "momentum": 0.1, "eps": 1e-5})

    case("max_pool2d_k3_s2_p1",
         lambda x: F.max_pool2d(x, 3, stride=2, padding=1, dilation=1, ceil_mode=False),
         {"x": f32(2, 3, 9, 9)}, {"kernel": 3, "stride": 2, "padding": 1, "ceil_mode": False})

    case("max_pool2d_k3_s2_ceil",
         lambda x: F.max_pool2d(x, 3, stride=2, padding=0, dilation=1, ceil_mode=True),
         {"x": f32(2, 3, 8, 8)}, {"kernel": 3, "stride": 2, "padding": 0, "ceil_mode": True})

    case("avg_pool2d_k3_s2_p1_include_pad",
         lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=False, count_include_pad=True),
         {"x": f32(2, 3, 9, 9)}, {"kernel": 3, "stride": 2, "padding": 1, "count_include_pad": True})

    case("avg_pool2d_k3_s2_p1_exclude_pad",
         lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=False, count_include_pad=False),
         {"x": f32(2, 3, 9, 9)}, {"kernel": 3, "stride": 2, "padding": 1, "count_include_pad": False})

    # ceil_mode lets the last window start inside the padding's reach; its divisor is clipped to the padded input.
    case("avg_pool2d_k3_s2_p1_ceil_include_pad",
         lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=True),
         {"x": f32(2, 3, 8, 8)}, {"kernel": 3, "stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": True})

    case("adaptive_avg_pool2d_7_to_3",
         lambda x: F.adaptive_avg_pool2d(x, (3, 3)),
         {"x": f32(2, 3, 7, 7)}, {"output_size": (3, 3)})

    case("linear",
         lambda x, w, b: F.linear(x, w, b),
         {"x": f32(2, 4, 5), "w": f32(3, 5), "b": f32(3)}, {})

    case("log_softmax_dim1",
         lambda x: F.log_softmax(x, dim=1),
         {"x": f32(4, 7, scale=3.0)}, {"dim": 1})

    target = torch.randint(0, 5, (6,), dtype=torch.int64)
    case("cross_entropy_mean_ls0.1",
         lambda logits, target: F.cross_entropy(logits, target, reduction="mean", label_smoothing=0.1),
         {"logits": f32(6, 5, scale=2.0), "target": target}, {"reduction": "mean", "label_smoothing": 0.1})

    case("cross_entropy_mean",
         lambda logits, target: F.cross_entropy(logits, target, reduction="mean"),
         {"logits": f32(6, 5, scale=2.0), "target": target}, {"reduction": "mean", "label_smoothing": 0.0})

    case("normalize_p2_dim1",
         lambda x: F.normalize(x, p=2.0, dim=1, eps=1e-12),
         {"x": f32(4, 6, 3)}, {"p": 2.0, "dim": 1, "eps": 1e-12})

    case("softmax_dim_last",
         lambda x: F.softmax(x, dim=-1),
         {"x": f32(3, 4, 5, scale=2.0)}, {"dim": -1})

    case("mse_loss_mean",
         lambda input, target: F.mse_loss(input, target, reduction="mean"),
         {"input": f32(4, 5), "target": f32(4, 5)}, {"reduction": "mean"})

    case("matmul_batched_broadcast",
         lambda a, b: torch.matmul(a, b),
         {"a": f32(2, 1, 3, 4), "b": f32(3, 4, 5)}, {})

    # numpy's own .npy writer, for the Npy reader: values are i * 0.25 - 1.5 in C order.
    arr = (np.arange(24, dtype=np.float32) * 0.25 - 1.5).reshape(2, 3, 4)
    np.save(os.path.join(OUT, "numpy_float32_2x3x4.npy"), arr)


if __name__ == "__main__":
    main()
