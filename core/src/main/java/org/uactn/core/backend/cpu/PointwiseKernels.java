package org.uactn.core.backend.cpu;

import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.Tensor;

/** CPU kernels: element-wise unary, binary and where. */
final class PointwiseKernels {
    private PointwiseKernels() {}

    static void unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1) {
        throw new UnsupportedOperationException("cpu kernel unary: stub");
    }

    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("cpu kernel binary: stub");
    }

    static void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("cpu kernel where: stub");
    }
}
