package org.uactn.core.backend.cpu;

import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.Tensor;

/** CPU kernels: max, average and adaptive average pooling. */
final class PoolKernels {
    private PoolKernels() {}

    static void maxPool2d(Tensor x, Tensor out, Tensor indices, Pool2dParams p) {
        throw new UnsupportedOperationException("cpu kernel maxPool2d: stub");
    }

    static void maxPool2dBackward(Tensor gradOut, Tensor indices, Tensor gradIn) {
        throw new UnsupportedOperationException("cpu kernel maxPool2dBackward: stub");
    }

    static void avgPool2d(Tensor x, Tensor out, Pool2dParams p) {
        throw new UnsupportedOperationException("cpu kernel avgPool2d: stub");
    }

    static void avgPool2dBackward(Tensor gradOut, Tensor gradIn, Pool2dParams p) {
        throw new UnsupportedOperationException("cpu kernel avgPool2dBackward: stub");
    }

    static void adaptiveAvgPool2d(Tensor x, Tensor out) {
        throw new UnsupportedOperationException("cpu kernel adaptiveAvgPool2d: stub");
    }

    static void adaptiveAvgPool2dBackward(Tensor gradOut, Tensor gradIn) {
        throw new UnsupportedOperationException("cpu kernel adaptiveAvgPool2dBackward: stub");
    }
}
