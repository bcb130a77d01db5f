package org.uactn.core.ops;

import org.uactn.core.autograd.Graph;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** 2-D convolution (NCHW), with groups, stride, padding and dilation. */
public final class Convolution {
    private Convolution() {}

    /**
     * PyTorch's F.conv2d. x is [N, C, H, W] (or unbatched [C, H, W]), w is [O, C / groups, KH, KW],
     * bias is [O] or null. stride/padding/dilation are {h, w} or a single value for both; null or
     * empty means 1, 0 and 1.
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        if (x.dim() == 3) {
            return Views.squeeze(conv2d(Views.unsqueeze(x, 0), w, bias, stride, padding, dilation, groups), 0);
        }
        if (x.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape " + Shapes.str(x.shape()));
        }
        if (w.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected a 4-D weight (O, C/groups, KH, KW), got shape " + Shapes.str(w.shape()));
        }
        int[] st = pair("stride", stride, 1), pad = pair("padding", padding, 0), dil = pair("dilation", dilation, 1);
        if (groups < 1) throw new IllegalArgumentException("conv2d: groups must be >= 1, got " + groups);
        int[] xs = x.shape(), ws = w.shape();
        int c = xs[1], o = ws[0];
        if (ws[1] * groups != c) {
            throw new IllegalArgumentException("conv2d: given groups=" + groups + ", weight of shape " + Shapes.str(ws) + " expects input "
                    + Shapes.str(xs) + " to have " + (ws[1] * groups) + " channels, but it has " + c);
        }
        if (o % groups != 0) {
            throw new IllegalArgumentException("conv2d: weight of shape " + Shapes.str(ws) + " has " + o + " output channels, not divisible by groups=" + groups);
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != o)) {
            throw new IllegalArgumentException("conv2d: bias of shape " + Shapes.str(bias.shape()) + " does not match weight of shape "
                    + Shapes.str(ws) + " (expected [" + o + "])");
        }
        if (!x.dtype().isFloating() || w.dtype() != x.dtype() || (bias != null && bias.dtype() != x.dtype())) {
            throw new IllegalArgumentException("conv2d: input (" + x.dtype() + "), weight (" + w.dtype() + ")"
                    + (bias != null ? " and bias (" + bias.dtype() + ")" : "") + " must share one floating-point type");
        }
        if (!w.device().equals(x.device()) || (bias != null && !bias.device().equals(x.device()))) {
            throw new IllegalArgumentException("conv2d: input, weight and bias must be on one device, got " + x.device() + " and " + w.device()
                    + (bias != null ? " and " + bias.device() : ""));
        }
        Conv2dParams p = new Conv2dParams(st[0], st[1], pad[0], pad[1], dil[0], dil[1], groups);
        int oh = p.outH(xs[2], ws[2]), ow = p.outW(xs[3], ws[3]);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("conv2d: input of shape " + Shapes.str(xs) + " with padding " + pad[0] + "x" + pad[1]
                    + " is smaller than the dilated kernel of weight " + Shapes.str(ws) + " (dilation " + dil[0] + "x" + dil[1]
                    + "); output would be " + oh + "x" + ow);
        }
        Tensor xc = Views.contiguous(x.detach()), wc = Views.contiguous(w.detach());
        Tensor bc = bias == null ? null : Views.contiguous(bias.detach());
        Tensor out = Tensor.zeros(x.dtype(), x.device(), xs[0], o, oh, ow);
        if (out.numel() > 0) x.backend().conv2d(xc, wc, bc, out, p);
        return Graph.record("conv2d", out, g -> {
            Tensor gc = Views.contiguous(g);
            Tensor gx = null, gw = null, gb = null;
            if (x.requiresGrad()) {
                gx = Tensor.zeros(g.dtype(), g.device(), xs);
                g.backend().conv2dBackwardInput(gc, wc, gx, p);
            }
            if (w.requiresGrad()) {
                gw = Tensor.zeros(g.dtype(), g.device(), ws);
                g.backend().conv2dBackwardWeight(gc, xc, gw, p);
            }
            if (bias != null && bias.requiresGrad()) gb = Reductions.sum(g, new int[] {0, 2, 3}, false);
            return new Tensor[] {gx, gw, gb};
        }, x, w, bias);
    }

    /** A {h, w} pair from one or two values; null or empty gives the default. */
    static int[] pair(String what, int[] v, int dflt) {
        if (v == null || v.length == 0) return new int[] {dflt, dflt};
        if (v.length == 1) return new int[] {v[0], v[0]};
        if (v.length == 2) return v.clone();
        throw new IllegalArgumentException("conv2d: " + what + " must have 1 or 2 values, got " + java.util.Arrays.toString(v));
    }

    static List<OpSpec> specs() {
        return List.of(
                OpSpec.of("conv2d", g -> new Tensor[] {Samples.normal(g, 2, 3, 5, 5), Samples.normal(g, 4, 3, 3, 3), Samples.normal(g, 4)},
                        in -> conv2d(in[0], in[1], in[2], new int[] {1}, new int[] {1}, null, 1)),
                OpSpec.of("conv2d_strided_groups", g -> new Tensor[] {Samples.normal(g, 2, 4, 6, 5), Samples.normal(g, 6, 2, 3, 2), Samples.normal(g, 6)},
                        in -> conv2d(in[0], in[1], in[2], new int[] {2, 1}, new int[] {1, 0}, null, 2)),
                OpSpec.of("conv2d_dilated", g -> new Tensor[] {Samples.normal(g, 1, 2, 7, 6), Samples.normal(g, 3, 2, 2, 3)},
                        in -> conv2d(in[0], in[1], null, new int[] {1, 2}, new int[] {2, 1}, new int[] {2, 1}, 1)),
                OpSpec.of("conv2d_unbatched", g -> new Tensor[] {Samples.normal(g, 2, 4, 4), Samples.normal(g, 2, 1, 2, 2), Samples.normal(g, 2)},
                        in -> conv2d(in[0], in[1], in[2], null, null, null, 2)));
    }
}
