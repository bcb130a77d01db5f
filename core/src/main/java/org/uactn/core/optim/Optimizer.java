// Base of the optimisers: parameter groups with defaults, per-parameter state, zeroGrad, and a
// state dict laid out like PyTorch's (state by global parameter index plus group options).
package org.uactn.core.optim;

import org.uactn.core.autograd.GradMode;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Subclasses implement {@link #update()}, which {@link #step()} runs without gradient recording.
 * Updates run as fused backend kernels (Backend.sgdStep / adamStep) or in-place tensor ops, so they
 * run on any backend.
 * Parameters whose gradient is null are skipped (their state is left untouched).
 */
public abstract class Optimizer {
    /** Per-parameter state: named tensors (param-shaped) and the number of updates applied. */
    protected static final class ParamState {
        public long step;
        public final Map<String, Tensor> tensors = new LinkedHashMap<>();
    }

    private final String name;
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Tensor, ParamState> state = new IdentityHashMap<>();

    protected Optimizer(String name, List<ParamGroup> groups, Map<String, Object> defaults) {
        this.name = name;
        Map<String, Object> d = new LinkedHashMap<>();
        for (var e : defaults.entrySet()) {
            if (e.getValue() != null) d.put(e.getKey(), ParamGroup.normalise(e.getKey(), e.getValue()));
            else d.put(e.getKey(), null);
        }
        this.defaults = Collections.unmodifiableMap(d);
        if (groups.isEmpty()) throw new IllegalArgumentException(name + ": optimizer got an empty parameter list");
        for (ParamGroup g : groups) addParamGroup(g);
    }

    /** Adds a group, filling unset options from the defaults (a null default means the option is required). */
    public void addParamGroup(ParamGroup g) {
        for (String k : g.options().keySet()) {
            if (!defaults.containsKey(k) && !k.equals("initial_lr")) {
                throw new IllegalArgumentException(name + ": unknown option '" + k + "' in parameter group; known: " + defaults.keySet());
            }
        }
        for (var e : defaults.entrySet()) {
            if (!g.has(e.getKey())) {
                if (e.getValue() == null) throw new IllegalArgumentException(name + ": parameter group didn't specify a value of required optimization parameter '" + e.getKey() + "'");
                g.set(e.getKey(), e.getValue());
            }
        }
        if (g.params().isEmpty()) throw new IllegalArgumentException(name + ": a parameter group has no parameters");
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (ParamGroup other : groups) for (Tensor p : other.params()) seen.put(p, true);
        for (Tensor p : g.params()) {
            if (!p.dtype().isFloating()) throw new IllegalArgumentException(name + ": can only optimize floating-point tensors, got " + p.dtype());
            if (!p.isLeaf()) throw new IllegalArgumentException(name + ": can't optimize a non-leaf tensor " + p);
            if (seen.put(p, true) != null) throw new IllegalArgumentException(name + ": some parameters appear in more than one parameter group");
        }
        validate(g);
        groups.add(g);
    }

    /** Checks a group's hyper-parameter values; throw IllegalArgumentException naming the bad one. */
    protected abstract void validate(ParamGroup g);

    /** Applies one update to every parameter with a gradient; runs under GradMode.noGrad(). */
    protected abstract void update();

    /** Whether the per-parameter update count is part of this optimiser's state (Adam's "step"). */
    protected abstract boolean tracksStep();

    public final void step() {
        try (var g = GradMode.noGrad()) {
            update();
        }
    }

    /** Drops every parameter's gradient (PyTorch's zero_grad(set_to_none=True)). */
    public void zeroGrad() {
        for (ParamGroup g : groups) for (Tensor p : g.params()) p.zeroGrad();
    }

    public List<ParamGroup> paramGroups() { return Collections.unmodifiableList(groups); }

    public Map<String, Object> defaults() { return defaults; }

    /** The state of one parameter, created empty on first use. */
    protected ParamState state(Tensor p) { return state.computeIfAbsent(p, k -> new ParamState()); }

    /** A zero tensor shaped, typed and placed like p, for new state entries. */
    protected static Tensor zerosLike(Tensor p) { return Tensor.zeros(p.dtype(), p.device(), p.shape()); }

    // ---- state dict -------------------------------------------------------------------------

    /** A snapshot: state tensors are copies, so later steps do not change a saved state. */
    public OptimizerState stateDict() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<Map<String, Object>> groupMaps = new ArrayList<>();
        int index = 0;
        try (var ng = GradMode.noGrad()) {
            for (ParamGroup g : groups) {
                Map<String, Object> m = new LinkedHashMap<>(g.options());
                List<Integer> ids = new ArrayList<>();
                for (Tensor p : g.params()) {
                    ParamState s = state.get(p);
                    if (s != null) {
                        for (var e : s.tensors.entrySet()) tensors.put("state." + index + "." + e.getKey(), e.getValue().detach().copy().detach());
                        if (tracksStep()) tensors.put("state." + index + ".step", Tensor.scalar(s.step, DType.FLOAT32, Device.CPU));
                    }
                    ids.add(index++);
                }
                m.put("params", List.copyOf(ids));
                groupMaps.add(m);
            }
        }
        return new OptimizerState(tensors, groupMaps);
    }

    /**
     * Restores hyper-parameters and per-parameter state. Groups must match in number and size;
     * state tensors are copied onto each parameter's device and dtype. Throws
     * IllegalArgumentException (leaving this optimiser unchanged) when the state does not fit.
     */
    public void loadStateDict(OptimizerState sd) {
        if (sd.groups().size() != groups.size()) {
            throw new IllegalArgumentException(name + ".loadStateDict: loaded state dict has " + sd.groups().size()
                    + " parameter groups, the optimizer has " + groups.size());
        }
        List<Tensor> flat = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Object ids = sd.groups().get(i).get("params");
            int n = ids instanceof List<?> l ? l.size() : -1;
            if (n != groups.get(i).params().size()) {
                throw new IllegalArgumentException(name + ".loadStateDict: loaded parameter group " + i + " has " + n
                        + " params, the optimizer's group has " + groups.get(i).params().size());
            }
            flat.addAll(groups.get(i).params());
        }
        Map<Tensor, ParamState> fresh = new IdentityHashMap<>();
        try (var ng = GradMode.noGrad()) {
            for (var e : sd.tensors().entrySet()) {
                String[] parts = e.getKey().split("\\.", 3);
                int idx;
                try {
                    if (parts.length != 3 || !parts[0].equals("state")) throw new NumberFormatException();
                    idx = Integer.parseInt(parts[1]);
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException(name + ".loadStateDict: bad state key '" + e.getKey() + "' (expected state.<index>.<name>)");
                }
                if (idx < 0 || idx >= flat.size()) {
                    throw new IllegalArgumentException(name + ".loadStateDict: state key '" + e.getKey() + "' refers to parameter " + idx + " of " + flat.size());
                }
                Tensor p = flat.get(idx);
                ParamState s = fresh.computeIfAbsent(p, k -> new ParamState());
                Tensor v = e.getValue();
                if (parts[2].equals("step")) {
                    s.step = Math.round(v.item());
                } else {
                    if (!Arrays.equals(v.shape(), p.shape())) {
                        throw new IllegalArgumentException(name + ".loadStateDict: " + e.getKey() + ": expected " + Shapes.str(p.shape()) + " got " + Shapes.str(v.shape()));
                    }
                    s.tensors.put(parts[2], zerosLike(p).copyFrom(v));
                }
            }
        }
        List<Map<String, Object>> options = new ArrayList<>();
        for (Map<String, Object> m : sd.groups()) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (var e : m.entrySet()) if (!e.getKey().equals("params")) o.put(e.getKey(), ParamGroup.normalise(e.getKey(), e.getValue()));
            options.add(o);
        }
        for (int i = 0; i < groups.size(); i++) for (var e : options.get(i).entrySet()) groups.get(i).set(e.getKey(), e.getValue());
        state.clear();
        state.putAll(fresh);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            sb.append("\nParameter Group ").append(i);
            for (var e : groups.get(i).options().entrySet()) sb.append("\n    ").append(e.getKey()).append(": ").append(e.getValue());
        }
        return sb.append("\n)").toString();
    }
}
