package org.uactn.core.ops;

import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** Loss functions with PyTorch semantics. */
public final class Losses {
    private Losses() {}

    public static Tensor crossEntropy(Tensor logits, Tensor target, LossReduction reduction, double labelSmoothing) { throw todo("cross_entropy"); }
    public static Tensor nllLoss(Tensor logProbs, Tensor target, LossReduction reduction) { throw todo("nll_loss"); }
    public static Tensor mseLoss(Tensor input, Tensor target, LossReduction reduction) { throw todo("mse_loss"); }

    private static UnsupportedOperationException todo(String op) { return new UnsupportedOperationException(op + ": stub"); }

    static List<OpSpec> specs() { return List.of(); }
}
