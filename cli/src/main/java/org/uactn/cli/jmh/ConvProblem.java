// The convolution benchmark problem (by default a ResNet stage-1 layer: x 16x64x56x56, 64 filters 3x3,
// pad 1, stride 1, no bias) and one forward + backward (input and weight) step through the CPU backend.
package org.uactn.cli.jmh;

import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.backend.cpu.CpuBackend;
import org.uactn.core.tensor.Tensor;

import java.util.Random;

public final class ConvProblem {
    final Tensor x, w, gradOut, out, gradIn, gradW;
    final Conv2dParams params;
    final long flops;

    public ConvProblem(int n, int c, int h, int w, int o, int k, int pad, int stride) {
        Random r = new Random(1);
        params = new Conv2dParams(stride, stride, pad, pad, 1, 1, 1);
        int oh = params.outH(h, k), ow = params.outW(w, k);
        this.x = Tensor.of(random(r, n * c * h * w), n, c, h, w);
        this.w = Tensor.of(random(r, o * c * k * k), o, c, k, k);
        this.gradOut = Tensor.of(random(r, n * o * oh * ow), n, o, oh, ow);
        this.out = Tensor.zeros(n, o, oh, ow);
        this.gradIn = Tensor.zeros(n, c, h, w);
        this.gradW = Tensor.zeros(o, c, k, k);
        // Forward, input gradient and weight gradient each cost 2 * N*O*OH*OW * C*K*K flops.
        this.flops = 3L * 2 * n * o * oh * ow * c * k * k;
    }

    /** The ResNet layer used for the PyTorch comparison. */
    public static ConvProblem resnet() { return new ConvProblem(16, 64, 56, 56, 64, 3, 1, 1); }

    private static float[] random(Random r, int size) {
        float[] f = new float[size];
        for (int i = 0; i < size; i++) f[i] = (float) r.nextGaussian();
        return f;
    }

    /** Forward, then both gradients (the gradient buffers are re-zeroed as the kernels' contract requires). */
    public void step() {
        CpuBackend be = CpuBackend.INSTANCE;
        be.conv2d(x, w, null, out, params);
        be.fill(gradIn, 0);
        be.conv2dBackwardInput(gradOut, w, gradIn, params);
        be.fill(gradW, 0);
        be.conv2dBackwardWeight(gradOut, x, gradW, params);
    }

    public long flops() { return flops; }
}
