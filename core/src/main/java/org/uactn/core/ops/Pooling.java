package org.uactn.core.ops;

import org.uactn.core.autograd.Graph;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/** 2-D pooling over NCHW (or unbatched CHW) input: max, average and adaptive average. */
public final class Pooling {
    private Pooling() {}

    /**
     * PyTorch's F.max_pool2d. kernel/stride/padding/dilation take one value for both sides or
     * {h, w}; a null or empty stride means the kernel size.
     */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        if (x.dim() == 3) return Views.squeeze(maxPool2d(Views.unsqueeze(x, 0), kernel, stride, padding, dilation, ceilMode), 0);
        Pool2dParams p = params("max_pool2d", x, kernel, stride, padding, dilation, ceilMode, true);
        int[] xs = x.shape();
        int[] os = {xs[0], xs[1], p.outH(xs[2]), p.outW(xs[3])};
        Tensor out = Tensor.zeros(x.dtype(), x.device(), os);
        Tensor indices = Tensor.zeros(DType.INT64, x.device(), os);
        if (out.numel() > 0) x.backend().maxPool2d(Views.contiguous(x.detach()), out, indices, p);
        return Graph.record("max_pool2d", out, g -> {
            Tensor gx = Tensor.zeros(g.dtype(), g.device(), xs);
            g.backend().maxPool2dBackward(Views.contiguous(g), indices, gx);
            return new Tensor[] {gx};
        }, x);
    }

    /** PyTorch's F.avg_pool2d (no divisor_override). */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        if (x.dim() == 3) return Views.squeeze(avgPool2d(Views.unsqueeze(x, 0), kernel, stride, padding, ceilMode, countIncludePad), 0);
        Pool2dParams p = params("avg_pool2d", x, kernel, stride, padding, null, ceilMode, countIncludePad);
        int[] xs = x.shape();
        Tensor out = Tensor.zeros(x.dtype(), x.device(), xs[0], xs[1], p.outH(xs[2]), p.outW(xs[3]));
        if (out.numel() > 0) x.backend().avgPool2d(Views.contiguous(x.detach()), out, p);
        return Graph.record("avg_pool2d", out, g -> {
            Tensor gx = Tensor.zeros(g.dtype(), g.device(), xs);
            g.backend().avgPool2dBackward(Views.contiguous(g), gx, p);
            return new Tensor[] {gx};
        }, x);
    }

    /** PyTorch's F.adaptive_avg_pool2d to an outH x outW grid. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        if (x.dim() == 3) return Views.squeeze(adaptiveAvgPool2d(Views.unsqueeze(x, 0), outH, outW), 0);
        checkInput("adaptive_avg_pool2d", x);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: output size must be >= 1, got " + outH + "x" + outW
                    + " for input of shape " + Shapes.str(x.shape()));
        }
        int[] xs = x.shape();
        if (xs[2] == 0 || xs[3] == 0) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: input of shape " + Shapes.str(xs) + " has an empty spatial dimension");
        }
        Tensor out = Tensor.zeros(x.dtype(), x.device(), xs[0], xs[1], outH, outW);
        if (out.numel() > 0) x.backend().adaptiveAvgPool2d(Views.contiguous(x.detach()), out);
        return Graph.record("adaptive_avg_pool2d", out, g -> {
            Tensor gx = Tensor.zeros(g.dtype(), g.device(), xs);
            g.backend().adaptiveAvgPool2dBackward(Views.contiguous(g), gx);
            return new Tensor[] {gx};
        }, x);
    }

    private static void checkInput(String op, Tensor x) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape " + Shapes.str(x.shape()));
        }
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expected a floating-point input, got " + x.dtype() + " of shape " + Shapes.str(x.shape()));
        }
    }

    private static Pool2dParams params(String op, Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                       boolean ceilMode, boolean countIncludePad) {
        checkInput(op, x);
        if (kernel == null || kernel.length == 0) throw new IllegalArgumentException(op + ": kernel size must be given");
        int[] k = pair(op, "kernel_size", kernel, 0);
        int[] s = stride == null || stride.length == 0 ? k : pair(op, "stride", stride, 0);
        int[] p = pair(op, "padding", padding, 0);
        int[] d = pair(op, "dilation", dilation, 1);
        if (k[0] < 1 || k[1] < 1) throw new IllegalArgumentException(op + ": kernel size must be >= 1, got " + Arrays.toString(k));
        if (s[0] < 1 || s[1] < 1) throw new IllegalArgumentException(op + ": stride must be >= 1, got " + Arrays.toString(s));
        if (d[0] < 1 || d[1] < 1) throw new IllegalArgumentException(op + ": dilation must be >= 1, got " + Arrays.toString(d));
        if (p[0] < 0 || p[1] < 0 || 2 * p[0] > k[0] || 2 * p[1] > k[1]) {
            throw new IllegalArgumentException(op + ": padding must be >= 0 and at most half the kernel size, got padding "
                    + Arrays.toString(p) + " for kernel " + Arrays.toString(k));
        }
        Pool2dParams params = new Pool2dParams(k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], ceilMode, countIncludePad);
        int[] xs = x.shape();
        int oh = params.outH(xs[2]), ow = params.outW(xs[3]);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": output size " + oh + "x" + ow + " is too small for input of shape " + Shapes.str(xs)
                    + " with kernel " + Arrays.toString(k) + ", stride " + Arrays.toString(s) + ", padding " + Arrays.toString(p)
                    + ", dilation " + Arrays.toString(d));
        }
        return params;
    }

    private static int[] pair(String op, String what, int[] v, int dflt) {
        if (v == null || v.length == 0) return new int[] {dflt, dflt};
        if (v.length == 1) return new int[] {v[0], v[0]};
        if (v.length == 2) return v.clone();
        throw new IllegalArgumentException(op + ": " + what + " must have 1 or 2 values, got " + Arrays.toString(v));
    }

    static List<OpSpec> specs() {
        return List.of(
                OpSpec.of("max_pool2d", g -> new Tensor[] {Samples.distinct(g, 2, 2, 4, 5)},
                        in -> maxPool2d(in[0], new int[] {2}, null, null, null, false)),
                OpSpec.of("max_pool2d_padded", g -> new Tensor[] {Samples.distinct(g, 1, 2, 5, 6)},
                        in -> maxPool2d(in[0], new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, null, true)),
                OpSpec.of("max_pool2d_dilated", g -> new Tensor[] {Samples.distinct(g, 1, 2, 6, 6)},
                        in -> maxPool2d(in[0], new int[] {2}, new int[] {1}, new int[] {0}, new int[] {2}, false)),
                OpSpec.of("avg_pool2d", g -> new Tensor[] {Samples.normal(g, 2, 2, 4, 5)},
                        in -> avgPool2d(in[0], new int[] {2}, null, null, false, true)),
                OpSpec.of("avg_pool2d_padded", g -> new Tensor[] {Samples.normal(g, 1, 2, 5, 6)},
                        in -> avgPool2d(in[0], new int[] {3}, new int[] {2}, new int[] {1}, true, false)),
                OpSpec.of("avg_pool2d_count_pad", g -> new Tensor[] {Samples.normal(g, 1, 1, 5, 5)},
                        in -> avgPool2d(in[0], new int[] {3, 2}, new int[] {2, 2}, new int[] {1, 1}, true, true)),
                OpSpec.of("adaptive_avg_pool2d", g -> new Tensor[] {Samples.normal(g, 2, 2, 5, 7)},
                        in -> adaptiveAvgPool2d(in[0], 3, 4)));
    }
}
