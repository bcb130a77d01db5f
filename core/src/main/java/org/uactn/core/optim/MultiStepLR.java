// Multiplies the lr by gamma at each milestone epoch (torch.optim.lr_scheduler.MultiStepLR);
// a milestone listed k times applies gamma^k, as PyTorch's Counter does.
package org.uactn.core.optim;

import java.util.Arrays;

public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        initialStep();
    }

    private int count(int epoch) {
        int c = 0;
        for (int m : milestones) if (m == epoch) c++;
        return c;
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        int c = count(lastEpoch);
        if (c == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, c);
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0;
        for (int m : milestones) if (m <= lastEpoch) passed++;
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, passed);
        return lrs;
    }
}
