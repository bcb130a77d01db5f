// JMH benchmark: the three convolution kernels (forward, input gradient, weight gradient) of single
// ResNet-18 layers on the CPU backend, timed separately. Shapes "N-C-H-O-stride" (JMH splits parameter
// values at commas) are 3x3, pad 1 layers of a training step at 64x64 (batch 32) and 224x224 (batch 16).
package org.uactn.cli.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.uactn.core.backend.cpu.CpuBackend;
import org.uactn.core.backend.cpu.Parallel;

import java.util.concurrent.TimeUnit;

@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ConvLayersBenchmark {
    @Param({"32-64-16-64-1", "32-128-8-128-1", "32-256-4-256-1", "32-512-2-512-1", "32-64-16-128-2",
            "16-64-56-64-1", "16-128-28-128-1", "16-256-14-256-1", "16-512-7-512-1"})
    public String layer;

    @Param({"2"})
    public int threads;

    ConvProblem problem;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        String[] f = layer.split("-");
        if (f.length != 5) throw new IllegalArgumentException("layer: expected N-C-H-O-stride, got '" + layer + "'");
        int n = Integer.parseInt(f[0].trim()), c = Integer.parseInt(f[1].trim()), h = Integer.parseInt(f[2].trim());
        int o = Integer.parseInt(f[3].trim()), stride = Integer.parseInt(f[4].trim());
        problem = new ConvProblem(n, c, h, h, o, 3, 1, stride);
    }

    @Benchmark
    public Object forward() {
        CpuBackend.INSTANCE.conv2d(problem.x, problem.w, null, problem.out, problem.params);
        return problem.out;
    }

    @Benchmark
    public Object inputGradient() {
        CpuBackend.INSTANCE.fill(problem.gradIn, 0);
        CpuBackend.INSTANCE.conv2dBackwardInput(problem.gradOut, problem.w, problem.gradIn, problem.params);
        return problem.gradIn;
    }

    @Benchmark
    public Object weightGradient() {
        CpuBackend.INSTANCE.fill(problem.gradW, 0);
        CpuBackend.INSTANCE.conv2dBackwardWeight(problem.gradOut, problem.x, problem.gradW, problem.params);
        return problem.gradW;
    }
}
