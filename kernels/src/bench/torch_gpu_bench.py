#!/usr/bin/env python3
"""PyTorch eager on a CUDA card, timed like uactn's GPU JMH benchmarks, for the side-by-side figures
of docs/gpu-validation.md (same card, same TF32 setting):

  train: a zoo-network training step as in CudaTrainStepBenchmark (random batch, mean cross-entropy,
         SGD lr 0.01 momentum 0.9 weight decay 1e-4; the step ends by reading the loss back);
  gemm:  float32 C = A B of size n x n x n as in CudaGemmBenchmark (cuBLAS), with a synchronize.

  python3 torch_gpu_bench.py train --arch resnet50 --batch 64 --size 224 [--tf32]
  python3 torch_gpu_bench.py gemm --n 4096 [--tf32]
"""
import argparse
import time

import torch
import torchvision


def timed(fn, warmup, steps):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    times.sort()
    return sum(times) / len(times), times[len(times) // 2]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["train", "gemm"])
    ap.add_argument("--arch", default="resnet50")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--n", type=int, default=4096)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--tf32", action="store_true", help="allow TF32 in cuBLAS and cuDNN (off by default, as in uactn)")
    ap.add_argument("--device", default="cuda")
    a = ap.parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("torch_gpu_bench: PyTorch sees no CUDA device")
    torch.backends.cuda.matmul.allow_tf32 = a.tf32
    torch.backends.cudnn.allow_tf32 = a.tf32
    torch.backends.cudnn.benchmark = False
    dev = torch.device(a.device)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.cuda.get_device_name(dev)}, cuDNN {torch.backends.cudnn.version()}, tf32 {a.tf32}")
    if a.what == "gemm":
        x = torch.randn(a.n, a.n, device=dev)
        y = torch.randn(a.n, a.n, device=dev)
        out = torch.empty(a.n, a.n, device=dev)
        mean, median = timed(lambda: torch.mm(x, y, out=out), a.warmup, a.steps)
        print(f"gemm n={a.n}: mean {mean * 1e3:.3f} ms, median {median * 1e3:.3f} ms, {2 * a.n ** 3 / median / 1e9:.0f} GFLOP/s")
        return
    model = getattr(torchvision.models, a.arch)(num_classes=1000).to(dev).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    x = torch.randn(a.batch, 3, a.size, a.size, device=dev)
    y = torch.randint(0, 1000, (a.batch,), device=dev)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    mean, median = timed(step, a.warmup, a.steps)
    print(f"train {a.arch} batch {a.batch} {a.size}x{a.size}: mean {mean * 1e3:.1f} ms, median {median * 1e3:.1f} ms")
    print(f"images_per_second={a.batch / median:.3f}")


if __name__ == "__main__":
    main()
