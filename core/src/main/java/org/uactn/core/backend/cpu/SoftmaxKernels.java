package org.uactn.core.backend.cpu;

import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.Tensor;

/** CPU kernels: softmax and log-softmax. */
final class SoftmaxKernels {
    private SoftmaxKernels() {}

    static void softmax(Tensor x, int dim, boolean log, Tensor out) {
        throw new UnsupportedOperationException("cpu kernel softmax: stub");
    }

    static void softmaxBackward(Tensor gradOut, Tensor out, int dim, boolean log, Tensor gradIn) {
        throw new UnsupportedOperationException("cpu kernel softmaxBackward: stub");
    }
}
