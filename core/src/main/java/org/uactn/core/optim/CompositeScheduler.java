// The common part of schedulers built from other schedulers (ChainedScheduler, SequentialLR): the
// members, their checks, and saving/loading their states alongside the composite's own.
package org.uactn.core.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

abstract class CompositeScheduler extends LRScheduler {
    protected final List<LRScheduler> schedulers;

    CompositeScheduler(Optimizer optimizer, List<LRScheduler> schedulers) {
        super(optimizer);
        String name = getClass().getSimpleName();
        if (schedulers == null || schedulers.isEmpty()) throw new IllegalArgumentException(name + ": expects at least one scheduler");
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException(name + ": expects all schedulers to belong to the same optimizer, but scheduler " + i + " does not");
            }
        }
        this.schedulers = List.copyOf(schedulers);
    }

    /** The composition has no rule of its own: its members set the lr. */
    @Override
    protected double[] computeLr() { return currentLrs(); }

    @Override
    public void step(int epoch) {
        throw new IllegalArgumentException(getClass().getSimpleName() + ": step(epoch) is not supported; call step() once per epoch");
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
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: '_schedulers' must list "
                    + schedulers.size() + " scheduler states");
        }
        super.loadStateDict(sd);
        for (int i = 0; i < schedulers.size(); i++) schedulers.get(i).loadStateDict((Map<String, Object>) subs.get(i));
    }
}
