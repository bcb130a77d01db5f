// JMH benchmark: conv2d forward + backward (input and weight) of a ResNet layer on the CPU backend.
// PyTorch's time for the same step comes from cli/src/bench/conv_vs_torch.py.
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
import org.uactn.core.backend.cpu.Parallel;

import java.util.concurrent.TimeUnit;

@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ConvBenchmark {
    @Param({"2"})
    public int threads;

    ConvProblem problem;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        problem = ConvProblem.resnet();
    }

    @Benchmark
    public Object forwardBackward() {
        problem.step();
        return problem.gradW;
    }
}
