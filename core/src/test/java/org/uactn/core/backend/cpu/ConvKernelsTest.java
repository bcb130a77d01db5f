// Correctness of the CPU convolution kernels (forward, input and weight gradients) against a naive
// direct convolution in double, over groups, strides, padding, dilation, 1x1 and bias-free configs.
package org.uactn.core.backend.cpu;

import org.junit.jupiter.api.Test;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ConvKernelsTest {
    /** n, c, h, w, o, kh, kw, stride h/w, pad h/w, dilation h/w, groups, bias? */
    private static final int[][] CONFIGS = {
            {2, 4, 9, 8, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},   // plain 3x3, pad 1
            {3, 4, 10, 7, 6, 3, 2, 2, 2, 1, 0, 1, 1, 2, 1},  // groups 2, stride 2, asymmetric kernel and pad
            {2, 4, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4, 1},   // depthwise
            {2, 4, 8, 8, 8, 3, 3, 2, 1, 1, 1, 1, 1, 4, 0},   // depthwise with multiplier 2, no bias
            {2, 3, 11, 10, 5, 3, 3, 1, 1, 2, 2, 2, 2, 1, 1}, // dilation 2
            {2, 6, 7, 9, 10, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0},  // 1x1 (pure GEMM), no bias
            {3, 6, 7, 9, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2, 1},   // 1x1 with groups
            {2, 5, 9, 9, 7, 1, 1, 2, 2, 0, 0, 1, 1, 1, 1},   // 1x1 stride 2 (needs im2col)
            {1, 16, 13, 13, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1}, // one image: parallel GEMM path, ragged tiles
            {2, 3, 5, 5, 2, 5, 5, 1, 1, 0, 0, 1, 1, 1, 1},   // kernel as large as the input
            {2, 2, 4, 4, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1},   // padding larger than half the kernel, stride 3
            // wide enough for whole vector panels of patches and row-band pieces (an image of >= 512 output pixels)
            {2, 40, 24, 23, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0},
            {3, 64, 6, 6, 10, 3, 3, 2, 2, 1, 1, 1, 1, 1, 0},  // stride 2, small planes: mostly border windows
            {2, 48, 5, 7, 10, 3, 3, 1, 1, 2, 2, 2, 2, 2, 0},   // dilation 2 with groups, 24 channels a group
            {4, 64, 3, 3, 16, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0},  // 1x1 over tiny planes
    };

    /** Naive direct convolution in double: forward, and both gradients for a given gradOut. */
    private static double[][] reference(int[] cf, double[] x, double[] w, double[] bias, double[] go) {
        int n = cf[0], c = cf[1], h = cf[2], wd = cf[3], o = cf[4], kh = cf[5], kw = cf[6], sh = cf[7], sw = cf[8],
                ph = cf[9], pw = cf[10], dh = cf[11], dw = cf[12], groups = cf[13];
        Conv2dParams p = new Conv2dParams(sh, sw, ph, pw, dh, dw, groups);
        int oh = p.outH(h, kh), ow = p.outW(wd, kw), cg = c / groups, og = o / groups;
        double[] out = new double[n * o * oh * ow], gx = new double[x.length], gw = new double[w.length];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int y = 0; y < oh; y++)
                    for (int xx = 0; xx < ow; xx++) {
                        int oi = ((b * o + oc) * oh + y) * ow + xx;
                        double acc = bias == null ? 0 : bias[oc];
                        for (int ci = 0; ci < cg; ci++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++) {
                                    int iy = y * sh - ph + i * dh, ix = xx * sw - pw + j * dw;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                    int xi = ((b * c + g * cg + ci) * h + iy) * wd + ix;
                                    int wi = ((oc * cg + ci) * kh + i) * kw + j;
                                    acc += w[wi] * x[xi];
                                    gx[xi] += go[oi] * w[wi];
                                    gw[wi] += go[oi] * x[xi];
                                }
                        out[oi] = acc;
                    }
            }
        return new double[][] {out, gx, gw};
    }

    private static Tensor tensor(double[] d, boolean f32, int... shape) {
        if (!f32) return Tensor.of(d.clone(), shape);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return Tensor.of(f, shape);
    }

    private static double[] rand(Random r, int size, boolean f32) {
        double[] d = new double[size];
        for (int i = 0; i < size; i++) d[i] = f32 ? (float) (r.nextDouble() * 2 - 1) : r.nextDouble() * 2 - 1;
        return d;
    }

    private static void assertClose(String what, double[] ref, double[] got, double tol) {
        assertEquals(ref.length, got.length, what + ": length");
        double scale = 1e-30;
        for (double v : ref) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < ref.length; i++) {
            if (!(Math.abs(ref[i] - got[i]) <= tol * scale))
                fail(what + ": element " + i + " is " + got[i] + ", expected " + ref[i] + " (scale " + scale + ")");
        }
    }

    private static void runConfig(int[] cf, boolean f32, Random r) {
        int n = cf[0], c = cf[1], h = cf[2], wd = cf[3], o = cf[4], kh = cf[5], kw = cf[6], groups = cf[13];
        Conv2dParams p = new Conv2dParams(cf[7], cf[8], cf[9], cf[10], cf[11], cf[12], groups);
        int oh = p.outH(h, kh), ow = p.outW(wd, kw);
        DType dt = f32 ? DType.FLOAT32 : DType.FLOAT64;
        double[] x = rand(r, n * c * h * wd, f32), w = rand(r, o * (c / groups) * kh * kw, f32);
        double[] bias = cf[14] == 1 ? rand(r, o, f32) : null, go = rand(r, n * o * oh * ow, f32);
        double[][] ref = reference(cf, x, w, bias, go);
        String what = (f32 ? "f32 " : "f64 ") + java.util.Arrays.toString(cf);
        double tol = f32 ? 1e-4 : 1e-10;

        Tensor out = Tensor.zeros(dt, Device.CPU, n, o, oh, ow);
        ConvKernels.conv2d(tensor(x, f32, n, c, h, wd), tensor(w, f32, o, c / groups, kh, kw),
                bias == null ? null : tensor(bias, f32, o), out, p);
        assertClose("conv2d " + what, ref[0], out.toDoubleArray(), tol);

        Tensor gx = Tensor.zeros(dt, Device.CPU, n, c, h, wd);
        ConvKernels.conv2dBackwardInput(tensor(go, f32, n, o, oh, ow), tensor(w, f32, o, c / groups, kh, kw), gx, p);
        assertClose("conv2dBackwardInput " + what, ref[1], gx.toDoubleArray(), tol);

        Tensor gw = Tensor.zeros(dt, Device.CPU, o, c / groups, kh, kw);
        ConvKernels.conv2dBackwardWeight(tensor(go, f32, n, o, oh, ow), tensor(x, f32, n, c, h, wd), gw, p);
        assertClose("conv2dBackwardWeight " + what, ref[2], gw.toDoubleArray(), tol);
    }

    @Test
    void float32MatchesDirectConvolution() {
        Random r = new Random(1);
        for (int[] cf : CONFIGS) runConfig(cf, true, r);
    }

    @Test
    void float64MatchesDirectConvolution() {
        Random r = new Random(2);
        for (int[] cf : CONFIGS) runConfig(cf, false, r);
    }

    @Test
    void matchesReferenceWithOneAndTwoThreads() {
        int[] cf = {4, 8, 12, 12, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1};
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Random r1 = new Random(9);
            runConfig(cf, true, r1);
            runConfig(cf, false, r1);
            Parallel.setThreads(2);
            Random r2 = new Random(9);
            runConfig(cf, true, r2);
            runConfig(cf, false, r2);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void nonContiguousInputIsHandled() {
        Random r = new Random(4);
        int n = 2, c = 3, h = 6, wd = 5, o = 4;
        Conv2dParams p = new Conv2dParams(1, 1, 1, 1, 1, 1, 1);
        double[] x = rand(r, n * c * h * wd, false), w = rand(r, o * c * 9, false);
        double[] go = rand(r, n * o * h * wd, false);
        // Store x as [N, C, W, H] and view it transposed back to [N, C, H, W].
        double[] xt = new double[x.length];
        for (int b = 0; b < n * c; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < wd; j++) xt[(b * wd + j) * h + i] = x[(b * h + i) * wd + j];
        Tensor flat = Tensor.of(xt, xt.length);
        Tensor xv = new Tensor(flat.storage(), new int[] {n, c, h, wd}, new int[] {c * h * wd, h * wd, 1, h}, 0);
        assertFalse(xv.isContiguous());
        Tensor out = Tensor.zeros(DType.FLOAT64, Device.CPU, n, o, h, wd);
        ConvKernels.conv2d(xv, Tensor.of(w, o, c, 3, 3), null, out, p);
        double[][] ref = reference(new int[] {n, c, h, wd, o, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0}, x, w, null, go);
        assertClose("conv2d on a transposed view", ref[0], out.toDoubleArray(), 1e-10);
    }

    @Test
    void mismatchedShapesAreRejected() {
        Conv2dParams p = new Conv2dParams(1, 1, 0, 0, 1, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvKernels.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(4, 2, 3, 3), null, Tensor.zeros(1, 4, 3, 3), p));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("groups"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> ConvKernels.conv2d(Tensor.zeros(1, 4, 5, 5), Tensor.zeros(4, 2, 3, 3), null, Tensor.zeros(1, 4, 4, 4), p));
        assertTrue(e2.getMessage().contains("[1, 4, 3, 3]"), e2.getMessage());
    }
}
