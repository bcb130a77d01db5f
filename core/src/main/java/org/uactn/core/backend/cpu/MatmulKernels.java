package org.uactn.core.backend.cpu;

import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.Tensor;

/** CPU kernels: batched matrix products. */
final class MatmulKernels {
    private MatmulKernels() {}

    static void matmul(Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("cpu kernel matmul: stub");
    }
}
