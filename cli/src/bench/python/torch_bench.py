#!/usr/bin/python3
"""PyTorch counterpart of `uactn bench`: times torchvision ResNet/AlexNet/VGG training steps or inference
passes on a fixed random batch and prints the same report, ending with `images_per_second=<x>`.

train: forward, mean cross-entropy, backward, SGD (lr 0.01, momentum 0.9, weight decay 1e-4), with
zero_grad(set_to_none=True) as in the engine. infer: eval mode under torch.no_grad(). Random weights.
Peak memory is the process's peak resident set (resource.getrusage ru_maxrss).

Run with Debian's torch:  /usr/bin/python3 cli/src/bench/python/torch_bench.py --arch resnet18 --batch 16 \
    --size 224 --mode train --steps 5 --warmup 2 --threads 2
"""
import argparse
import resource
import sys
import time

import torch
import torch.nn.functional as F
import torchvision


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", required=True, choices=["resnet18", "resnet34", "resnet50", "alexnet", "vgg16", "vgg19"])
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--mode", choices=["train", "infer"], default="train")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--classes", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="after the timed steps, profile one more step per op (autograd profiler)")
    args = ap.parse_args()
    if args.steps < 1 or args.warmup < 0 or args.batch < 1 or args.size < 1:
        sys.exit("torch_bench.py: --steps, --batch, --size must be >= 1 and --warmup >= 0")

    # PyTorch starts with one thread per core unless told; the comparison fixes both sides' thread count.
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = getattr(torchvision.models, args.arch)(num_classes=args.classes)
    x = torch.randn(args.batch, 3, args.size, args.size)
    y = torch.randint(0, args.classes, (args.batch,))
    train = args.mode == "train"
    model.train(train)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4) if train else None

    def step():
        if not train:
            with torch.no_grad():
                return model(x)[0, 0].item()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    print(f"torch_bench: {args.arch} {args.mode}, batch {args.batch}, {args.size}x{args.size}, {args.classes} classes, cpu, "
          f"{torch.get_num_threads()} thread(s), torch {torch.__version__}, mkldnn {torch.backends.mkldnn.is_available()}",
          flush=True)
    for i in range(args.warmup):
        t0 = time.perf_counter()
        v = step()
        print(f"warmup {i + 1}: {(time.perf_counter() - t0) * 1e3:.1f} ms" + (f", loss {v:.4f}" if train else ""), flush=True)
    ms = []
    for i in range(args.steps):
        t0 = time.perf_counter()
        v = step()
        ms.append((time.perf_counter() - t0) * 1e3)
        print(f"step {i + 1}: {ms[-1]:.1f} ms ({args.batch * 1e3 / ms[-1]:.2f} images/s)" + (f", loss {v:.4f}" if train else ""),
              flush=True)
    s = sorted(ms)
    n = len(s)
    median = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    print(f"step time: mean {sum(ms) / n:.1f} ms, median {median:.1f} ms, min {s[0]:.1f} ms")
    if args.profile:
        with torch.autograd.profiler.profile() as prof:
            step()
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=20))
    # ru_maxrss is in KiB on Linux.
    print(f"peak_rss_mib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
    print(f"images_per_second={args.batch * args.steps * 1e3 / sum(ms):.3f}", flush=True)


if __name__ == "__main__":
    main()
