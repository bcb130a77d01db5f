// `uactn model forward`: runs a zoo network on an NCHW batch from .npy and writes the logits (or the
// backbone features) to .npy, for checking the engine against PyTorch from outside.
package org.uactn.cli.model;

import org.uactn.core.autograd.GradMode;
import org.uactn.core.nn.Module;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;
import org.uactn.core.zoo.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "forward", mixinStandardHelpOptions = true,
        description = {"Runs the network on a float32 NCHW batch read from --input (.npy) and writes the logits,",
                "or with --features the backbone features (pooled 512/2048-d for ResNets, 4096-d for AlexNet/VGG),",
                "to --output (.npy). In train mode batch norm uses the batch statistics and dropout is active."})
final class ForwardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--input", required = true, paramLabel = "X.npy", description = "Input batch [N, 3, H, W], float32.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "Y.npy", description = "Where to write the result [N, classes] or [N, features].")
    Path output;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "eval", description = "eval or train (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--features", description = "Write the feature vector UACTN uses instead of the logits.")
    boolean features;

    enum Mode { eval, train }

    @Override
    public Integer call() {
        ModelOptions.Loaded loaded = model.load(spec.commandLine().getErr());
        Module m = loaded.model();
        m.train(mode == Mode.train);
        Tensor x = ModelOptions.checkImages(ModelFiles.readNpy(input, "input"), input, "input").to(loaded.device());
        Tensor y;
        try (var g = GradMode.noGrad()) {
            y = features ? Models.features(m, x) : m.forward(x);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input " + input + " of shape " + Shapes.str(x.shape()) + " does not fit " + model.arch + ": " + e.getMessage());
        }
        ModelFiles.writeNpy(output, y.to(org.uactn.core.tensor.Device.CPU));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s %s %s -> %s %s%n", model.arch, mode, Shapes.str(x.shape()), features ? "features" : "logits", Shapes.str(y.shape()));
        out.flush();
        return 0;
    }
}
