// Runs a zoo network module by module on one input and records each module's output shape,
// parameter count and multiply-adds: the data behind `uactn model summary`.
package org.uactn.cli.model;

import org.uactn.core.autograd.GradMode;
import org.uactn.core.nn.Conv2d;
import org.uactn.core.nn.Linear;
import org.uactn.core.nn.Module;
import org.uactn.core.nn.Sequential;
import org.uactn.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The core Module has no forward hooks, so the trace re-enacts the forward pass itself: a container
 * runs its children in registration order (flattening before a Linear, as the zoo's models do), and
 * a residual block (children conv1, bn1, conv2, bn2 [, conv3, bn3] [, downsample], torchvision's
 * names) runs its main path, its shortcut and the sum. Any other module with children runs as a
 * whole. {@link #output()} equals the model's own forward, which the tests check.
 */
public final class ShapeTrace {
    /** One module invocation; a module used several times (a shared ReLU) gives several rows. */
    public record Row(String name, String type, int depth, int[] outputShape, long params, long macs, boolean leaf) {}

    /** Sees every leaf invocation before it runs (per-layer timing replays it). */
    @FunctionalInterface
    public interface LeafVisitor {
        void visit(String name, Module leaf, Tensor input);
    }

    private final List<Row> rows = new ArrayList<>();
    private final LeafVisitor visitor;
    private final Tensor output;

    private ShapeTrace(Module model, Tensor x, LeafVisitor visitor) {
        this.visitor = visitor;
        try (var g = GradMode.noGrad()) {
            output = run(model, "", 0, x);
        }
    }

    /** Traces model on x without recording gradients; the caller sets eval/train mode. */
    public static ShapeTrace of(Module model, Tensor x) { return new ShapeTrace(model, x, null); }

    /** Like {@link #of(Module, Tensor)}, handing each leaf module and its input to visitor first. */
    public static ShapeTrace of(Module model, Tensor x, LeafVisitor visitor) { return new ShapeTrace(model, x, visitor); }

    public List<Row> rows() { return List.copyOf(rows); }

    public Tensor output() { return output; }

    /** Multiply-adds of every convolution and linear layer over the whole pass (container rows hold their subtree's sum). */
    public long totalMacs() {
        long s = 0;
        for (Row r : rows) if (r.leaf) s += r.macs;
        return s;
    }

    private Tensor run(Module m, String name, int depth, Tensor x) {
        Map<String, Module> children = m.namedChildren();
        if (children.isEmpty()) {
            if (visitor != null) visitor.visit(name, m, x);
            Tensor y = m.forward(x);
            rows.add(new Row(name, typeOf(m), depth, y.shape(), m.numParameters(), macs(m, y), true));
            return y;
        }
        int at = rows.size();
        rows.add(null); // the container's row goes before its children's; its output is known only after them
        Tensor y;
        if (isResidualBlock(children)) {
            y = residual(children, name, depth + 1, x);
        } else if (m instanceof Sequential || m.getClass().getPackageName().equals("org.uactn.core.zoo")) {
            y = x;
            for (var e : children.entrySet()) {
                if (e.getValue() instanceof Linear && y.dim() > 2) y = y.flatten(1, -1);
                y = run(e.getValue(), join(name, e.getKey()), depth + 1, y);
            }
        } else {
            // An unknown composite: its children are not necessarily run in order, so it is one opaque row.
            y = m.forward(x);
            rows.set(at, new Row(name, typeOf(m), depth, y.shape(), m.numParameters(), 0, true));
            return y;
        }
        long inside = 0;
        for (int i = at + 1; i < rows.size(); i++) if (rows.get(i).leaf) inside += rows.get(i).macs;
        rows.set(at, new Row(name, typeOf(m), depth, y.shape(), m.numParameters(), inside, false));
        return y;
    }

    private static boolean isResidualBlock(Map<String, Module> c) {
        return c.containsKey("conv1") && c.containsKey("bn1") && c.containsKey("conv2") && c.containsKey("bn2") && c.containsKey("relu")
                && !c.containsKey("maxpool");
    }

    /** torchvision's BasicBlock / Bottleneck forward. */
    private Tensor residual(Map<String, Module> c, String name, int depth, Tensor x) {
        Module relu = c.get("relu");
        boolean bottleneck = c.containsKey("conv3");
        Tensor h = run(c.get("conv1"), join(name, "conv1"), depth, x);
        h = run(c.get("bn1"), join(name, "bn1"), depth, h);
        h = run(relu, join(name, "relu"), depth, h);
        h = run(c.get("conv2"), join(name, "conv2"), depth, h);
        h = run(c.get("bn2"), join(name, "bn2"), depth, h);
        if (bottleneck) {
            h = run(relu, join(name, "relu"), depth, h);
            h = run(c.get("conv3"), join(name, "conv3"), depth, h);
            h = run(c.get("bn3"), join(name, "bn3"), depth, h);
        }
        Tensor identity = c.containsKey("downsample") ? run(c.get("downsample"), join(name, "downsample"), depth, x) : x;
        return run(relu, join(name, "relu"), depth, h.add(identity));
    }

    /** Multiply-adds of one convolution or linear layer for the output y (bias additions not counted). */
    static long macs(Module m, Tensor y) {
        if (m instanceof Conv2d c) {
            int[] w = c.weight().shape(); // [out, in / groups, kh, kw]
            return (long) y.numel() * w[1] * w[2] * w[3];
        }
        if (m instanceof Linear l) {
            return (long) y.numel() * l.weight().size(1);
        }
        return 0;
    }

    private static String typeOf(Module m) { return m.getClass().getSimpleName(); }

    private static String join(String prefix, String name) { return prefix.isEmpty() ? name : prefix + "." + name; }
}
