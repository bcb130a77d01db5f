package org.uactn.core.backend.cpu;

import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.Tensor;

/** CPU kernels: 2-D convolution forward and backward. */
final class ConvKernels {
    private ConvKernels() {}

    static void conv2d(Tensor x, Tensor w, Tensor bias, Tensor out, Conv2dParams p) {
        throw new UnsupportedOperationException("cpu kernel conv2d: stub");
    }

    static void conv2dBackwardInput(Tensor gradOut, Tensor w, Tensor gradIn, Conv2dParams p) {
        throw new UnsupportedOperationException("cpu kernel conv2dBackwardInput: stub");
    }

    static void conv2dBackwardWeight(Tensor gradOut, Tensor x, Tensor gradW, Conv2dParams p) {
        throw new UnsupportedOperationException("cpu kernel conv2dBackwardWeight: stub");
    }
}
