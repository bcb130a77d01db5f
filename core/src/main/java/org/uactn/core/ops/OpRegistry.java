package org.uactn.core.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Every op the engine knows by name: the built-in families plus ops contributed through {@link OpProvider}. */
public final class OpRegistry {
    private static volatile Map<String, OpSpec> specs;

    private OpRegistry() {}

    public static List<OpSpec> all() { return List.copyOf(load().values()); }

    public static OpSpec get(String name) {
        OpSpec s = load().get(name);
        if (s == null) throw new IllegalArgumentException("unknown op '" + name + "'; known ops: " + String.join(", ", names()));
        return s;
    }

    public static List<String> names() {
        List<String> n = new ArrayList<>(load().keySet());
        Collections.sort(n);
        return n;
    }

    private static Map<String, OpSpec> load() {
        Map<String, OpSpec> s = specs;
        if (s != null) return s;
        synchronized (OpRegistry.class) {
            if (specs == null) {
                Map<String, OpSpec> m = new LinkedHashMap<>();
                List<List<OpSpec>> families = List.of(Pointwise.specs(), Views.specs(), Joining.specs(), Reductions.specs(),
                        LinearAlgebra.specs(), Convolution.specs(), Pooling.specs(), Normalization.specs(),
                        Activations.specs(), Losses.specs(), Indexing.specs());
                for (List<OpSpec> family : families) for (OpSpec spec : family) add(m, spec);
                for (OpProvider p : ServiceLoader.load(OpProvider.class, OpRegistry.class.getClassLoader())) {
                    for (OpSpec spec : p.ops()) add(m, spec);
                }
                specs = Collections.unmodifiableMap(m);
            }
            return specs;
        }
    }

    private static void add(Map<String, OpSpec> m, OpSpec spec) {
        if (m.putIfAbsent(spec.name(), spec) != null) throw new IllegalStateException("op '" + spec.name() + "' registered twice");
    }
}
