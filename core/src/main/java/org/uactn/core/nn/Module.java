// Base class of every layer and model: named parameters, buffers and sub-modules, state dicts,
// train/eval mode and device moves, with PyTorch's naming and ordering so checkpoints line up.
package org.uactn.core.nn;

import org.uactn.core.autograd.GradMode;
import org.uactn.core.backend.Profiler;
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
import java.util.Set;
import java.util.function.Consumer;

/**
 * A PyTorch-style module. Subclasses register their tensors and children in the constructor and
 * read them back by name ({@link #param}, {@link #buffer}) inside {@link #forward}, so that
 * {@link #to(Device)} can replace them.
 *
 * <p>Parameters are ordinary leaf tensors with {@code requiresGrad(true)}. A parameter or buffer
 * may be registered as {@code null} (like PyTorch's {@code bias=None}); it is then skipped by
 * every listing and by the state dict.
 *
 * <p>{@code to(Device)} / {@code to(DType)} rebuild each tensor on the target and put the new
 * tensor under the same name (tensor storages cannot move). References taken earlier, e.g. by an
 * optimiser, keep pointing at the old tensors, so move a model before building its optimiser.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private boolean training = true;
    private String profileLabel;

    /** Applies the module to one input. */
    public abstract Tensor forward(Tensor x);

    /**
     * {@link #forward} inside a profiler range named after this module ("layer1.0.conv1 Conv2d")
     * when {@link Profiler} ranges are on; exactly forward otherwise. Containers and the model
     * zoo call their children through this, so a profile shows the layer structure.
     */
    public final Tensor call(Tensor x) {
        if (!Profiler.enabled()) return forward(x);
        Profiler.push(profileLabel());
        try {
            return forward(x);
        } finally {
            Profiler.pop();
        }
    }

    /**
     * The range name: the dotted path below the first module that was called with ranges on (so
     * usually the model), then the type. Assigned once for the whole tree on that first call.
     */
    private String profileLabel() {
        String l = profileLabel;
        if (l == null) {
            for (var e : namedModules().entrySet()) {
                Module m = e.getValue();
                if (m.profileLabel == null) m.profileLabel = e.getKey().isEmpty() ? m.typeName() : e.getKey() + " " + m.typeName();
            }
            l = profileLabel;
        }
        return l;
    }

    // ---- registration -----------------------------------------------------------------------

    /** Registers a trainable tensor (marked requiresGrad) under name; null registers an absent slot. Returns it. */
    protected Tensor registerParameter(String name, Tensor t) {
        checkNewName(name);
        if (t != null) {
            if (!t.isLeaf()) throw new IllegalArgumentException(typeName() + ": parameter '" + name + "' must be a leaf tensor; pass a detached tensor");
            t.requiresGrad(true);
        }
        parameters.put(name, t);
        return t;
    }

    /** Registers a non-trainable state tensor (running statistics, counters); null registers an absent slot. Returns it. */
    protected Tensor registerBuffer(String name, Tensor t) {
        checkNewName(name);
        buffers.put(name, t);
        return t;
    }

    /** Registers a child module under name. Returns it. */
    protected <M extends Module> M registerModule(String name, M m) {
        checkNewName(name);
        if (m == null) throw new IllegalArgumentException(typeName() + ": sub-module '" + name + "' must not be null");
        modules.put(name, m);
        return m;
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(typeName() + ": bad attribute name '" + name + "' (must be non-empty and contain no '.')");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || modules.containsKey(name)) {
            throw new IllegalArgumentException(typeName() + ": attribute '" + name + "' is already registered");
        }
    }

    /** The parameter registered under a local name (null when registered as absent). */
    protected Tensor param(String name) {
        if (!parameters.containsKey(name)) throw new IllegalArgumentException(typeName() + ": no parameter '" + name + "'");
        return parameters.get(name);
    }

    /** The buffer registered under a local name (null when registered as absent). */
    protected Tensor buffer(String name) {
        if (!buffers.containsKey(name)) throw new IllegalArgumentException(typeName() + ": no buffer '" + name + "'");
        return buffers.get(name);
    }

    /** Replaces a registered parameter (e.g. after re-initialising into a new tensor). */
    protected void setParam(String name, Tensor t) {
        if (!parameters.containsKey(name)) throw new IllegalArgumentException(typeName() + ": no parameter '" + name + "'");
        if (t != null) t.requiresGrad(true);
        parameters.put(name, t);
    }

    /** Replaces a registered buffer. */
    protected void setBuffer(String name, Tensor t) {
        if (!buffers.containsKey(name)) throw new IllegalArgumentException(typeName() + ": no buffer '" + name + "'");
        buffers.put(name, t);
    }

    // ---- listings ---------------------------------------------------------------------------

    /** Direct children in registration order. */
    public List<Module> children() { return List.copyOf(modules.values()); }

    public Map<String, Module> namedChildren() { return Collections.unmodifiableMap(new LinkedHashMap<>(modules)); }

    /** This module and all descendants, depth first, with dotted names ("" for this one); shared modules appear once. */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collectModules(String prefix, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(this)) return;
        out.put(prefix, this);
        for (var e : modules.entrySet()) e.getValue().collectModules(join(prefix, e.getKey()), out, seen);
    }

    /** All trainable tensors, each once, in the order of {@link #namedParameters()}. */
    public List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Parameters by dotted name ("layer1.0.conv1.weight"), depth first in registration order; shared tensors listed once. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()), true);
        return out;
    }

    public List<Tensor> buffers() { return new ArrayList<>(namedBuffers().values()); }

    /** Buffers by dotted name ("bn1.running_mean"). */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()), false);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, Set<Tensor> seen, boolean params) {
        for (var e : (params ? parameters : buffers).entrySet()) {
            if (e.getValue() != null && seen.add(e.getValue())) out.put(join(prefix, e.getKey()), e.getValue());
        }
        for (var e : modules.entrySet()) e.getValue().collect(join(prefix, e.getKey()), out, seen, params);
    }

    private static String join(String prefix, String name) { return prefix.isEmpty() ? name : prefix + "." + name; }

    /** Total number of elements over all parameters (PyTorch's sum(p.numel() for p in m.parameters())). */
    public long numParameters() {
        long n = 0;
        for (Tensor p : parameters()) n += p.numel();
        return n;
    }

    /** Calls fn on every descendant (children first) and then on this module, like PyTorch's apply. */
    public Module apply(Consumer<Module> fn) {
        for (Module m : modules.values()) m.apply(fn);
        fn.accept(this);
        return this;
    }

    // ---- modes and gradients ----------------------------------------------------------------

    /** Sets training mode on this module and every descendant. Returns this. */
    public Module train(boolean mode) {
        training = mode;
        for (Module m : modules.values()) m.train(mode);
        return this;
    }

    public Module train() { return train(true); }

    public Module eval() { return train(false); }

    public boolean isTraining() { return training; }

    /** Drops every parameter's gradient (PyTorch's zero_grad(set_to_none=True)). */
    public void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    // ---- state dict -------------------------------------------------------------------------

    /**
     * Parameters and buffers by dotted name, in PyTorch's order: each module's own parameters,
     * then its own buffers, then its children's entries. Values are detached views sharing the
     * module's storage (as in PyTorch); copy them if the module keeps training.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        saveTo("", out);
        return out;
    }

    private void saveTo(String prefix, Map<String, Tensor> out) {
        for (var e : parameters.entrySet()) if (e.getValue() != null) out.put(join(prefix, e.getKey()), e.getValue().detach());
        for (var e : buffers.entrySet()) if (e.getValue() != null) out.put(join(prefix, e.getKey()), e.getValue().detach());
        for (var e : modules.entrySet()) e.getValue().saveTo(join(prefix, e.getKey()), out);
    }

    /** What a state-dict load found: keys the module has but the dict lacks, extra keys, and shape conflicts. */
    public record LoadReport(List<String> missingKeys, List<String> unexpectedKeys, List<String> shapeMismatches) {
        public LoadReport {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
            shapeMismatches = List.copyOf(shapeMismatches);
        }

        public boolean isClean() { return missingKeys.isEmpty() && unexpectedKeys.isEmpty() && shapeMismatches.isEmpty(); }

        @Override public String toString() {
            return "LoadReport(missing=" + missingKeys + ", unexpected=" + unexpectedKeys + ", shapeMismatches=" + shapeMismatches + ")";
        }
    }

    /**
     * Copies values from a state dict into this module's tensors, in place and without recording
     * gradients, converting dtype and device as needed. With strict, any missing key, unexpected key
     * or shape mismatch throws an IllegalArgumentException listing all of them and nothing is
     * modified. Without strict, matching entries are loaded and mismatched ones skipped (PyTorch
     * raises on shape mismatches even when not strict; here they are reported instead).
     */
    public LoadReport loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = new LinkedHashMap<>();
        saveTo("", own);
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                mismatched.add(e.getKey() + ": expected " + Shapes.str(e.getValue().shape()) + " got " + Shapes.str(src.shape()));
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        LoadReport report = new LoadReport(missing, unexpected, mismatched);
        if (strict && !report.isClean()) {
            StringBuilder sb = new StringBuilder("loadStateDict: error(s) loading state dict for ").append(typeName()).append(':');
            if (!missing.isEmpty()) sb.append("\n  missing keys: ").append(missing);
            if (!unexpected.isEmpty()) sb.append("\n  unexpected keys: ").append(unexpected);
            for (String m : mismatched) sb.append("\n  size mismatch for ").append(m);
            throw new IllegalArgumentException(sb.toString());
        }
        try (var g = GradMode.noGrad()) {
            for (var e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null && Arrays.equals(src.shape(), e.getValue().shape())) e.getValue().copyFrom(src);
            }
        }
        return report;
    }

    // ---- devices and types ------------------------------------------------------------------

    /** Moves every parameter, gradient and buffer to device (see the class note on identity). Returns this. */
    public Module to(Device device) {
        return convert(t -> t.to(device));
    }

    /** Converts floating-point parameters and buffers to dtype (integer buffers such as counters are kept). Returns this. */
    public Module to(DType dtype) {
        if (!dtype.isFloating()) throw new IllegalArgumentException(typeName() + ".to: modules can only be cast to floating types, got " + dtype);
        return convert(t -> t.dtype().isFloating() ? t.to(dtype) : t);
    }

    private Module convert(java.util.function.UnaryOperator<Tensor> fn) {
        try (var g = GradMode.noGrad()) {
            for (var e : parameters.entrySet()) {
                Tensor p = e.getValue();
                if (p == null) continue;
                Tensor moved = fn.apply(p.detach());
                if (moved == p || sameView(moved, p)) continue;
                Tensor leaf = moved.detach().requiresGrad(p.requiresGrad());
                if (p.grad() != null) leaf.setGrad(fn.apply(p.grad().detach()).detach());
                e.setValue(leaf);
            }
            for (var e : buffers.entrySet()) {
                Tensor b = e.getValue();
                if (b == null) continue;
                Tensor moved = fn.apply(b);
                if (!sameView(moved, b)) e.setValue(moved.detach());
            }
        }
        for (Module m : modules.values()) m.convert(fn);
        return this;
    }

    private static boolean sameView(Tensor a, Tensor b) {
        return a.storage() == b.storage() && a.offset() == b.offset() && Arrays.equals(a.shape(), b.shape()) && Arrays.equals(a.strides(), b.strides());
    }

    // ---- printing ---------------------------------------------------------------------------

    /** The class name shown in the module tree. */
    protected String typeName() { return getClass().getSimpleName(); }

    /** The arguments shown between the parentheses, like PyTorch's extra_repr. */
    protected String extraRepr() { return ""; }

    /** A PyTorch-style tree: {@code Sequential(\n  (0): Conv2d(3, 8, kernel_size=(3, 3), ...)\n)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(typeName()).append('(');
        String extra = extraRepr();
        if (modules.isEmpty()) return sb.append(extra).append(')').toString();
        if (!extra.isEmpty()) sb.append("\n  ").append(extra.replace("\n", "\n  "));
        for (var e : modules.entrySet()) {
            sb.append("\n  (").append(e.getKey()).append("): ").append(e.getValue().toString().replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }

    /** Python's repr of a float (1e-05, 0.1, 1.0), so printed hyper-parameters read as in PyTorch. */
    protected static String pyFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= 16) {
            String digits = d.unscaledValue().abs().toString();
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (v < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        String plain = d.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /** Python's tuple repr of an int pair, "(3, 3)". */
    protected static String pyTuple(int a, int b) { return "(" + a + ", " + b + ")"; }

    protected static String pyBool(boolean b) { return b ? "True" : "False"; }
}
