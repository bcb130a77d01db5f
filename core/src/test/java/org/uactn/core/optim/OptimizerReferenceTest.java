package org.uactn.core.optim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SGD, Adam and AdamW against PyTorch 1.13: five steps on two parameters ([2, 3] and [3]) with a
 * fixed gradient sequence; some configurations give p1 no gradient at one step (it must be skipped).
 */
class OptimizerReferenceTest {
    private static final Fixtures F = new Fixtures("optimizers.json");

    /** Must mirror CONFIGS in make_optim_fixtures.py. */
    private static Optimizer make(String name, List<Tensor> ps) {
        return switch (name) {
            case "sgd_plain" -> new SGD(ps, 0.1);
            case "sgd_momentum" -> new SGD(ps, SGD.options().lr(0.1).momentum(0.9).dampening(0.1).weightDecay(0.01));
            case "sgd_nesterov" -> new SGD(ps, SGD.options().lr(0.05).momentum(0.9).nesterov(true).weightDecay(1e-3));
            case "sgd_groups" -> new SGD(SGD.options().lr(0.1),
                    new ParamGroup(List.of(ps.get(0))).set("momentum", 0.9), new ParamGroup(List.of(ps.get(1))).set("lr", 0.01));
            case "adam" -> new Adam(ps, 0.01);
            case "adam_l2_amsgrad" -> new Adam(ps, Adam.options().lr(0.02).betas(0.8, 0.99).weightDecay(0.1).amsgrad(true));
            case "adamw" -> new AdamW(ps, AdamW.options().lr(0.01).weightDecay(0.1));
            case "adamw_amsgrad" -> new AdamW(ps, AdamW.options().lr(0.03).eps(1e-6).amsgrad(true));
            case "adam_f32" -> new Adam(ps, Adam.options().lr(0.01).weightDecay(0.05));
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static int skipStep(String name) {
        return switch (name) {
            case "sgd_nesterov", "adam" -> 2;
            case "adamw_amsgrad" -> 1;
            default -> -1;
        };
    }

    private static Tensor tensor(double[] v, DType dtype, int... shape) {
        Tensor t = Tensor.of(v, shape);
        return dtype == DType.FLOAT64 ? t : t.to(dtype);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd_plain", "sgd_momentum", "sgd_nesterov", "sgd_groups", "adam", "adam_l2_amsgrad", "adamw", "adamw_amsgrad", "adam_f32"})
    void matchesPyTorch(String name) {
        boolean f32 = name.endsWith("_f32");
        DType dtype = f32 ? DType.FLOAT32 : DType.FLOAT64;
        String prefix = f32 ? "f32." : "f64.";
        double tol = f32 ? 2e-6 : 1e-12;
        Tensor p0 = tensor(F.get(prefix + "init.p0"), dtype, 2, 3).requiresGrad(true);
        Tensor p1 = tensor(F.get(prefix + "init.p1"), dtype, 3).requiresGrad(true);
        Optimizer opt = make(name, List.of(p0, p1));
        for (int t = 0; t < 5; t++) {
            p0.setGrad(tensor(F.get(prefix + "grad." + t + ".p0"), dtype, 2, 3));
            p1.setGrad(t == skipStep(name) ? null : tensor(F.get(prefix + "grad." + t + ".p1"), dtype, 3));
            opt.step();
            assertClose(F.get(name + ".step" + t + ".p0"), p0.toDoubleArray(), tol, name + " step " + t + " p0");
            assertClose(F.get(name + ".step" + t + ".p1"), p1.toDoubleArray(), tol, name + " step " + t + " p1");
        }
        // The per-parameter state has PyTorch's names and values.
        OptimizerState sd = opt.stateDict();
        int expectedKeys = 0;
        for (int i = 0; i < 2; i++) {
            for (String key : List.of("momentum_buffer", "exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step")) {
                String k = name + ".state." + i + "." + key;
                if (!F.has(k)) continue;
                expectedKeys++;
                Tensor mine = sd.tensors().get("state." + i + "." + key);
                assertNotNull(mine, "missing state." + i + "." + key);
                assertClose(F.get(k), mine.toDoubleArray(), key.equals("step") ? 0 : tol, k);
            }
        }
        assertEquals(expectedKeys, sd.tensors().size(), "state keys " + sd.tensors().keySet());
    }

    static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tol * scale, what + " [" + i + "]");
        }
    }

    @org.junit.jupiter.api.Test
    void invalidHyperParametersAreRejected() {
        List<Tensor> ps = List.of(Tensor.zeros(2).requiresGrad(true));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, SGD.options()));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, -1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, SGD.options().lr(0.1).nesterov(true)));
        assertThrows(IllegalArgumentException.class, () -> new Adam(ps, Adam.options().betas(1.0, 0.9)));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(SGD.options().lr(0.1), new ParamGroup(ps), new ParamGroup(ps)));
        assertThrows(IllegalArgumentException.class, () -> new SGD(SGD.options().lr(0.1), new ParamGroup(ps).set("betas", List.of(0.9, 0.9))));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Tensor.zeros(DType.INT64, Device.CPU, 2)), 0.1));
    }
}
