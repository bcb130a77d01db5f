// Base of the learning-rate schedulers: PyTorch's _LRScheduler protocol (initial_lr in each
// group, an initial step at construction, chainable get_lr, closed form for step(epoch)).
package org.uactn.core.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Construction records each group's "initial_lr" (when absent) as the base lr and performs the
 * first step (epoch 0). {@link #step()} advances one epoch using the chainable rule, which
 * scales the lr currently in the group, exactly as PyTorch does; {@link #step(int)} jumps to an
 * epoch with the closed form where one exists.
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    protected double[] baseLrs;
    protected int lastEpoch;
    protected int stepCount;
    private double[] lastLr;

    protected LRScheduler(Optimizer optimizer) {
        if (optimizer == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer must not be null");
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup g = groups.get(i);
            if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
            baseLrs[i] = g.getDouble("initial_lr");
        }
        lastEpoch = -1;
        lastLr = currentLrs();
    }

    /** Subclasses call this at the end of their constructor (PyTorch's _initial_step). */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** The chainable rule: new lrs from the groups' current lrs at lastEpoch (already advanced). */
    protected abstract double[] computeLr();

    /** The closed form at lastEpoch, or null when the scheduler has none. */
    protected double[] closedFormLr() { return null; }

    /** Advances one epoch and writes the new lr into every group. */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(computeLr());
    }

    /** Jumps to an epoch (PyTorch's deprecated step(epoch)): closed form where available. */
    public void step(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        double[] lrs = closedFormLr();
        apply(lrs != null ? lrs : computeLr());
    }

    protected final void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) groups.get(i).setLr(lrs[i]);
        lastLr = lrs.clone();
    }

    protected final void setLastLr(double[] lrs) { lastLr = lrs.clone(); }

    protected final double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) out[i] = groups.get(i).lr();
        return out;
    }

    /** The lrs set by the latest step, one per group. */
    public double[] getLastLr() { return lastLr.clone(); }

    public int lastEpoch() { return lastEpoch; }

    public Optimizer optimizer() { return optimizer; }

    // ---- state dict ---------------------------------------------------------------------------

    /** The counters and learning rates (PyTorch's key names); subclasses add their own fields. */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("last_epoch", lastEpoch);
        m.put("_step_count", stepCount);
        m.put("base_lrs", toList(baseLrs));
        m.put("_last_lr", toList(lastLr));
        return m;
    }

    public void loadStateDict(Map<String, Object> sd) {
        int epoch = intOf(sd, "last_epoch"), count = intOf(sd, "_step_count");
        double[] base = arrayOf(sd, "base_lrs"), last = arrayOf(sd, "_last_lr");
        lastEpoch = epoch;
        stepCount = count;
        baseLrs = base;
        lastLr = last;
    }

    protected static List<Double> toList(double[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (double v : a) l.add(v);
        return List.copyOf(l);
    }

    protected final int intOf(Map<String, Object> sd, String key) {
        if (!(sd.get(key) instanceof Number n)) throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: missing or non-numeric '" + key + "'");
        return n.intValue();
    }

    protected final double doubleOf(Map<String, Object> sd, String key) {
        if (!(sd.get(key) instanceof Number n)) throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: missing or non-numeric '" + key + "'");
        return n.doubleValue();
    }

    protected final double[] arrayOf(Map<String, Object> sd, String key) {
        if (!(sd.get(key) instanceof List<?> l) || l.size() != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: '" + key + "' must be a list with one value per parameter group ("
                    + optimizer.paramGroups().size() + "), got " + sd.get(key));
        }
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: '" + key + "' holds a non-number " + l.get(i));
            out[i] = n.doubleValue();
        }
        return out;
    }
}
