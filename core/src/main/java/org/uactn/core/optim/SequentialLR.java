// Runs schedulers one after another, switching at milestone epochs (torch.optim.lr_scheduler.SequentialLR),
// e.g. LinearLR warm-up followed by cosine annealing.
package org.uactn.core.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** On reaching a milestone the next scheduler is restarted with step(0) (its closed form at epoch 0). */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        super(optimizer);
        if (schedulers.isEmpty()) throw new IllegalArgumentException("SequentialLR: expects at least one scheduler");
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("SequentialLR: expects all schedulers to belong to the same optimizer, but scheduler " + i + " does not");
            }
        }
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: expects number of schedulers provided to be one more than the number of milestone points, but got "
                    + schedulers.size() + " schedulers and milestones " + Arrays.toString(milestones));
        }
        for (int i = 1; i < milestones.length; i++) {
            if (milestones[i] < milestones[i - 1]) throw new IllegalArgumentException("SequentialLR: milestones must be sorted, got " + Arrays.toString(milestones));
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        lastEpoch = 0;
        // Undo the initial steps the schedulers made on construction and restart from the first one.
        for (ParamGroup g : optimizer.paramGroups()) g.setLr(g.getDouble("initial_lr"));
        for (LRScheduler s : this.schedulers) s.lastEpoch -= 1;
        this.schedulers.get(0).initialStep();
        setLastLr(this.schedulers.get(0).getLastLr());
    }

    /** The composition has no rule of its own: the active scheduler sets the lr. */
    @Override
    protected double[] computeLr() { return currentLrs(); }

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

    @Override
    public void step(int epoch) {
        throw new IllegalArgumentException("SequentialLR: step(epoch) is not supported; call step() once per epoch");
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = super.stateDict();
        List<Map<String, Object>> subs = new ArrayList<>();
        for (LRScheduler s : schedulers) subs.add(s.stateDict());
        m.put("_schedulers", subs);
        return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> sd) {
        if (!(sd.get("_schedulers") instanceof List<?> subs) || subs.size() != schedulers.size()) {
            throw new IllegalArgumentException("SequentialLR.loadStateDict: '_schedulers' must list " + schedulers.size() + " scheduler states");
        }
        super.loadStateDict(sd);
        for (int i = 0; i < schedulers.size(); i++) schedulers.get(i).loadStateDict((Map<String, Object>) subs.get(i));
    }
}
