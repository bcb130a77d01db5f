// Batch normalisation over [N, C] or [N, C, L] inputs (torch.nn.BatchNorm1d).
package org.uactn.core.nn;

import org.uactn.core.tensor.Tensor;

public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    public BatchNorm1d(int numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    @Override
    protected void checkInput(Tensor x) {
        if (x.dim() != 2 && x.dim() != 3) throw new IllegalArgumentException("BatchNorm1d: expected 2D or 3D input (got " + x.dim() + "D input)");
    }
}
