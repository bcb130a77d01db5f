package org.uactn.core.ops;

import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** Batch normalisation and Lp normalisation. */
public final class Normalization {
    private Normalization() {}

    /** PyTorch's F.batch_norm: running stats may be null (then training must be true); weight/bias may be null. */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) { throw todo("batch_norm"); }
    /** PyTorch's F.normalize: x / max(||x||_p along dim, eps). */
    public static Tensor normalize(Tensor x, double p, int dim, double eps) { throw todo("normalize"); }

    private static UnsupportedOperationException todo(String op) { return new UnsupportedOperationException(op + ": stub"); }

    static List<OpSpec> specs() { return List.of(); }
}
