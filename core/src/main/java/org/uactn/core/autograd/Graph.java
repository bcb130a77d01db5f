package org.uactn.core.autograd;

import org.uactn.core.tensor.Tensor;

/** Records op applications: the single place where ops attach their backward rules to outputs. */
public final class Graph {
    private Graph() {}

    /**
     * Attaches a node to {@code output} when grad mode is on and some input requires a gradient;
     * otherwise returns the output untouched (and the backward closure is dropped).
     */
    public static Tensor record(String opName, Tensor output, BackwardFn backward, Tensor... inputs) {
        if (!GradMode.isEnabled()) return output;
        boolean needed = false;
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) { needed = true; break; }
        }
        if (!needed) return output;
        output.attachGradFn(new Node(opName, inputs.clone(), backward));
        return output;
    }

    /** True when an op applied now to these inputs would be recorded. */
    public static boolean recording(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }
}
