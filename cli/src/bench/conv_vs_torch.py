#!/usr/bin/python3
"""Times conv2d forward + backward (input and weight) of a ResNet layer (x 16x64x56x56, 64 filters 3x3,
pad 1, stride 1, no bias) in PyTorch and in the engine, alternating short rounds in lock step because the
machine's speed drifts; reports the median of the per-round speed ratios (uactn speed / torch speed).

The engine runs as a child JVM (org.uactn.cli.jmh.ConvRoundServer) driven over a pipe. Run from the
repository root after `. cli/src/bench/env.sh` (which exports BENCH_JAVA and BENCH_CP):
    /usr/bin/python3 cli/src/bench/conv_vs_torch.py [--threads 2] [--rounds 15] [--reps 3] [--torch-only]
"""
import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time

import torch
import torch.nn.functional as F


def torch_step(x, w, go):
    out = F.conv2d(x, w, padding=1)
    out.backward(go)
    x.grad = None
    w.grad = None


def time_torch(x, w, go, reps):
    t0 = time.perf_counter()
    for _ in range(reps):
        torch_step(x, w, go)
    return (time.perf_counter() - t0) / reps


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--reps", type=int, default=3, help="steps per round and candidate")
    ap.add_argument("--torch-only", action="store_true", help="time PyTorch alone (no JVM)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x = torch.randn(16, 64, 56, 56, requires_grad=True)
    w = torch.randn(64, 64, 3, 3, requires_grad=True)
    go = torch.randn(16, 64, 56, 56)
    flops = 3 * 2 * 16 * 64 * 56 * 56 * 64 * 9
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, mkldnn {torch.backends.mkldnn.is_available()}")
    for _ in range(3):
        torch_step(x, w, go)

    if args.torch_only:
        ts = [time_torch(x, w, go, args.reps) for _ in range(args.rounds)]
        m = statistics.median(ts)
        print(f"torch fwd+bwd: median {m * 1e3:.1f} ms/step, {flops / m / 1e9:.1f} GFLOP/s")
        return

    java = os.environ.get("BENCH_JAVA")
    cp = os.environ.get("BENCH_CP")
    if not java or not cp:
        sys.exit("conv_vs_torch.py: BENCH_JAVA/BENCH_CP not set; run `. cli/src/bench/env.sh` first")
    cmd = shlex.split(java) + ["-cp", cp, "org.uactn.cli.jmh.ConvRoundServer", str(args.threads)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def ours(reps):
        proc.stdin.write(f"run {reps}\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            sys.exit("conv_vs_torch.py: the JVM exited early")
        return float(line)

    ready = proc.stdout.readline().split()
    if not ready or ready[0] != "ready" or int(ready[1]) != flops:
        sys.exit(f"conv_vs_torch.py: unexpected greeting {ready} (flops {flops})")
    for _ in range(4):  # JIT warm-up
        ours(args.reps)

    rows = []
    for r in range(args.rounds):
        time.sleep(0.3)
        to = ours(args.reps)
        time.sleep(0.3)
        tt = time_torch(x, w, go, args.reps)
        rows.append((to, tt, tt / to))
        print(f"round {r:2d}: uactn {to * 1e3:7.1f} ms  torch {tt * 1e3:7.1f} ms  speed ratio {tt / to:.3f}", flush=True)
    proc.stdin.write("quit\n")
    proc.stdin.flush()
    proc.wait()
    mo = statistics.median(r[0] for r in rows)
    mt = statistics.median(r[1] for r in rows)
    print(f"median uactn {mo * 1e3:.1f} ms/step ({flops / mo / 1e9:.1f} GFLOP/s), "
          f"torch {mt * 1e3:.1f} ms/step ({flops / mt / 1e9:.1f} GFLOP/s)")
    print(f"median per-round speed ratio uactn/torch: {statistics.median(r[2] for r in rows):.3f}")


if __name__ == "__main__":
    main()
