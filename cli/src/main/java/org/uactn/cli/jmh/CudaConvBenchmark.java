// JMH GPU benchmark: float32 conv2d forward, input gradient and weight gradient of ResNet-50-sized
// layers at batch 64 on a CUDA device, through cuDNN or uactn's own im2col + GEMM kernels.
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
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;
import org.uactn.kernels.CudaBackend;

import java.util.concurrent.TimeUnit;

/**
 * layer is "N,C,H,W,O,K,stride,pad" (no bias, groups 1). Each of forward / backwardInput /
 * backwardWeight costs 2 N O OH OW C K K flops. The gradient buffers are zeroed inside the timed
 * call, as the Backend contract requires (a memset, small next to the convolution).
 * Run: {@code uactn jmh CudaConvBenchmark} (params: -p path=cudnn,im2col -p tf32=true -p layer=...).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CudaConvBenchmark {
    @Param({"cuda"})
    public String device;

    /** ResNet-50 at 224x224, batch 64: the stem, a stage-1 3x3, a stage-3 3x3 and a stage-4 1x1 expansion. */
    @Param({"64,3,224,224,64,7,2,3", "64,64,56,56,64,3,1,1", "64,256,14,14,256,3,1,1", "64,512,7,7,2048,1,1,0"})
    public String layer;

    /** cudnn (fails when cuDNN is not loaded) or im2col (uactn's own kernels). */
    @Param({"cudnn", "im2col"})
    public String path;

    @Param({"false"})
    public boolean tf32;

    CudaBackend backend;
    Conv2dParams params;
    Tensor x, w, gradOut, out, gradIn, gradW;

    @Setup(Level.Trial)
    public void setUp() {
        backend = requireCudaConv();
        String[] f = layer.split(",");
        if (f.length != 8) throw new IllegalArgumentException("CudaConvBenchmark: layer must be N,C,H,W,O,K,stride,pad, got '" + layer + "'");
        int[] v = new int[8];
        for (int i = 0; i < 8; i++) v[i] = Integer.parseInt(f[i].trim());
        int n = v[0], c = v[1], h = v[2], wd = v[3], o = v[4], k = v[5];
        params = new Conv2dParams(v[6], v[6], v[7], v[7], 1, 1, 1);
        int oh = params.outH(h, k), ow = params.outW(wd, k);
        Device dev = backend.device();
        Generator g = new Generator(2);
        x = Tensor.randn(g, n, c, h, wd).to(dev);
        w = Tensor.randn(g, o, c, k, k).mul(0.05).to(dev);
        gradOut = Tensor.randn(g, n, o, oh, ow).to(dev);
        out = Tensor.zeros(DType.FLOAT32, dev, n, o, oh, ow);
        gradIn = Tensor.zeros(DType.FLOAT32, dev, n, c, h, wd);
        gradW = Tensor.zeros(DType.FLOAT32, dev, o, c, k, k);
        backend.synchronize();
    }

    private CudaBackend requireCudaConv() {
        CudaBackend b = CudaGemmBenchmark.requireCuda("CudaConvBenchmark", device);
        if (!path.equals("cudnn") && !path.equals("im2col")) {
            throw new IllegalArgumentException("CudaConvBenchmark: path must be cudnn or im2col, got '" + path + "'");
        }
        b.setOwnConv(path.equals("im2col"));
        b.setTf32(tf32);
        if (!b.convPath().equals(path)) {
            throw new IllegalStateException("CudaConvBenchmark: path=" + path + " asked, but the backend runs " + b.convPath() + ": " + b.describe());
        }
        return b;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (backend != null) {
            backend.setOwnConv(false);
            backend.setTf32(false);
        }
    }

    @Benchmark
    public Tensor forward() {
        backend.conv2d(x, w, null, out, params);
        backend.synchronize();
        return out;
    }

    @Benchmark
    public Tensor backwardInput() {
        backend.fill(gradIn, 0);
        backend.conv2dBackwardInput(gradOut, w, gradIn, params);
        backend.synchronize();
        return gradIn;
    }

    @Benchmark
    public Tensor backwardWeight() {
        backend.fill(gradW, 0);
        backend.conv2dBackwardWeight(gradOut, x, gradW, params);
        backend.synchronize();
        return gradW;
    }
}
