// Cosine annealing from the base lr to etaMin over tMax epochs (torch.optim.lr_scheduler.CosineAnnealingLR),
// using PyTorch's recursive rule so that stepping matches it exactly, also past tMax.
package org.uactn.core.optim;

public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax < 1) throw new IllegalArgumentException("CosineAnnealingLR: T_max must be >= 1, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax) { this(optimizer, tMax, 0); }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        if (stepCount == 1 && lastEpoch > 0) return closedFormLr();
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] += (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            return lrs;
        }
        double ratio = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax));
        for (int i = 0; i < lrs.length; i++) lrs[i] = ratio * (lrs[i] - etaMin) + etaMin;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        return lrs;
    }
}
