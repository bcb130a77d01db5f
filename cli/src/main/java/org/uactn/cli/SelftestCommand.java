// `uactn selftest --device cuda`: every registered op forward and backward on the device against the
// CPU (float64, float32, non-contiguous float32), the fused optimiser steps and a ResNet-18 training step, as a table; exit 0
// only when everything matches. The GPU validation kit of docs/gpu-validation.md.
package org.uactn.cli;

import org.uactn.core.backend.Backend;
import org.uactn.core.backend.Backends;
import org.uactn.core.ops.OpRegistry;
import org.uactn.core.ops.OpSpec;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.kernels.CudaBackend;
import org.uactn.kernels.Parity;
import org.uactn.kernels.Profiling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Runs every op (forward and backward) and a ResNet-18 training step on a device and compares with the CPU.")
final class SelftestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cuda",
            description = "Device to test against the CPU: cuda, cuda:1 (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--op", paramLabel = "NAME", description = "Test only this op (repeatable); default: all registered ops.")
    List<String> ops = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the sample inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tf32", description = "Allow TF32 tensor-core math in cuBLAS/cuDNN (float32 tolerances may then be exceeded).")
    boolean tf32;

    @Option(names = "--own-gemm", description = "Use uactn's tiled GEMM kernel even when cuBLAS is loaded.")
    boolean ownGemm;

    @Option(names = "--own-conv", description = "Use im2col + GEMM even when cuDNN is loaded.")
    boolean ownConv;

    @Option(names = "--no-model", description = "Skip the ResNet-18 training step.")
    boolean noModel;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Device dev;
        Backend backend;
        try {
            dev = Device.parse(device);
            backend = Backends.get(dev);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), "--device " + device + ": " + e.getMessage());
        }
        List<OpSpec> specs = new ArrayList<>();
        if (ops.isEmpty()) specs.addAll(OpRegistry.all());
        else for (String n : ops) {
            try {
                specs.add(OpRegistry.get(n));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        if (backend instanceof CudaBackend cb) {
            cb.setTf32(tf32);
            cb.setOwnGemm(ownGemm);
            cb.setOwnConv(ownConv);
            out.println("device:   " + dev + ": " + cb.describe());
            out.println("paths:    GEMM " + cb.gemmPath() + ", convolution " + cb.convPath() + ", profiling ranges " + Profiling.mode());
        } else {
            out.println("device:   " + dev);
        }
        out.printf(Locale.ROOT, "tolerance: |dev - cpu| <= atol + rtol * |cpu|; float64 %.0e + %.0e, float32 %.0e + %.0e%n%n",
                Parity.F64.atol(), Parity.F64.rtol(), Parity.F32.atol(), Parity.F32.rtol());
        long t0 = System.nanoTime();
        List<Parity.Row> rows = new ArrayList<>(Parity.ops(specs, dev, seed));
        if (ops.isEmpty()) rows.addAll(Parity.optimizers(dev, seed));
        if (!noModel) {
            rows.add(Parity.resnetStep(dev, seed, DType.FLOAT64));
            rows.add(Parity.resnetStep(dev, seed, DType.FLOAT32));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int width = "op".length();
        for (Parity.Row r : rows) width = Math.max(width, r.name().length());
        String format = "%-" + width + "s  %-15s  %11s  %9s  %s%n";
        out.printf(Locale.ROOT, format, "op", "variant", "max abs err", "err/tol", "result");
        int failed = 0;
        for (Parity.Row r : rows) {
            if (!r.passed()) failed++;
            out.printf(Locale.ROOT, format, r.name(), r.variant(),
                    Double.isNaN(r.maxAbsErr()) ? "-" : String.format(Locale.ROOT, "%.3e", r.maxAbsErr()),
                    Double.isNaN(r.worst()) ? "-" : String.format(Locale.ROOT, "%.3f", r.worst()),
                    r.passed() ? ("PASS" + (r.detail().isEmpty() ? "" : "  " + r.detail())) : "FAIL  " + r.detail());
        }
        out.printf(Locale.ROOT, "%n%d case(s) on %s, seed %d, %.1f s: %d passed, %d failed%n", rows.size(), dev, seed, seconds,
                rows.size() - failed, failed);
        if (backend instanceof CudaBackend cb) {
            out.println("memory:   " + cb.memoryStats());
            if (!cb.cudnnFailure().isEmpty()) out.println("cuDNN fell back to own kernels at least once: " + cb.cudnnFailure());
        }
        out.flush();
        return failed == 0 ? 0 : Main.EXIT_FAILURE;
    }
}
