// `uactn bench`: times training steps or inference passes of a zoo network on random data and reports
// images per second and peak memory, in the same format as cli/src/bench/python/torch_bench.py.
package org.uactn.cli;

import org.uactn.cli.bench.LayerProfile;
import org.uactn.cli.bench.MemoryStats;
import org.uactn.cli.bench.ModelStep;
import org.uactn.core.backend.Backend;
import org.uactn.core.backend.Backends;
import org.uactn.core.backend.cpu.Parallel;
import org.uactn.core.tensor.Device;
import org.uactn.core.zoo.Models;
import org.uactn.kernels.CudaBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Times a zoo network on a random batch: --warmup untimed steps, then --steps timed ones.",
                "train: a full SGD step (forward, mean cross-entropy, backward, SGD momentum 0.9, weight decay 1e-4);",
                "infer: an eval-mode forward pass without gradients. Prints each step's time, the peak memory and,",
                "last, images_per_second=<x> (images of all timed steps / their total time). Use --threads to set",
                "the worker threads."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--arch", required = true, paramLabel = "ARCH", description = "resnet18, resnet34, resnet50, alexnet, vgg16, vgg19.")
    String arch;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "16", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--size", paramLabel = "S", defaultValue = "224", description = "Image height and width (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "train", description = "train or infer (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "10", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "5",
            description = "Untimed warm-up steps (default: ${DEFAULT-VALUE}; the JIT compiles the kernels during the first few).")
    int warmup;

    @Option(names = "--classes", paramLabel = "C", defaultValue = "1000", description = "Classifier outputs (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu", description = "cpu, cuda, cuda:1 (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the weights and the batch (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tf32", description = "CUDA only: allow TF32 tensor-core math in float32 GEMM and convolution (cuBLAS/cuDNN); "
            + "off by default. Compare with PyTorch at the same setting (torch.backends.cuda.matmul.allow_tf32, cudnn.allow_tf32).")
    boolean tf32;

    @Option(names = "--width-div", paramLabel = "D", defaultValue = "1", hidden = true, description = "Divide every layer width by D (quick tests).")
    int widthDiv;

    @Option(names = "--profile", description = {"After the timed steps, time every layer's forward and backward on its real input",
            "and print the totals per layer type and the slowest layers."})
    boolean profile;

    enum Mode { train, infer }

    @Override
    public Integer call() {
        if (!Models.ARCHITECTURES.contains(arch)) {
            throw new ParameterException(spec.commandLine(), "unknown architecture '" + arch + "'; known: " + String.join(", ", Models.ARCHITECTURES));
        }
        if (steps < 1) throw new ParameterException(spec.commandLine(), "--steps must be at least 1, got " + steps);
        if (warmup < 0) throw new ParameterException(spec.commandLine(), "--warmup must be at least 0, got " + warmup);
        Device dev;
        Backend backend;
        try {
            dev = Device.parse(device);
            backend = Backends.get(dev);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), "--device " + device + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        ModelStep step = new ModelStep(arch, batch, size, classes, widthDiv, mode == Mode.train, dev, seed);
        out.printf(Locale.ROOT, "uactn bench: %s %s, batch %d, %dx%d, %d classes, %s, %d thread(s), java %s%n",
                arch, mode, batch, size, size, classes, dev, Parallel.threads(), Runtime.version());
        if (backend instanceof CudaBackend cb) {
            if (tf32) cb.setTf32(true);
            out.println("cuda: " + cb.describe());
        }
        out.flush();
        for (int i = 0; i < warmup; i++) {
            long t0 = System.nanoTime();
            step.step();
            out.printf(Locale.ROOT, "warmup %d: %.1f ms%s%n", i + 1, (System.nanoTime() - t0) / 1e6, lossNote(step));
            out.flush();
        }
        double[] ms = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            step.step();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            out.printf(Locale.ROOT, "step %d: %.1f ms (%.2f images/s)%s%n", i + 1, ms[i], batch * 1000.0 / ms[i], lossNote(step));
            out.flush();
        }
        double total = Arrays.stream(ms).sum();
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = steps % 2 == 1 ? sorted[steps / 2] : (sorted[steps / 2 - 1] + sorted[steps / 2]) / 2;
        MemoryStats.Snapshot mem = MemoryStats.now();
        out.printf(Locale.ROOT, "step time: mean %.1f ms, median %.1f ms, min %.1f ms%n", total / steps, median, sorted[0]);
        out.printf(Locale.ROOT, "peak_rss_mib=%.1f rss_mib=%.1f heap_used_mib=%.1f heap_committed_mib=%.1f%n",
                mib(mem.peakRssBytes()), mib(mem.rssBytes()), mib(mem.heapUsedBytes()), mib(mem.heapCommittedBytes()));
        if (profile) {
            // Two passes: the first compiles every layer's code paths, the second is reported.
            LayerProfile.measure(step.model(), step.input(), 1, mode == Mode.train);
            LayerProfile.print(out, LayerProfile.measure(step.model(), step.input(), 3, mode == Mode.train), 25);
        }
        out.printf(Locale.ROOT, "images_per_second=%.3f%n", (double) batch * steps * 1000.0 / total);
        out.flush();
        return 0;
    }

    private static String lossNote(ModelStep s) {
        return Double.isNaN(s.lastLoss()) ? "" : String.format(Locale.ROOT, ", loss %.4f", s.lastLoss());
    }

    private static double mib(long bytes) { return bytes < 0 ? -1 : bytes / (1024.0 * 1024.0); }
}
