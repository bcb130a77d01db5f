// Steps several schedulers together each epoch so their factors multiply (torch.optim.lr_scheduler.ChainedScheduler).
package org.uactn.core.optim;

import java.util.List;

public final class ChainedScheduler extends CompositeScheduler {
    public ChainedScheduler(List<LRScheduler> schedulers) {
        super(first(schedulers).optimizer(), schedulers);
        setLastLr(currentLrs());
    }

    private static LRScheduler first(List<LRScheduler> s) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException("ChainedScheduler: expects at least one scheduler");
        return s.get(0);
    }

    @Override
    public void step() {
        stepCount++;
        lastEpoch++;
        for (LRScheduler s : schedulers) s.step();
        setLastLr(currentLrs());
    }
}
