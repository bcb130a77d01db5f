package org.uactn.core.backend.cpu;

import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.Tensor;

/** CPU kernels: batch normalisation forward and backward. */
final class BatchNormKernels {
    private BatchNormKernels() {}

    static void batchNorm(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                   boolean training, double momentum, double eps, Tensor out, Tensor saveMean, Tensor saveInvStd) {
        throw new UnsupportedOperationException("cpu kernel batchNorm: stub");
    }

    static void batchNormBackward(Tensor gradOut, Tensor x, Tensor weight, Tensor saveMean, Tensor saveInvStd,
                           Tensor gradIn, Tensor gradWeight, Tensor gradBias) {
        throw new UnsupportedOperationException("cpu kernel batchNormBackward: stub");
    }
}
