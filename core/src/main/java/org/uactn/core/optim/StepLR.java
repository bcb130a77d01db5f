// Multiplies the lr by gamma every stepSize epochs (torch.optim.lr_scheduler.StepLR).
package org.uactn.core.optim;

public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) throw new IllegalArgumentException("StepLR: step_size must be >= 1, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= gamma;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        return lrs;
    }
}
