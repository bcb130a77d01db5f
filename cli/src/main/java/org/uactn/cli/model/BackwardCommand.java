// `uactn model backward`: the mean cross-entropy of a zoo network's logits against labels, and the
// gradient of every parameter, written to safetensors under the parameters' own names.
package org.uactn.cli.model;

import org.uactn.core.nn.Module;
import org.uactn.core.ops.LossReduction;
import org.uactn.core.ops.Losses;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "backward", mixinStandardHelpOptions = true,
        description = {"Computes the mean cross-entropy of the network's logits for --input against the int64 class",
                "indices in --labels, back-propagates it, and writes every parameter's gradient under the parameter's",
                "name plus the loss as the one-element tensor 'loss' to --output (.safetensors); prints loss=<value>."})
final class BackwardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--input", required = true, paramLabel = "X.npy", description = "Input batch [N, 3, H, W], float32.")
    Path input;

    @Option(names = "--labels", required = true, paramLabel = "L.npy", description = "Class indices [N], int64 (int32 accepted).")
    Path labels;

    @Option(names = "--output", required = true, paramLabel = "G.safetensors", description = "Where to write the gradients and the loss.")
    Path output;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "train", description = "train or eval (default: ${DEFAULT-VALUE}).")
    ForwardCommand.Mode mode;

    @Override
    public Integer call() {
        ModelOptions.Loaded loaded = model.load(spec.commandLine().getErr());
        Module m = loaded.model();
        m.train(mode == ForwardCommand.Mode.train);
        Tensor x = ModelOptions.checkImages(ModelFiles.readNpy(input, "input"), input, "input");
        Tensor y = checkLabels(ModelFiles.readNpy(labels, "labels"), x.size(0), loaded.classes());
        Tensor loss;
        try {
            Tensor logits = m.forward(x.to(loaded.device()));
            loss = Losses.crossEntropy(logits, y.to(loaded.device()), LossReduction.MEAN, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input " + input + " of shape " + Shapes.str(x.shape()) + " does not fit " + model.arch + ": " + e.getMessage());
        }
        loss.backward();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : m.namedParameters().entrySet()) {
            Tensor g = e.getValue().grad();
            // Every zoo parameter takes part in the loss; a missing gradient would be an engine bug, so it is not papered over.
            if (g == null) throw new IllegalStateException("no gradient reached parameter " + e.getKey());
            out.put(e.getKey(), g.to(Device.CPU));
        }
        float lossValue = (float) loss.item();
        out.put("loss", Tensor.of(new float[] {lossValue}, 1));
        ModelFiles.writeSafetensors(output, out, Map.of("arch", model.arch, "mode", mode.name()));
        PrintWriter w = spec.commandLine().getOut();
        w.println("loss=" + lossValue);
        w.flush();
        return 0;
    }

    /** Labels as an int64 vector of length n with every value in [0, classes). */
    private Tensor checkLabels(Tensor t, int n, int classes) {
        if (t.dtype().isFloating()) {
            throw new IllegalArgumentException("labels " + labels + " hold " + t.dtype() + "; expected int64 class indices");
        }
        if (t.dim() != 1 || t.size(0) != n) {
            throw new IllegalArgumentException("labels " + labels + " have shape " + Shapes.str(t.shape()) + "; expected [" + n
                    + "], one class index per image of input " + input);
        }
        Tensor y = t.dtype() == DType.INT64 ? t : t.to(DType.INT64);
        long[] v = y.toLongArray();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= classes) {
                throw new IllegalArgumentException("labels " + labels + ": label " + v[i] + " at index " + i + " is out of range [0, " + classes + ")");
            }
        }
        return y;
    }
}
