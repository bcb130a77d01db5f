// Shared implementation of BatchNorm1d/2d: affine parameters, running statistics and the
// num_batches_tracked counter, following torch.nn.modules.batchnorm._BatchNorm.
package org.uactn.core.nn;

import org.uactn.core.autograd.GradMode;
import org.uactn.core.ops.Normalization;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/**
 * Normalises over the channel dimension (dim 1). Momentum may be NaN, which means a cumulative
 * moving average (PyTorch's momentum=None): the factor is then 1 / num_batches_tracked.
 */
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps, momentum;
    private final boolean affine, trackRunningStats;

    protected BatchNorm(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures < 1) throw new IllegalArgumentException(typeName() + ": num_features must be >= 1, got " + numFeatures);
        if (!(eps > 0)) throw new IllegalArgumentException(typeName() + ": eps must be > 0, got " + eps);
        if (!Double.isNaN(momentum) && (momentum < 0 || momentum > 1)) {
            throw new IllegalArgumentException(typeName() + ": momentum must be in [0, 1] (or NaN for a cumulative average), got " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        registerParameter("weight", affine ? Tensor.ones(numFeatures) : null);
        registerParameter("bias", affine ? Tensor.zeros(numFeatures) : null);
        registerBuffer("running_mean", trackRunningStats ? Tensor.zeros(numFeatures) : null);
        registerBuffer("running_var", trackRunningStats ? Tensor.ones(numFeatures) : null);
        registerBuffer("num_batches_tracked", trackRunningStats ? Tensor.scalar(0, DType.INT64, Device.CPU) : null);
    }

    /** Throws unless x has the rank this variant accepts. */
    protected abstract void checkInput(Tensor x);

    public Tensor weight() { return param("weight"); }

    public Tensor bias() { return param("bias"); }

    public Tensor runningMean() { return buffer("running_mean"); }

    public Tensor runningVar() { return buffer("running_var"); }

    public Tensor numBatchesTracked() { return buffer("num_batches_tracked"); }

    public int numFeatures() { return numFeatures; }

    /** Running statistics back to mean 0, variance 1, counter 0. */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        try (var g = GradMode.noGrad()) {
            runningMean().fill(0);
            runningVar().fill(1);
            numBatchesTracked().fill(0);
        }
    }

    /** Running statistics reset, weight 1, bias 0. */
    public void resetParameters() {
        resetRunningStats();
        if (affine) {
            Init.ones(weight());
            Init.zeros(bias());
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        if (x.size(1) != numFeatures) {
            throw new IllegalArgumentException(typeName() + ": expected " + numFeatures + " channels in dim 1, got input " + Shapes.str(x.shape()));
        }
        double factor = Double.isNaN(momentum) ? 0.0 : momentum;
        if (isTraining() && trackRunningStats) {
            Tensor counter = numBatchesTracked();
            double n = counter.item() + 1;
            try (var g = GradMode.noGrad()) {
                counter.fill(n);
            }
            if (Double.isNaN(momentum)) factor = 1.0 / n;
        }
        boolean useBatchStats = isTraining() || !trackRunningStats;
        Tensor rm = !isTraining() || trackRunningStats ? runningMean() : null;
        Tensor rv = !isTraining() || trackRunningStats ? runningVar() : null;
        return Normalization.batchNorm(x, rm, rv, weight(), bias(), useBatchStats, factor, eps);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + pyFloat(eps) + ", momentum=" + (Double.isNaN(momentum) ? "None" : pyFloat(momentum))
                + ", affine=" + pyBool(affine) + ", track_running_stats=" + pyBool(trackRunningStats);
    }
}
