package org.uactn.core.ops;

import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** Softmax, log-softmax and dropout. */
public final class Activations {
    private Activations() {}

    public static Tensor softmax(Tensor x, int dim) { throw todo("softmax"); }
    public static Tensor logSoftmax(Tensor x, int dim) { throw todo("log_softmax"); }
    public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) { throw todo("dropout"); }

    private static UnsupportedOperationException todo(String op) { return new UnsupportedOperationException(op + ": stub"); }

    static List<OpSpec> specs() { return List.of(); }
}
