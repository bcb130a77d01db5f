package org.uactn.core.ops;

import org.uactn.core.autograd.Graph;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** Batch normalisation and Lp normalisation. */
public final class Normalization {
    private Normalization() {}

    /**
     * PyTorch's F.batch_norm over dim 1 of x ([N, C] or [N, C, *]). Running stats may be null
     * (then training must be true); weight/bias may be null. In training the batch statistics are
     * used and the running stats are updated in place (unbiased variance, with momentum).
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batch_norm: expected an input of shape [N, C] or [N, C, *], got " + Shapes.str(x.shape()));
        }
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("batch_norm: expected a floating-point input, got " + x.dtype() + " of shape " + Shapes.str(x.shape()));
        }
        int c = x.size(1);
        checkChannel("running_mean", runningMean, x, c);
        checkChannel("running_var", runningVar, x, c);
        checkChannel("weight", weight, x, c);
        checkChannel("bias", bias, x, c);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("batch_norm: running_mean and running_var must both be given or both be null");
        }
        if (!(eps >= 0)) throw new IllegalArgumentException("batch_norm: eps must be >= 0, got " + eps);
        if (!training) {
            if (runningMean == null) throw new IllegalArgumentException("batch_norm: evaluation mode needs running_mean and running_var");
            return evalMode(x, runningMean, runningVar, weight, bias, eps);
        }
        int[] xs = x.shape();
        int perChannel = x.numel() / Math.max(c, 1);
        if (perChannel <= 1) {
            throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, got input of shape " + Shapes.str(xs));
        }
        Tensor xc = Views.contiguous(x.detach());
        Tensor wc = weight == null ? null : Views.contiguous(weight.detach());
        Tensor bc = bias == null ? null : Views.contiguous(bias.detach());
        Tensor out = Tensor.zeros(x.dtype(), x.device(), xs);
        Tensor saveMean = Tensor.zeros(x.dtype(), x.device(), c);
        Tensor saveInvStd = Tensor.zeros(x.dtype(), x.device(), c);
        x.backend().batchNorm(xc, wc, bc, runningMean == null ? null : runningMean.detach(), runningVar == null ? null : runningVar.detach(),
                true, momentum, eps, out, saveMean, saveInvStd);
        return Graph.record("batch_norm", out, g -> {
            boolean needW = weight != null && weight.requiresGrad(), needB = bias != null && bias.requiresGrad();
            Tensor gx = Tensor.zeros(g.dtype(), g.device(), xs);
            Tensor gw = needW ? Tensor.zeros(g.dtype(), g.device(), c) : null;
            Tensor gb = needB ? Tensor.zeros(g.dtype(), g.device(), c) : null;
            g.backend().batchNormBackward(Views.contiguous(g), xc, wc, saveMean, saveInvStd, gx, gw, gb);
            return new Tensor[] {x.requiresGrad() ? gx : null, gw, gb};
        }, x, weight, bias);
    }

    /** (x - running_mean) / sqrt(running_var + eps) * weight + bias, composed so gradients reach x, weight and bias. */
    private static Tensor evalMode(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, double eps) {
        int[] bshape = new int[x.dim()];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = x.size(1);
        Tensor mean = Views.reshape(runningMean.detach(), bshape);
        Tensor invStd = Views.reshape(Pointwise.pow(Pointwise.add(runningVar.detach(), eps), -0.5), bshape);
        Tensor y = Pointwise.mul(Pointwise.sub(x, mean.to(x.dtype())), invStd.to(x.dtype()));
        if (weight != null) y = Pointwise.mul(y, Views.reshape(weight, bshape));
        if (bias != null) y = Pointwise.add(y, Views.reshape(bias, bshape));
        return y;
    }

    private static void checkChannel(String what, Tensor t, Tensor x, int c) {
        if (t == null) return;
        if (t.dim() != 1 || t.size(0) != c) {
            throw new IllegalArgumentException("batch_norm: " + what + " of shape " + Shapes.str(t.shape()) + " does not match the "
                    + c + " channels of input " + Shapes.str(x.shape()) + " (expected [" + c + "])");
        }
        if (t.dtype() != x.dtype()) {
            throw new IllegalArgumentException("batch_norm: " + what + " is " + t.dtype() + " but the input is " + x.dtype());
        }
        if (!t.device().equals(x.device())) {
            throw new IllegalArgumentException("batch_norm: " + what + " is on " + t.device() + " but the input is on " + x.device());
        }
    }

    /**
     * PyTorch's F.normalize: x / max(||x||_p along dim, eps). Written as x / max(s, eps^p)^(1/p)
     * with s = sum |x|^p, which is the same value but keeps the gradient finite for all-zero rows.
     * p = +infinity uses the largest magnitude.
     */
    public static Tensor normalize(Tensor x, double p, int dim, double eps) {
        if (!(p > 0)) throw new IllegalArgumentException("normalize: p must be > 0, got " + p + " (input shape " + Shapes.str(x.shape()) + ")");
        if (!(eps >= 0)) throw new IllegalArgumentException("normalize: eps must be >= 0, got " + eps);
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("normalize: expected a floating-point tensor, got " + x.dtype() + " of shape " + Shapes.str(x.shape()));
        }
        int d = Shapes.wrapDim("normalize", dim, x.dim());
        Tensor denom;
        if (p == Double.POSITIVE_INFINITY) {
            Tensor norm = x.dim() == 0 ? Pointwise.abs(x) : Reductions.max(Pointwise.abs(x), d, true).values();
            denom = Pointwise.clamp(norm, eps, Double.POSITIVE_INFINITY);
        } else {
            int[] dims = x.dim() == 0 ? new int[0] : new int[] {d};
            Tensor powered = p == 2 ? Pointwise.mul(x, x) : Pointwise.pow(Pointwise.abs(x), p);
            Tensor s = Reductions.sum(powered, dims, true);
            Tensor floored = Pointwise.clamp(s, Math.pow(eps, p), Double.POSITIVE_INFINITY);
            denom = p == 2 ? Pointwise.sqrt(floored) : Pointwise.pow(floored, 1.0 / p);
        }
        return Pointwise.div(x, denom);
    }

    static List<OpSpec> specs() {
        return List.of(
                OpSpec.of("batch_norm", g -> new Tensor[] {Samples.normal(g, 4, 3, 2, 2), Samples.uniform(g, 0.5, 1.5, 3), Samples.normal(g, 3)},
                        in -> batchNorm(in[0], zerosOf(in[0], 3), onesOf(in[0], 3), in[1], in[2], true, 0.1, 1e-5)),
                OpSpec.of("batch_norm_2d", g -> new Tensor[] {Samples.normal(g, 5, 3)},
                        in -> batchNorm(in[0], null, null, null, null, true, 0.1, 1e-5)),
                OpSpec.of("batch_norm_eval", g -> new Tensor[] {Samples.normal(g, 2, 3, 2, 2), Samples.uniform(g, 0.5, 1.5, 3), Samples.normal(g, 3)},
                        in -> {
                            Generator fixed = new Generator(11);
                            Tensor mean = Samples.normal(fixed, 3).to(in[0].device());
                            Tensor var = Samples.uniform(fixed, 0.5, 2, 3).to(in[0].device());
                            return batchNorm(in[0], mean, var, in[1], in[2], false, 0.1, 1e-5);
                        }),
                OpSpec.of("normalize", g -> new Tensor[] {Samples.normal(g, 3, 4)}, in -> normalize(in[0], 2, 1, 1e-12)),
                OpSpec.of("normalize_p3", g -> new Tensor[] {Samples.normal(g, 3, 4)}, in -> normalize(in[0], 3, 0, 1e-12)),
                OpSpec.of("normalize_floor", g -> new Tensor[] {Samples.uniform(g, 0.01, 0.02, 2, 3)}, in -> normalize(in[0], 2, -1, 0.5)));
    }

    private static Tensor zerosOf(Tensor like, int c) { return Tensor.zeros(like.dtype(), like.device(), c); }

    private static Tensor onesOf(Tensor like, int c) { return Tensor.full(new int[] {c}, 1.0, like.dtype(), like.device()); }
}
