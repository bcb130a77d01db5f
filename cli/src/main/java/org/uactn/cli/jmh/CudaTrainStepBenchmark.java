// JMH GPU benchmark: one whole training step of a zoo network on a CUDA device (forward, mean
// cross-entropy, backward, SGD momentum 0.9 weight decay 1e-4): the ResNet-50, batch 64, 224x224.
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.uactn.cli.bench.ModelStep;
import org.uactn.kernels.CudaBackend;

import java.util.concurrent.TimeUnit;

/**
 * Time per step; images/s = batch / time. The step ends by reading the loss back, which waits for
 * the device. Compare with PyTorch eager on the same card and TF32 setting:
 * {@code python3 kernels/src/bench/torch_gpu_bench.py train --arch resnet50 --batch 64}.
 * Run: {@code uactn jmh CudaTrainStepBenchmark} (params: -p batch=64 -p tf32=true -p arch=resnet18).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class CudaTrainStepBenchmark {
    @Param({"cuda"})
    public String device;

    @Param({"resnet50"})
    public String arch;

    /** 64 is the target configuration; 16 is a quicker one that fits any card. */
    @Param({"64", "16"})
    public int batch;

    @Param({"224"})
    public int size;

    @Param({"false"})
    public boolean tf32;

    CudaBackend backend;
    ModelStep step;

    @Setup(Level.Trial)
    public void setUp() {
        backend = CudaGemmBenchmark.requireCuda("CudaTrainStepBenchmark", device);
        backend.setTf32(tf32);
        step = new ModelStep(arch, batch, size, 1000, 1, true, backend.device(), 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        step = null;
        if (backend != null) {
            backend.setTf32(false);
            backend.emptyCache();
        }
    }

    @Benchmark
    public double trainStep() {
        return step.step();
    }
}
