// The CUDA-vs-CPU parity suite: every registered op forward and backward (float64, float32, and
// float32 on non-contiguous device inputs) and a whole ResNet-18 training step; used by the JUnit
// parity tests and by `uactn selftest`.
package org.uactn.kernels;

import org.uactn.core.autograd.GradMode;
import org.uactn.core.backend.Profiler;
import org.uactn.core.nn.Module;
import org.uactn.core.ops.LossReduction;
import org.uactn.core.ops.Losses;
import org.uactn.core.ops.OpSpec;
import org.uactn.core.optim.Adam;
import org.uactn.core.optim.AdamW;
import org.uactn.core.optim.Optimizer;
import org.uactn.core.optim.SGD;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;
import org.uactn.core.zoo.Models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

public final class Parity {
    private Parity() {}

    /** Elementwise tolerance |dev - cpu| <= atol + rtol * |cpu|. */
    public record Tolerance(double atol, double rtol) {}

    public static final Tolerance F64 = new Tolerance(1e-9, 1e-7);
    public static final Tolerance F32 = new Tolerance(1e-4, 1e-3);

    /** One compared case. worst is the largest error divided by its allowance (pass when <= 1). */
    public record Row(String name, String variant, double maxAbsErr, double worst, boolean passed, String detail) {}

    /** The variants each op runs in. */
    public enum Variant { FLOAT64, FLOAT32, FLOAT32_STRIDED }

    public static List<Row> ops(List<OpSpec> specs, Device dev, long seed) {
        List<Row> rows = new ArrayList<>();
        for (OpSpec s : specs) for (Variant v : Variant.values()) rows.add(op(s, dev, seed, v));
        return rows;
    }

    /** Runs one op on the CPU and on dev with identical inputs and output gradient, and compares. */
    public static Row op(OpSpec spec, Device dev, long seed, Variant variant) {
        String vname = variant.name().toLowerCase(java.util.Locale.ROOT);
        try {
            DType dt = variant == Variant.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
            Tolerance tol = dt == DType.FLOAT64 ? F64 : F32;
            Tensor[] base = spec.samples().apply(new Generator(seed));
            Tensor[] cpu = new Tensor[base.length], gpu = new Tensor[base.length];
            for (int i = 0; i < base.length; i++) {
                Tensor b = base[i].detach();
                boolean fl = b.dtype().isFloating();
                Tensor c = fl ? b.to(dt).detach() : b;
                Tensor g = variant == Variant.FLOAT32_STRIDED ? strided(c, dev) : c.to(dev).detach();
                if (fl && spec.differentiable()) {
                    c.requiresGrad(true);
                    g.requiresGrad(true);
                }
                cpu[i] = c;
                gpu[i] = g;
            }
            Tensor outC;
            try {
                outC = spec.call().apply(cpu);
            } catch (IllegalArgumentException notForThisVariant) {
                // The op's sample fixes some dtypes (e.g. float64 running statistics): nothing to compare.
                return new Row(spec.name(), vname, 0, 0, true, "skipped: the CPU rejects this variant (" + notForThisVariant.getMessage() + ")");
            }
            Tensor outG = spec.call().apply(gpu);
            if (!outG.device().equals(dev)) return new Row(spec.name(), vname, 0, 0, false, "output landed on " + outG.device() + ", not " + dev);
            Acc acc = new Acc();
            String bad = compare("output", outC, outG, outC.dtype().isFloating() ? tol : new Tolerance(0, 0), acc);
            if (bad == null && spec.differentiable() && outC.dtype().isFloating()) {
                Tensor go = Tensor.randn(new Generator(seed + 1), outC.shape()).to(outC.dtype());
                outC.backward(go);
                outG.backward(go.to(dev));
                for (int i = 0; i < cpu.length && bad == null; i++) {
                    if (!cpu[i].requiresGrad()) continue;
                    Tensor gc = cpu[i].grad(), gg = gpu[i].grad();
                    if ((gc == null) != (gg == null)) bad = "grad of input " + i + ": " + (gc == null ? "cpu" : "device") + " has none";
                    else if (gc != null) bad = compare("grad of input " + i, gc, gg, tol, acc);
                }
            }
            return new Row(spec.name(), vname, acc.maxAbs, acc.worst, bad == null, bad == null ? "" : bad);
        } catch (RuntimeException | AssertionError | LinkageError e) {
            String m = e.getMessage();
            return new Row(spec.name(), vname, Double.NaN, Double.NaN, false,
                    e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse("")));
        }
    }

    /** t on dev as a non-contiguous view (every row padded), with t's values. */
    static Tensor strided(Tensor t, Device dev) {
        if (t.dim() == 0 || t.numel() == 0) return t.to(dev).detach();
        int[] s = t.shape();
        int[] big = s.clone();
        big[big.length - 1] = 2 * s[s.length - 1] + 1;
        try (var g = GradMode.noGrad()) {
            Tensor pad = Tensor.zeros(t.dtype(), dev, big);
            Tensor v = pad.narrow(s.length - 1, 1, s[s.length - 1]).detach();
            v.copyFrom(t.to(dev).detach());
            return v;
        }
    }

    private static final class Acc {
        double maxAbs, worst;
    }

    /** null when every element of dev matches ref; else a description of the first mismatch. */
    static String compare(String what, Tensor ref, Tensor dev, Tolerance tol, Acc acc) {
        if (!Arrays.equals(ref.shape(), dev.shape())) {
            return what + ": shape " + Shapes.str(dev.shape()) + " differs from cpu " + Shapes.str(ref.shape());
        }
        if (ref.dtype() != dev.dtype()) return what + ": dtype " + dev.dtype() + " differs from cpu " + ref.dtype();
        double[] r = ref.toDoubleArray(), d = dev.to(Device.CPU).toDoubleArray();
        String first = null;
        for (int i = 0; i < r.length; i++) {
            if (Double.isNaN(r[i]) && Double.isNaN(d[i])) continue;
            if (r[i] == d[i]) continue;
            double err = Math.abs(r[i] - d[i]);
            double allow = tol.atol() + tol.rtol() * Math.abs(r[i]);
            if (Double.isNaN(err)) err = Double.POSITIVE_INFINITY;
            acc.maxAbs = Math.max(acc.maxAbs, err);
            acc.worst = Math.max(acc.worst, allow == 0 ? Double.POSITIVE_INFINITY : err / allow);
            if (err > allow && first == null) first = what + ": element " + i + " is " + d[i] + ", cpu " + r[i];
        }
        return first;
    }

    /**
     * One ResNet-18 (width / 8) training step on both devices from identical weights and data:
     * the loss and every parameter gradient are compared.
     */
    public static Row resnetStep(Device dev, long seed, DType dt) {
        String variant = dt.torchName();
        try {
            Tolerance tol = dt == DType.FLOAT64 ? new Tolerance(1e-8, 1e-6) : new Tolerance(2e-3, 2e-2);
            Module cpu = Models.create("resnet18", 10, 8, new Generator(seed)).to(dt);
            Module gpu = Models.create("resnet18", 10, 8, new Generator(seed)).to(dt).to(dev);
            cpu.train();
            gpu.train();
            Generator g = new Generator(seed + 7);
            Tensor x = Tensor.randn(g, 4, 3, 32, 32).to(dt);
            Tensor y = Tensor.randint(g, 10, 4);
            Tensor lossC = Losses.crossEntropy(cpu.forward(x), y, LossReduction.MEAN, 0.0);
            Tensor lossG;
            try (var r = Profiler.range("resnet18 forward")) {
                lossG = Losses.crossEntropy(gpu.call(x.to(dev)), y.to(dev), LossReduction.MEAN, 0.0);
            }
            lossC.backward();
            try (var r = Profiler.range("resnet18 backward")) {
                lossG.backward();
            }
            Acc acc = new Acc();
            String bad = compare("loss", lossC, lossG, tol, acc);
            Map<String, Tensor> pc = cpu.namedParameters(), pg = gpu.namedParameters();
            int checked = 0;
            for (var e : pc.entrySet()) {
                if (bad != null) break;
                Tensor gc = e.getValue().grad(), gg = pg.get(e.getKey()).grad();
                if (gc == null || gg == null) {
                    bad = e.getKey() + ": missing gradient on " + (gc == null ? "cpu" : "device");
                    break;
                }
                bad = compare("grad " + e.getKey(), gc, gg, tol, acc);
                checked++;
            }
            return new Row("resnet18 training step", variant, acc.maxAbs, acc.worst, bad == null,
                    bad == null ? "loss " + lossC.item() + ", " + checked + " parameter gradients" : bad);
        } catch (RuntimeException | AssertionError | LinkageError e) {
            String m = e.getMessage();
            return new Row("resnet18 training step", variant, Double.NaN, Double.NaN, false,
                    e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse("")));
        }
    }

    /** The fused optimiser kernels (Backend.sgdStep / adamStep) under test, by row name. */
    private static final Map<String, Function<List<Tensor>, Optimizer>> OPTIMIZERS = Map.of(
            "sgd step (momentum, nesterov, weight decay)",
            ps -> new SGD(ps, SGD.options().lr(0.05).momentum(0.9).nesterov(true).weightDecay(1e-3)),
            "sgd step (dampening, maximize)",
            ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.5).dampening(0.3).maximize(true)),
            "adam step (amsgrad, l2 decay)",
            ps -> new Adam(ps, Adam.options().lr(0.02).betas(0.8, 0.99).weightDecay(0.1).amsgrad(true)),
            "adamw step",
            ps -> new AdamW(ps, AdamW.options().lr(0.01).weightDecay(0.1)));

    /** Three steps of each optimiser on both devices (a [37, 29] and a [5] parameter); parameters and state compared. */
    public static List<Row> optimizers(Device dev, long seed) {
        List<Row> rows = new ArrayList<>();
        for (String name : OPTIMIZERS.keySet().stream().sorted().toList()) {
            for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) rows.add(optimizer(name, dev, seed, dt));
        }
        return rows;
    }

    private static Row optimizer(String name, Device dev, long seed, DType dt) {
        String variant = dt.torchName();
        try {
            Tolerance tol = dt == DType.FLOAT64 ? F64 : F32;
            Generator g = new Generator(seed);
            int[][] shapes = {{37, 29}, {5}};
            List<Tensor> pc = new ArrayList<>(), pg = new ArrayList<>();
            for (int[] s : shapes) {
                Tensor init = Tensor.randn(g, s).to(dt);
                // Separate copies even when dev is the CPU (the harness's self-check), so the two optimisers never share storage.
                pc.add(init.copy().detach().requiresGrad(true));
                pg.add(init.copy().to(dev).detach().requiresGrad(true));
            }
            Optimizer oc = OPTIMIZERS.get(name).apply(pc), og = OPTIMIZERS.get(name).apply(pg);
            Acc acc = new Acc();
            String bad = null;
            for (int step = 0; step < 3 && bad == null; step++) {
                for (int i = 0; i < shapes.length; i++) {
                    Tensor grad = Tensor.randn(g, shapes[i]).to(dt);
                    pc.get(i).setGrad(grad);
                    pg.get(i).setGrad(grad.to(dev));
                }
                oc.step();
                og.step();
                for (int i = 0; i < shapes.length && bad == null; i++) bad = compare("step " + step + " param " + i, pc.get(i), pg.get(i), tol, acc);
            }
            var sc = oc.stateDict().tensors();
            var sg = og.stateDict().tensors();
            for (var e : sc.entrySet()) {
                if (bad != null) break;
                Tensor other = sg.get(e.getKey());
                bad = other == null ? "state " + e.getKey() + " missing on the device" : compare("state " + e.getKey(), e.getValue(), other, tol, acc);
            }
            return new Row(name, variant, acc.maxAbs, acc.worst, bad == null, bad == null ? sc.size() + " state tensors" : bad);
        } catch (RuntimeException | AssertionError | LinkageError e) {
            String m = e.getMessage();
            return new Row(name, variant, Double.NaN, Double.NaN, false,
                    e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse("")));
        }
    }
}
