// Per-layer timing of a zoo network: every leaf module invocation (each convolution, batch norm, ReLU,
// pooling, linear layer) is replayed on its real input, timing its forward and its backward separately,
// so that a slow training step can be traced to the layers and passes that cost the time.
package org.uactn.cli.bench;

import org.uactn.cli.model.ShapeTrace;
import org.uactn.core.autograd.GradMode;
import org.uactn.core.nn.Module;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public final class LayerProfile {
    /** Median forward and backward milliseconds of one leaf invocation. */
    public record Entry(String name, String type, int[] inputShape, int[] outputShape, double forwardMs, double backwardMs) {}

    private LayerProfile() {}

    /**
     * Times every leaf of model on input x, reps times each (median kept). With backward, the
     * backward pass of each leaf is timed too (input gradient, except for the network input itself,
     * and parameter gradients), as in a training step.
     */
    public static List<Entry> measure(Module model, Tensor x, int reps, boolean backward) {
        List<Entry> out = new ArrayList<>();
        ShapeTrace.of(model, x, (name, leaf, in) -> {
            double[] f = new double[reps], b = new double[reps];
            int[] outShape = null;
            try (var g = GradMode.enableGrad()) {
                for (int r = 0; r < reps; r++) {
                    Tensor xi = in.detach();
                    if (backward && in != x) xi.requiresGrad(true);
                    long t0 = System.nanoTime();
                    Tensor y = leaf.forward(xi);
                    y.get(new int[y.dim()]); // wait for the result (device backends run asynchronously)
                    long t1 = System.nanoTime();
                    outShape = y.shape();
                    f[r] = (t1 - t0) / 1e6;
                    if (backward && y.requiresGrad()) {
                        Tensor gy = Tensor.onesLike(y);
                        long t2 = System.nanoTime();
                        y.backward(gy);
                        long t3 = System.nanoTime();
                        b[r] = (t3 - t2) / 1e6;
                    }
                    leaf.zeroGrad();
                }
            }
            out.add(new Entry(name, leaf.getClass().getSimpleName(), in.shape(), outShape, median(f), median(b)));
        });
        return out;
    }

    /** Prints the slowest entries and the totals per module type. */
    public static void print(PrintWriter w, List<Entry> entries, int top) {
        double totalF = 0, totalB = 0;
        Map<String, double[]> byType = new LinkedHashMap<>();
        for (Entry e : entries) {
            totalF += e.forwardMs();
            totalB += e.backwardMs();
            double[] t = byType.computeIfAbsent(e.type(), k -> new double[3]);
            t[0] += e.forwardMs();
            t[1] += e.backwardMs();
            t[2]++;
        }
        w.printf(Locale.ROOT, "per-layer profile: forward %.1f ms + backward %.1f ms = %.1f ms over %d leaf calls%n",
                totalF, totalB, totalF + totalB, entries.size());
        w.printf(Locale.ROOT, "%-20s %6s %12s %12s %12s%n", "type", "calls", "forward ms", "backward ms", "share");
        double all = Math.max(1e-9, totalF + totalB);
        for (var e : byType.entrySet()) {
            double[] t = e.getValue();
            w.printf(Locale.ROOT, "%-20s %6d %12.1f %12.1f %11.1f%%%n", e.getKey(), (int) t[2], t[0], t[1], 100 * (t[0] + t[1]) / all);
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Double.compare(b.forwardMs() + b.backwardMs(), a.forwardMs() + a.backwardMs()));
        w.printf(Locale.ROOT, "%nslowest %d leaf calls:%n%-26s %-12s %-20s %-20s %10s %10s%n", Math.min(top, sorted.size()),
                "layer", "type", "input", "output", "fwd ms", "bwd ms");
        for (Entry e : sorted.subList(0, Math.min(top, sorted.size()))) {
            w.printf(Locale.ROOT, "%-26s %-12s %-20s %-20s %10.2f %10.2f%n", e.name(), e.type(), Shapes.str(e.inputShape()),
                    Shapes.str(e.outputShape()), e.forwardMs(), e.backwardMs());
        }
        w.flush();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
