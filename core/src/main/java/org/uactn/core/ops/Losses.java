package org.uactn.core.ops;

import org.uactn.core.random.Generator;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/** Loss functions with PyTorch semantics, composed from differentiable ops. */
public final class Losses {
    private Losses() {}

    /**
     * PyTorch's F.cross_entropy. logits are [N, C], [N, C, d1, ...] or unbatched [C]; target holds
     * int64 class indices of shape [N, d1, ...] (or [] for unbatched), or class probabilities of
     * the logits' shape. With label smoothing eps the loss of each element is
     * (1 - eps) * nll + eps * mean_c(-log p_c).
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, LossReduction reduction, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("cross_entropy: label_smoothing must be between 0 and 1, got " + labelSmoothing);
        }
        if (logits.dim() == 0) throw new IllegalArgumentException("cross_entropy: logits must have a class dimension, got a 0-d tensor");
        if (!logits.dtype().isFloating()) {
            throw new IllegalArgumentException("cross_entropy: expected floating-point logits, got " + logits.dtype() + " of shape " + Shapes.str(logits.shape()));
        }
        int classDim = logits.dim() == 1 ? 0 : 1;
        Tensor logp = Activations.logSoftmax(logits, classDim);
        Tensor perElement;
        if (target.dtype().isFloating()) {
            if (!Arrays.equals(target.shape(), logits.shape())) {
                throw new IllegalArgumentException("cross_entropy: probability targets must have the logits' shape " + Shapes.str(logits.shape())
                        + ", got " + Shapes.str(target.shape()));
            }
            int c = logits.size(classDim);
            Tensor t = labelSmoothing > 0 ? Pointwise.add(Pointwise.mul(target, 1 - labelSmoothing), labelSmoothing / c) : target;
            perElement = Pointwise.neg(Reductions.sum(Pointwise.mul(logp, t), new int[] {classDim}, false));
        } else {
            perElement = perElementNll(logp, target, "cross_entropy");
            if (labelSmoothing > 0) {
                Tensor smooth = Pointwise.neg(Reductions.mean(logp, new int[] {classDim}, false));
                perElement = Pointwise.add(Pointwise.mul(perElement, 1 - labelSmoothing), Pointwise.mul(smooth, labelSmoothing));
            }
        }
        return reduce(perElement, reduction);
    }

    /** PyTorch's F.nll_loss (no class weights, no ignore_index): -logProbs[n, target[n], ...]. */
    public static Tensor nllLoss(Tensor logProbs, Tensor target, LossReduction reduction) {
        return reduce(perElementNll(logProbs, target, "nll_loss"), reduction);
    }

    private static Tensor perElementNll(Tensor input, Tensor target, String op) {
        if (input.dim() == 0) throw new IllegalArgumentException(op + ": input must have a class dimension, got a 0-d tensor");
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": expected int64 class indices as target, got " + target.dtype() + " of shape " + Shapes.str(target.shape()));
        }
        if (!input.device().equals(target.device())) {
            throw new IllegalArgumentException(op + ": input on " + input.device() + " but target on " + target.device());
        }
        int[] is = input.shape(), ts = target.shape();
        boolean unbatched = is.length == 1;
        int classDim = unbatched ? 0 : 1;
        int[] expected = new int[is.length - 1];
        for (int i = 0, j = 0; i < is.length; i++) if (i != classDim) expected[j++] = is[i];
        if (!Arrays.equals(expected, ts)) {
            throw new IllegalArgumentException(op + ": target of shape " + Shapes.str(ts) + " does not match input of shape " + Shapes.str(is)
                    + " (expected target shape " + Shapes.str(expected) + ")");
        }
        int c = is[classDim];
        long[] values = target.toLongArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= c) {
                throw new IllegalArgumentException(op + ": target value " + values[i] + " (at flat position " + i + ") is out of range [0, " + c
                        + ") for input of shape " + Shapes.str(is));
            }
        }
        Tensor picked = Indexing.gatherInRange(input, classDim, Views.unsqueeze(target, classDim));
        return Pointwise.neg(Views.squeeze(picked, classDim));
    }

    /** PyTorch's F.mse_loss: (input - target)^2, broadcasting the two. */
    public static Tensor mseLoss(Tensor input, Tensor target, LossReduction reduction) {
        if (!input.dtype().isFloating()) {
            throw new IllegalArgumentException("mse_loss: expected a floating-point input, got " + input.dtype() + " of shape " + Shapes.str(input.shape()));
        }
        try {
            Shapes.broadcast("mse_loss", input.shape(), target.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mse_loss: input of shape " + Shapes.str(input.shape()) + " and target of shape "
                    + Shapes.str(target.shape()) + " cannot be broadcast together");
        }
        Tensor diff = Pointwise.sub(input, target);
        return reduce(Pointwise.mul(diff, diff), reduction);
    }

    private static Tensor reduce(Tensor perElement, LossReduction reduction) {
        return switch (reduction) {
            case NONE -> perElement;
            case SUM -> Reductions.sum(perElement);
            case MEAN -> Reductions.mean(perElement);
        };
    }

    static List<OpSpec> specs() {
        return List.of(
                OpSpec.of("cross_entropy", g -> new Tensor[] {Samples.normal(g, 4, 5), Samples.indices(g, 5, 4)},
                        in -> crossEntropy(in[0], in[1], LossReduction.MEAN, 0.0)),
                OpSpec.of("cross_entropy_smoothed", g -> new Tensor[] {Samples.normal(g, 4, 5), Samples.indices(g, 5, 4)},
                        in -> crossEntropy(in[0], in[1], LossReduction.MEAN, 0.1)),
                OpSpec.of("cross_entropy_spatial", g -> new Tensor[] {Samples.normal(g, 2, 3, 2, 2), Samples.indices(g, 3, 2, 2, 2)},
                        in -> crossEntropy(in[0], in[1], LossReduction.SUM, 0.2)),
                OpSpec.of("cross_entropy_probs", g -> new Tensor[] {Samples.normal(g, 3, 4), softmaxRows(g, 3, 4)},
                        in -> crossEntropy(in[0], in[1], LossReduction.NONE, 0.0)),
                OpSpec.of("nll_loss", g -> new Tensor[] {Samples.normal(g, 4, 3), Samples.indices(g, 3, 4)},
                        in -> nllLoss(in[0], in[1], LossReduction.MEAN)),
                OpSpec.of("mse_loss", g -> new Tensor[] {Samples.normal(g, 3, 4), Samples.normal(g, 3, 4)},
                        in -> mseLoss(in[0], in[1], LossReduction.MEAN)),
                OpSpec.of("mse_loss_none", g -> new Tensor[] {Samples.normal(g, 2, 3), Samples.normal(g, 3)},
                        in -> mseLoss(in[0], in[1], LossReduction.NONE)));
    }

    /** Random rows of class probabilities, for probability targets. */
    private static Tensor softmaxRows(Generator g, int n, int c) {
        double[] v = new double[n * c];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < c; j++) s += v[i * c + j] = 0.1 + g.nextDouble();
            for (int j = 0; j < c; j++) v[i * c + j] /= s;
        }
        return Tensor.of(v, n, c);
    }
}
