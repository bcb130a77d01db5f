package org.uactn.core.ops;

import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** Matrix products: matmul with PyTorch broadcasting rules, and linear. */
public final class LinearAlgebra {
    private LinearAlgebra() {}

    public static Tensor matmul(Tensor a, Tensor b) { throw todo("matmul"); }
    /** x W^T + b with w of shape [out, in]; b may be null. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) { throw todo("linear"); }

    private static UnsupportedOperationException todo(String op) { return new UnsupportedOperationException(op + ": stub"); }

    static List<OpSpec> specs() { return List.of(); }
}
