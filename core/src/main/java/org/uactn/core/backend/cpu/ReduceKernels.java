package org.uactn.core.backend.cpu;

import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.Tensor;

/** CPU kernels: sum and max along dimensions. */
final class ReduceKernels {
    private ReduceKernels() {}

    static void sum(Tensor x, int[] dims, Tensor out) {
        throw new UnsupportedOperationException("cpu kernel sum: stub");
    }

    static void maxDim(Tensor x, int dim, Tensor values, Tensor indices) {
        throw new UnsupportedOperationException("cpu kernel maxDim: stub");
    }
}
