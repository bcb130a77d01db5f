package org.uactn.core.autograd;

import org.uactn.core.backend.Profiler;
import org.uactn.core.backend.Storage;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation over the recorded graph: orders the nodes topologically, runs
 * each backward rule once with the summed gradient of its output, and accumulates into the
 * {@code grad} of leaf tensors that require it. Runs without recording (no higher-order graphs).
 */
public final class Engine {
    private Engine() {}

    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor does not require grad and has no grad_fn");
        }
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("backward: grad can be implicitly created only for scalar outputs, got shape " + Shapes.str(root.shape()));
            }
            gradient = Tensor.full(root.shape(), 1.0, root.dtype(), root.device());
        } else if (!java.util.Arrays.equals(gradient.shape(), root.shape())) {
            throw new IllegalArgumentException("backward: gradient shape " + Shapes.str(gradient.shape()) + " does not match output shape " + Shapes.str(root.shape()));
        }
        try (var scope = GradMode.noGrad(); var range = Profiler.range("backward")) {
            if (root.gradFn() == null) {
                accumulateLeaf(root, gradient);
                return;
            }
            List<Node> order = topologicalOrder(root.gradFn());
            Map<Node, Tensor> grads = new IdentityHashMap<>();
            Map<Tensor, Tensor> leafGrads = new LinkedHashMap<>(); // Tensor has identity equality
            grads.put(root.gradFn(), gradient);
            for (Node node : order) {
                Tensor g = grads.remove(node);
                if (g == null) continue;
                Tensor[] inputs = node.inputs();
                if (inputs == null) node.apply(g); // throws the "already freed" error
                Tensor[] inGrads = node.apply(g);
                if (inGrads.length != inputs.length) {
                    throw new IllegalStateException(node.opName() + ": backward returned " + inGrads.length + " gradients for " + inputs.length + " inputs");
                }
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    Tensor gi = inGrads[i];
                    if (in == null || !in.requiresGrad() || gi == null) continue;
                    if (!java.util.Arrays.equals(gi.shape(), in.shape())) {
                        throw new IllegalStateException(node.opName() + ": backward produced gradient of shape " + Shapes.str(gi.shape())
                                + " for input " + i + " of shape " + Shapes.str(in.shape()));
                    }
                    Node next = in.gradFn();
                    if (next == null) {
                        Tensor prev = leafGrads.get(in);
                        leafGrads.put(in, prev == null ? gi : prev.add(gi));
                    } else {
                        Tensor prev = grads.get(next);
                        grads.put(next, prev == null ? gi : prev.add(gi));
                    }
                }
                if (!retainGraph) node.release();
            }
            storeLeafGradients(leafGrads, gradient);
        }
    }

    /**
     * Adds each leaf's summed gradient to its {@code grad}. A first gradient is adopted without a copy
     * when nothing else can see its storage: it is contiguous, spans its whole storage, and no other
     * leaf's gradient nor the root gradient shares that storage (ops may pass a gradient through
     * unchanged, e.g. add, or as a view, e.g. reshape). Otherwise it is copied, since the leaf's grad
     * is later updated in place.
     */
    private static void storeLeafGradients(Map<Tensor, Tensor> leafGrads, Tensor rootGradient) {
        Map<Storage, Integer> uses = new IdentityHashMap<>();
        uses.put(rootGradient.storage(), 2);
        for (Tensor g : leafGrads.values()) uses.merge(g.storage(), 1, Integer::sum);
        for (Map.Entry<Tensor, Tensor> e : leafGrads.entrySet()) {
            Tensor leaf = e.getKey(), g = e.getValue();
            if (leaf.grad() != null) {
                leaf.grad().addInPlace(g, 1.0);
            } else if (uses.get(g.storage()) == 1 && g.isContiguous() && g.offset() == 0
                    && g.storage().numel() == g.numel() && g.dtype() == leaf.dtype()) {
                leaf.setGrad(g.detach());
            } else {
                leaf.setGrad(g.detach().copy());
            }
        }
    }

    private static void accumulateLeaf(Tensor leaf, Tensor g) {
        Tensor current = leaf.grad();
        if (current == null) {
            // A fresh copy: the incoming gradient may alias another tensor (add passes its gradient through).
            leaf.setGrad(g.detach().copy());
        } else {
            current.addInPlace(g, 1.0);
        }
    }

    /** Nodes ordered so that each comes before every node it feeds gradients into. */
    private static List<Node> topologicalOrder(Node root) {
        Map<Node, Boolean> state = new IdentityHashMap<>(); // false: on stack, true: done
        List<Node> post = new ArrayList<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        state.put(root, Boolean.FALSE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Node n = (Node) frame[0];
            int i = (Integer) frame[1];
            Tensor[] inputs = n.inputs();
            if (inputs != null && i < inputs.length) {
                frame[1] = i + 1;
                Tensor in = inputs[i];
                if (in != null && in.gradFn() != null && !state.containsKey(in.gradFn())) {
                    state.put(in.gradFn(), Boolean.FALSE);
                    stack.push(new Object[] {in.gradFn(), 0});
                }
            } else {
                stack.pop();
                state.put(n, Boolean.TRUE);
                post.add(n);
            }
        }
        java.util.Collections.reverse(post);
        return post;
    }
}
