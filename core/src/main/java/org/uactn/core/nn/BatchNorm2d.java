// Batch normalisation over [N, C, H, W] inputs (torch.nn.BatchNorm2d).
package org.uactn.core.nn;

import org.uactn.core.tensor.Tensor;

public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    public BatchNorm2d(int numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    @Override
    protected void checkInput(Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("BatchNorm2d: expected 4D input (got " + x.dim() + "D input)");
    }
}
