// The options every `uactn model` subcommand shares (--arch, --weights, --classes, --strict, --seed,
// --device), and building the network from them: class count and width read from the weights.
package org.uactn.cli.model;

import org.uactn.core.backend.Backends;
import org.uactn.core.nn.Module;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;
import org.uactn.core.zoo.Models;
import org.uactn.kernels.CudaBackend;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

public final class ModelOptions {
    @Option(names = "--arch", required = true, paramLabel = "ARCH",
            description = "Architecture: resnet18, resnet34, resnet50, alexnet, vgg16, vgg19.")
    String arch;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "State dict to load (.pth zip checkpoint or .safetensors); without it the weights are random (see --seed).")
    Path weights;

    @Option(names = "--classes", paramLabel = "N",
            description = "Classifier outputs (default: the rows of fc.weight / classifier.6.weight in --weights, else 1000).")
    Integer classes;

    @Option(names = "--width-div", paramLabel = "D", hidden = true,
            description = "Divide every layer width by D (reduced test variants; default: read from --weights, else 1).")
    Integer widthDiv;

    @Option(names = "--strict", description = "Make any missing, unexpected or mis-shaped weight a fatal error.")
    boolean strict;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the random initialisation when no --weights is given (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
            description = "Device to run on: cpu, cuda, cuda:1 (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--tf32", description = "CUDA only: allow TF32 tensor-core math in float32 GEMM and convolution (off by default).")
    boolean tf32;

    /** The model and the device it was moved to. */
    public record Loaded(Module model, Device device, int classes, int widthDiv) {}

    /** Builds the network, loads --weights (reporting mismatches on err) and moves it to --device. */
    public Loaded load(PrintWriter err) {
        if (!Models.ARCHITECTURES.contains(arch)) {
            throw new IllegalArgumentException("unknown architecture '" + arch + "'; known: " + String.join(", ", Models.ARCHITECTURES));
        }
        Device dev = parseDevice(device);
        if (tf32 && Backends.get(dev) instanceof CudaBackend cb) cb.setTf32(true);
        Map<String, Tensor> state = weights == null ? null : ModelFiles.readWeights(weights);
        int n = classes != null ? classes : state != null ? classesIn(arch, state, 1000) : 1000;
        if (n < 1) throw new IllegalArgumentException("--classes must be at least 1, got " + n);
        int div = widthDiv != null ? widthDiv : state != null ? widthDivIn(arch, state) : 1;
        Module model = Models.create(arch, n, div, new Generator(seed));
        if (state != null) {
            Module.LoadReport report;
            try {
                report = model.loadStateDict(state, strict);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("weights file " + weights + " does not fit " + arch + " (--strict): " + e.getMessage());
            }
            if (!report.isClean()) {
                err.println("uactn: warning: weights file " + weights + " does not match " + arch + " exactly (use --strict to make this fatal):");
                if (!report.missingKeys().isEmpty()) err.println("  missing keys (left randomly initialised): " + String.join(", ", report.missingKeys()));
                if (!report.unexpectedKeys().isEmpty()) err.println("  unexpected keys (ignored): " + String.join(", ", report.unexpectedKeys()));
                for (String m : report.shapeMismatches()) err.println("  size mismatch (skipped): " + m);
                err.flush();
            }
        }
        if (!dev.isCpu()) model.to(dev);
        return new Loaded(model, dev, n, div);
    }

    static Device parseDevice(String spec) {
        try {
            Device d = Device.parse(spec);
            Backends.get(d);
            return d;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("--device " + spec + ": " + e.getMessage());
        }
    }

    /** The state dict key whose first dimension is the number of classes. */
    static String classifierKey(String arch) { return arch.startsWith("resnet") ? "fc.weight" : "classifier.6.weight"; }

    /** The first convolution's weight, whose output channels (64 in torchvision) give the width divisor. */
    static String firstConvKey(String arch) { return arch.startsWith("resnet") ? "conv1.weight" : "features.0.weight"; }

    static int classesIn(String arch, Map<String, Tensor> state, int fallback) {
        Tensor w = state.get(classifierKey(arch));
        if (w == null || w.dim() != 2) return fallback;
        return w.size(0);
    }

    /**
     * 64 / (output channels of the first convolution) when that divides evenly; otherwise 1, and the
     * load then reports the shape mismatches by name.
     */
    static int widthDivIn(String arch, Map<String, Tensor> state) {
        Tensor w = state.get(firstConvKey(arch));
        if (w == null || w.dim() != 4 || w.size(0) < 1 || 64 % w.size(0) != 0) return 1;
        return 64 / w.size(0);
    }

    /** A float32 NCHW batch on dev, or an error naming the file and its shape. */
    static Tensor checkImages(Tensor x, Path file, String what) {
        if (x.dim() != 4 || x.size(1) != 3) {
            throw new IllegalArgumentException(what + " " + file + " has shape " + Shapes.str(x.shape())
                    + "; expected an NCHW batch [N, 3, H, W] of RGB images");
        }
        if (x.size(0) < 1 || x.size(2) < 1 || x.size(3) < 1) {
            throw new IllegalArgumentException(what + " " + file + " has shape " + Shapes.str(x.shape()) + "; no images in it");
        }
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(what + " " + file + " holds " + x.dtype() + "; expected float32 (or float64) pixels");
        }
        return x.dtype() == org.uactn.core.tensor.DType.FLOAT32 ? x : x.to(org.uactn.core.tensor.DType.FLOAT32);
    }
}
