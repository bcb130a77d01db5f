// Linear warm-up: scales the lr from startFactor to endFactor over totalIters epochs
// (torch.optim.lr_scheduler.LinearLR), with PyTorch's chainable rule.
package org.uactn.core.optim;

public final class LinearLR extends LRScheduler {
    private final double startFactor, endFactor;
    private final int totalIters;

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: starting multiplicative factor expected to be greater than 0 and less or equal to 1, got " + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1)) throw new IllegalArgumentException("LinearLR: ending multiplicative factor expected to be between 0 and 1, got " + endFactor);
        if (totalIters < 1) throw new IllegalArgumentException("LinearLR: total_iters must be >= 1, got " + totalIters);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    /** PyTorch's defaults: start 1/3, end 1, five epochs. */
    public LinearLR(Optimizer optimizer) { this(optimizer, 1.0 / 3, 1.0, 5); }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] *= startFactor;
            return lrs;
        }
        if (lastEpoch > totalIters) return lrs;
        double f = 1.0 + (endFactor - startFactor) / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
        for (int i = 0; i < lrs.length; i++) lrs[i] *= f;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        double f = startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= f;
        return lrs;
    }
}
