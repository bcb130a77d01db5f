// JMH benchmark: one whole ResNet-18 training step (forward, cross-entropy, backward, SGD momentum) on the
// CPU backend. PyTorch's time for the same step: cli/src/bench/python/torch_bench.py --mode train.
package org.uactn.cli.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.uactn.cli.bench.ModelStep;
import org.uactn.core.backend.cpu.Parallel;
import org.uactn.core.tensor.Device;

import java.util.concurrent.TimeUnit;

@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class ResNetTrainStepBenchmark {
    @Param({"2"})
    public int threads;

    @Param({"16"})
    public int batch;

    /** 64 keeps a step well under a second; 224 is the ImageNet size UACTN trains at. */
    @Param({"64"})
    public int size;

    ModelStep step;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        step = new ModelStep("resnet18", batch, size, 1000, 1, true, Device.CPU, 0);
    }

    @Benchmark
    public double trainStep() {
        return step.step();
    }
}
