package org.uactn.core.ops;

import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** 2-D convolution (NCHW), with groups, stride, padding and dilation. */
public final class Convolution {
    private Convolution() {}

    /** bias may be null; stride/padding/dilation are {h, w}. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) { throw todo("conv2d"); }

    private static UnsupportedOperationException todo(String op) { return new UnsupportedOperationException(op + ": stub"); }

    static List<OpSpec> specs() { return List.of(); }
}
