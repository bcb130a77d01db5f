package org.uactn.core.autograd;

import org.uactn.core.tensor.Tensor;

/**
 * One recorded op application in the dynamic graph: its name, its inputs (the graph's edges) and
 * its backward rule. The rule and inputs are dropped after backward unless the graph is retained,
 * which releases every intermediate tensor the rule captured.
 */
public final class Node {
    private final String opName;
    private Tensor[] inputs;
    private BackwardFn backward;

    Node(String opName, Tensor[] inputs, BackwardFn backward) {
        this.opName = opName;
        this.inputs = inputs;
        this.backward = backward;
    }

    public String opName() { return opName; }

    /** The inputs this node's output was computed from; null once released. */
    public Tensor[] inputs() { return inputs; }

    Tensor[] apply(Tensor grad) {
        if (backward == null) {
            throw new IllegalStateException(opName + ": backward through a graph that was already freed; pass retainGraph=true to the first backward call");
        }
        return backward.apply(grad);
    }

    void release() {
        inputs = null;
        backward = null;
    }

    boolean released() { return backward == null; }

    @Override public String toString() { return "Node(" + opName + ")"; }
}
