#!/bin/bash
# Reproduces the figures in docs/performance.md: SGEMM vs OpenBLAS (alternating rounds and JMH) and
# conv2d forward+backward vs PyTorch. Run from the repository root on an otherwise idle machine.
set -e
. cli/src/bench/env.sh
JVM_ARGS="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-OptoRegScheduling"
lscpu | grep -E 'Model name|^CPU\(s\)|Flags' | cut -c1-120
$BENCH_JAVA -cp "$BENCH_CP" org.uactn.cli.jmh.SgemmVsOpenBlas 256,512,1024,2048 1,2 7
/usr/bin/python3 cli/src/bench/conv_vs_torch.py --threads 2 --rounds 15
$BENCH_JAVA -cp "$BENCH_CP" org.openjdk.jmh.Main SgemmBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -jvmArgs "$JVM_ARGS"
$BENCH_JAVA -cp "$BENCH_CP" org.openjdk.jmh.Main ConvBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -jvmArgs "$JVM_ARGS"
