// Runs schedulers one after another, switching at milestone epochs (torch.optim.lr_scheduler.SequentialLR),
// e.g. LinearLR warm-up followed by cosine annealing.
package org.uactn.core.optim;

import java.util.Arrays;
import java.util.List;

/** On reaching a milestone the next scheduler is restarted with step(0) (its closed form at epoch 0). */
public final class SequentialLR extends CompositeScheduler {
    private final int[] milestones;

    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        super(optimizer, schedulers);
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: expects number of schedulers provided to be one more than the number of milestone points, but got "
                    + schedulers.size() + " schedulers and milestones " + Arrays.toString(milestones));
        }
        for (int i = 1; i < milestones.length; i++) {
            if (milestones[i] < milestones[i - 1]) throw new IllegalArgumentException("SequentialLR: milestones must be sorted, got " + Arrays.toString(milestones));
        }
        this.milestones = milestones.clone();
        lastEpoch = 0;
        // Undo the initial steps the schedulers made on construction and restart from the first one.
        for (ParamGroup g : optimizer.paramGroups()) g.setLr(g.getDouble("initial_lr"));
        for (LRScheduler s : this.schedulers) s.lastEpoch -= 1;
        this.schedulers.get(0).initialStep();
        setLastLr(this.schedulers.get(0).getLastLr());
    }

    @Override
    public void step() {
        stepCount++;
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) idx++;
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) s.step(0);
        else s.step();
        setLastLr(s.getLastLr());
    }
}
