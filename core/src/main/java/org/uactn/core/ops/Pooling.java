package org.uactn.core.ops;

import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** 2-D pooling: max, average and adaptive average. */
public final class Pooling {
    private Pooling() {}

    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) { throw todo("max_pool2d"); }
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) { throw todo("avg_pool2d"); }
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) { throw todo("adaptive_avg_pool2d"); }

    private static UnsupportedOperationException todo(String op) { return new UnsupportedOperationException(op + ": stub"); }

    static List<OpSpec> specs() { return List.of(); }
}
