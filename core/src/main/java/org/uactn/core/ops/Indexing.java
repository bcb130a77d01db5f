package org.uactn.core.ops;

import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** Gather, scatter, index_select and one_hot. */
public final class Indexing {
    private Indexing() {}

    public static Tensor gather(Tensor x, int dim, Tensor index) { throw todo("gather"); }
    public static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src) { throw todo("scatter"); }
    public static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) { throw todo("scatter_add"); }
    public static Tensor indexSelect(Tensor x, int dim, Tensor index) { throw todo("index_select"); }
    public static Tensor oneHot(Tensor index, int numClasses) { throw todo("one_hot"); }

    private static UnsupportedOperationException todo(String op) { return new UnsupportedOperationException(op + ": stub"); }

    static List<OpSpec> specs() { return List.of(); }
}
