package org.uactn.core.ops;

import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** Reductions over dimensions: sum, mean, max (with indices), argmax. */
public final class Reductions {
    private Reductions() {}

    /** The values and int64 positions of maxima along one dimension. */
    public record MaxResult(Tensor values, Tensor indices) {}

    public static Tensor sum(Tensor x) { throw todo("sum"); }
    public static Tensor sum(Tensor x, int[] dims, boolean keepDim) { throw todo("sum"); }
    public static Tensor mean(Tensor x) { throw todo("mean"); }
    public static Tensor mean(Tensor x, int[] dims, boolean keepDim) { throw todo("mean"); }
    public static Tensor max(Tensor x) { throw todo("max"); }
    public static MaxResult max(Tensor x, int dim, boolean keepDim) { throw todo("max"); }
    public static Tensor argmax(Tensor x, int dim, boolean keepDim) { throw todo("argmax"); }

    private static UnsupportedOperationException todo(String op) { return new UnsupportedOperationException(op + ": stub"); }

    static List<OpSpec> specs() { return List.of(); }
}
