// `uactn model summary`: the layer table of a zoo network (name, type, output shape, parameters),
// its parameter count and its FLOPs for one input size.
package org.uactn.cli.model;

import org.uactn.core.nn.Module;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Prints the layer table of a network for a [1, 3, S, S] input: each module's name, type, output",
                "shape and parameters, then the total parameter count and FLOPs. FLOPs count 2 per multiply-add of the",
                "convolutions and linear layers (batch norm, ReLU, pooling and the residual sums are not counted);",
                "torchvision's tables list the multiply-adds (shown as MACs) under the heading GFLOPS."})
final class SummaryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--size", paramLabel = "S", defaultValue = "224", description = "Input height and width (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--depth", paramLabel = "D", defaultValue = "99",
            description = "Show modules nested at most D levels deep (1: the top-level modules only; default: all).")
    int depth;

    @Override
    public Integer call() {
        if (size < 1) throw new IllegalArgumentException("--size must be at least 1, got " + size);
        if (depth < 1) throw new IllegalArgumentException("--depth must be at least 1, got " + depth);
        PrintWriter out = spec.commandLine().getOut();
        ModelOptions.Loaded loaded = model.load(spec.commandLine().getErr());
        Module m = loaded.model().eval();
        Tensor x = Tensor.randn(new Generator(model.seed), 1, 3, size, size).to(loaded.device());
        ShapeTrace trace;
        try {
            trace = ShapeTrace.of(m, x);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model summary: a " + size + "x" + size + " input does not fit " + model.arch + ": " + e.getMessage());
        }
        print(out, trace.rows());
        long params = m.numParameters();
        long macs = trace.totalMacs();
        out.printf(Locale.ROOT, "%narchitecture: %s, %d classes%s%n", model.arch, loaded.classes(),
                loaded.widthDiv() == 1 ? "" : ", widths divided by " + loaded.widthDiv());
        out.printf(Locale.ROOT, "input: %s%n", Shapes.str(x.shape()));
        out.printf(Locale.ROOT, "output: %s%n", Shapes.str(trace.output().shape()));
        out.printf(Locale.ROOT, "parameters: %,d (%.2f M)%n", params, params / 1e6);
        out.printf(Locale.ROOT, "multiply-adds (MACs): %,d (%.3f G)%n", macs, macs / 1e9);
        out.printf(Locale.ROOT, "FLOPs (2 x MACs): %,d (%.3f G)%n", 2 * macs, 2 * macs / 1e9);
        out.flush();
        return 0;
    }

    private void print(PrintWriter out, List<ShapeTrace.Row> rows) {
        int nameW = "layer".length(), typeW = "type".length(), shapeW = "output shape".length();
        for (ShapeTrace.Row r : rows) {
            if (!shown(r)) continue;
            nameW = Math.max(nameW, label(r).length());
            typeW = Math.max(typeW, r.type().length());
            shapeW = Math.max(shapeW, Shapes.str(r.outputShape()).length());
        }
        String fmt = "%-" + nameW + "s  %-" + typeW + "s  %-" + shapeW + "s  %12s  %10s%n";
        out.printf(Locale.ROOT, fmt, "layer", "type", "output shape", "params", "MFLOPs");
        for (ShapeTrace.Row r : rows) {
            if (!shown(r)) continue;
            String flops = r.macs() == 0 ? "" : String.format(Locale.ROOT, "%.1f", 2 * r.macs() / 1e6);
            out.printf(Locale.ROOT, fmt, label(r), r.type(), Shapes.str(r.outputShape()), String.format(Locale.ROOT, "%,d", r.params()), flops);
        }
    }

    private boolean shown(ShapeTrace.Row r) { return r.depth() >= 1 && r.depth() <= depth; }

    private static String label(ShapeTrace.Row r) { return "  ".repeat(r.depth() - 1) + r.name(); }
}
