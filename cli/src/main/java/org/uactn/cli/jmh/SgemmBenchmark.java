// JMH benchmark: the engine's float32 GEMM against OpenBLAS's cblas_sgemm on the same square problems,
// so the two appear side by side in one run (time per multiplication; GFLOP/s = 2 n^3 / time).
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
import org.openjdk.jmh.annotations.TearDown;
import org.uactn.core.backend.cpu.Parallel;
import org.uactn.core.backend.cpu.Sgemm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;

@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SgemmBenchmark {

    @State(Scope.Benchmark)
    public static class Problem {
        @Param({"256", "512", "1024", "2048"})
        public int n;

        @Param({"1", "2"})
        public int threads;

        float[] a, b, c;

        @Setup(Level.Trial)
        public void setUp() {
            Parallel.setThreads(threads);
            Random r = new Random(1);
            a = new float[n * n];
            b = new float[n * n];
            c = new float[n * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextFloat() - 0.5f;
                b[i] = r.nextFloat() - 0.5f;
            }
        }

        /** OpenBLAS's worker threads spin ~0.1 s after a call; let them settle before each iteration. */
        @Setup(Level.Iteration)
        public void settle() throws InterruptedException {
            Thread.sleep(300);
        }
    }

    /** Native copies of the problem for OpenBLAS; its setup fails with a clear message when the library is absent. */
    @State(Scope.Benchmark)
    public static class Native {
        Arena arena;
        MemorySegment a, b, c;

        @Setup(Level.Trial)
        public void setUp(Problem p) {
            OpenBlas.require();
            OpenBlas.setThreads(p.threads);
            arena = Arena.ofShared();
            a = arena.allocateFrom(ValueLayout.JAVA_FLOAT, p.a);
            b = arena.allocateFrom(ValueLayout.JAVA_FLOAT, p.b);
            c = arena.allocate((long) p.n * p.n * Float.BYTES, 64);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    @Benchmark
    public float[] uactn(Problem p) {
        Sgemm.gemm(false, false, p.n, p.n, p.n, 1f, p.a, 0, p.n, p.b, 0, p.n, 0f, p.c, 0, p.n);
        return p.c;
    }

    @Benchmark
    public MemorySegment openblas(Problem p, Native nat) {
        OpenBlas.sgemm(p.n, p.n, p.n, nat.a, nat.b, nat.c);
        return nat.c;
    }
}
