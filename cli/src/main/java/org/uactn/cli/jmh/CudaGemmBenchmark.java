// JMH GPU benchmark: float32 GEMM C = A B of size n x n x n on a CUDA device, cuBLAS against
// uactn's own tiled kernel (the target: own >= 50% of cuBLAS at n = 4096). PyTorch: kernels/src/bench/torch_gpu_bench.py gemm.
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
import org.uactn.core.backend.Backends;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;
import org.uactn.kernels.CudaBackend;

import java.util.concurrent.TimeUnit;

/**
 * Time per GEMM; GFLOP/s = 2 n^3 / time. Each invocation queues one GEMM and waits for it
 * ({@link CudaBackend#synchronize}), so the figure is kernel time plus one launch and one sync.
 * Run: {@code uactn jmh CudaGemmBenchmark} (params: -p n=2048,4096 -p path=cublas,own -p tf32=true).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CudaGemmBenchmark {
    @Param({"cuda"})
    public String device;

    @Param({"4096"})
    public int n;

    /** cublas: cuBLAS (fails when no libcublas loaded); own: uactn's gemm_tiled_f32 kernel. */
    @Param({"cublas", "own"})
    public String path;

    /** TF32 tensor cores for cuBLAS (no effect on the own kernel). */
    @Param({"false"})
    public boolean tf32;

    CudaBackend backend;
    Tensor a, b, out;

    @Setup(Level.Trial)
    public void setUp() {
        backend = requireCuda("CudaGemmBenchmark", device);
        if (!path.equals("cublas") && !path.equals("own")) {
            throw new IllegalArgumentException("CudaGemmBenchmark: path must be cublas or own, got '" + path + "'");
        }
        backend.setOwnGemm(path.equals("own"));
        backend.setTf32(tf32);
        if (!backend.gemmPath().equals(path)) {
            throw new IllegalStateException("CudaGemmBenchmark: path=" + path + " asked, but the backend runs " + backend.gemmPath() + ": " + backend.describe());
        }
        Device dev = backend.device();
        Generator g = new Generator(1);
        a = Tensor.randn(g, 1, n, n).to(dev);
        b = Tensor.randn(g, 1, n, n).to(dev);
        out = Tensor.zeros(DType.FLOAT32, dev, 1, n, n);
        backend.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (backend != null) {
            backend.setOwnGemm(false);
            backend.setTf32(false);
        }
    }

    @Benchmark
    public Tensor gemm() {
        backend.matmul(a, b, out);
        backend.synchronize();
        return out;
    }

    /**
     * The CUDA backend of a device parameter ("cuda", "cuda:1"), or an IllegalStateException that
     * names the benchmark and why no device is usable; JMH prints it and skips that benchmark.
     */
    static CudaBackend requireCuda(String benchmark, String device) {
        Device d;
        try {
            d = Device.parse(device);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(benchmark + ": bad device parameter: " + e.getMessage(), e);
        }
        if (!d.type().equals("cuda")) {
            throw new IllegalArgumentException(benchmark + " measures the CUDA backend: -p device=cuda or cuda:N, got '" + device + "'");
        }
        try {
            if (Backends.get(d) instanceof CudaBackend cb) return cb;
            throw new IllegalStateException(benchmark + ": the backend of " + d + " is not uactn's CUDA backend");
        } catch (Backends.BackendUnavailableException e) {
            throw new IllegalStateException(benchmark + " needs a CUDA device, and none is usable here: " + e.getMessage(), e);
        }
    }
}
