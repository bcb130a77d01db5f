package org.uactn.core.ops;

import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** Concatenation and stacking along a dimension. */
public final class Joining {
    private Joining() {}

    public static Tensor cat(List<Tensor> tensors, int dim) { throw todo("cat"); }
    public static Tensor stack(List<Tensor> tensors, int dim) { throw todo("stack"); }

    private static UnsupportedOperationException todo(String op) { return new UnsupportedOperationException(op + ": stub"); }

    static List<OpSpec> specs() { return List.of(); }
}
