// A set of parameters sharing hyper-parameters (PyTorch's param_groups entry); schedulers edit "lr" here.
package org.uactn.core.optim;

import org.uactn.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters plus named options using PyTorch's keys ("lr", "momentum", "weight_decay",
 * "betas", ...). Options not set here are filled from the optimiser's defaults when the group is
 * added. Values are Double, Boolean, or List&lt;Double&gt; (betas).
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    public ParamGroup(List<Tensor> params) {
        if (params == null) throw new IllegalArgumentException("ParamGroup: params must not be null");
        for (Tensor p : params) if (p == null) throw new IllegalArgumentException("ParamGroup: params must not contain null");
        this.params = List.copyOf(params);
    }

    /** Sets an option; numbers are stored as Double, lists as List&lt;Double&gt;. Returns this. */
    public ParamGroup set(String key, Object value) {
        options.put(key, normalise(key, value));
        return this;
    }

    static Object normalise(String key, Object value) {
        return switch (value) {
            case Boolean b -> b;
            case Number n -> n.doubleValue();
            case double[] a -> {
                List<Double> l = new ArrayList<>();
                for (double d : a) l.add(d);
                yield List.copyOf(l);
            }
            case List<?> l -> {
                List<Double> out = new ArrayList<>();
                for (Object o : l) {
                    if (!(o instanceof Number n)) throw new IllegalArgumentException("ParamGroup: option '" + key + "' list must hold numbers, got " + l);
                    out.add(n.doubleValue());
                }
                yield List.copyOf(out);
            }
            case null -> throw new IllegalArgumentException("ParamGroup: option '" + key + "' must not be null");
            default -> throw new IllegalArgumentException("ParamGroup: option '" + key + "' has unsupported type " + value.getClass().getSimpleName());
        };
    }

    public List<Tensor> params() { return params; }

    public boolean has(String key) { return options.containsKey(key); }

    public Object get(String key) {
        Object v = options.get(key);
        if (v == null) throw new IllegalArgumentException("ParamGroup: no option '" + key + "'");
        return v;
    }

    public double getDouble(String key) {
        if (!(get(key) instanceof Double d)) throw new IllegalArgumentException("ParamGroup: option '" + key + "' is not a number: " + get(key));
        return d;
    }

    public boolean getBoolean(String key) {
        if (!(get(key) instanceof Boolean b)) throw new IllegalArgumentException("ParamGroup: option '" + key + "' is not a boolean: " + get(key));
        return b;
    }

    @SuppressWarnings("unchecked")
    public List<Double> getList(String key) {
        if (!(get(key) instanceof List<?> l)) throw new IllegalArgumentException("ParamGroup: option '" + key + "' is not a list: " + get(key));
        return (List<Double>) l;
    }

    public double lr() { return getDouble("lr"); }

    public ParamGroup setLr(double lr) { return set("lr", lr); }

    /** A read-only view of the options. */
    public Map<String, Object> options() { return Collections.unmodifiableMap(options); }

    @Override public String toString() { return "ParamGroup(" + params.size() + " params, " + options + ")"; }
}
