// Steps several schedulers together each epoch so their factors multiply (torch.optim.lr_scheduler.ChainedScheduler).
package org.uactn.core.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public final class ChainedScheduler extends LRScheduler {
    private final List<LRScheduler> schedulers;

    public ChainedScheduler(List<LRScheduler> schedulers) {
        super(first(schedulers).optimizer());
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("ChainedScheduler: expects all schedulers to belong to the same optimizer, but scheduler " + i + " does not");
            }
        }
        this.schedulers = List.copyOf(schedulers);
        setLastLr(currentLrs());
    }

    private static LRScheduler first(List<LRScheduler> s) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException("ChainedScheduler: expects at least one scheduler");
        return s.get(0);
    }

    /** The composition has no rule of its own: each member scales the lr in turn. */
    @Override
    protected double[] computeLr() { return currentLrs(); }

    @Override
    public void step() {
        stepCount++;
        lastEpoch++;
        for (LRScheduler s : schedulers) s.step();
        setLastLr(currentLrs());
    }

    @Override
    public void step(int epoch) {
        throw new IllegalArgumentException("ChainedScheduler: step(epoch) is not supported; call step() once per epoch");
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
            throw new IllegalArgumentException("ChainedScheduler.loadStateDict: '_schedulers' must list " + schedulers.size() + " scheduler states");
        }
        super.loadStateDict(sd);
        for (int i = 0; i < schedulers.size(); i++) schedulers.get(i).loadStateDict((Map<String, Object>) subs.get(i));
    }
}
