package org.uactn.core.optim;

import org.junit.jupiter.api.Test;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** Optimiser state dicts: layout, snapshot semantics, and resuming bit-for-bit. */
class OptimizerStateTest {
    private static List<Tensor> params(long seed) {
        Generator g = new Generator(seed);
        return List.of(Tensor.randn(g, 3, 2).requiresGrad(true), Tensor.randn(g, 4).requiresGrad(true), Tensor.randn(g, 2).requiresGrad(true));
    }

    private static void setGrads(List<Tensor> ps, int step) {
        Generator g = new Generator(100 + step);
        for (int i = 0; i < ps.size(); i++) {
            Tensor grad = Tensor.randn(g, ps.get(i).shape());
            // The last parameter only gets a gradient on even steps, so its state lags.
            ps.get(i).setGrad(i == 2 && step % 2 == 1 ? null : grad);
        }
    }

    private static List<Tensor> copies(List<Tensor> ps) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : ps) out.add(Tensor.of(p.toFloatArray(), p.shape()).requiresGrad(true));
        return out;
    }

    private void roundTrip(Function<List<Tensor>, Optimizer> make) {
        List<Tensor> a = params(1);
        Optimizer optA = make.apply(a);
        for (int s = 0; s < 3; s++) {
            setGrads(a, s);
            optA.step();
        }
        OptimizerState saved = optA.stateDict();
        List<Tensor> b = copies(a);
        Optimizer optB = make.apply(b);
        optB.paramGroups().get(0).setLr(123.0); // overwritten by the load
        optB.loadStateDict(saved);
        assertEquals(optA.paramGroups().get(0).options(), optB.paramGroups().get(0).options());
        for (int s = 3; s < 6; s++) {
            setGrads(a, s);
            setGrads(b, s);
            optA.step();
            optB.step();
        }
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray(), "param " + i);
        // The saved state is a snapshot: stepping afterwards did not change it.
        OptimizerState later = optA.stateDict();
        for (var e : saved.tensors().entrySet()) {
            if (e.getKey().endsWith(".step")) continue;
            assertFalse(java.util.Arrays.equals(e.getValue().toFloatArray(), later.tensors().get(e.getKey()).toFloatArray()), e.getKey());
        }
    }

    @Test
    void sgdMomentumRoundTrip() {
        roundTrip(ps -> new SGD(ps, SGD.options().lr(0.05).momentum(0.9).nesterov(true).weightDecay(1e-3)));
    }

    @Test
    void adamRoundTrip() {
        roundTrip(ps -> new Adam(ps, Adam.options().lr(0.01).amsgrad(true)));
    }

    @Test
    void adamWRoundTrip() {
        roundTrip(ps -> new AdamW(ps, 0.01));
    }

    @Test
    void layoutFollowsPyTorch() {
        List<Tensor> ps = params(2);
        Adam opt = new Adam(Adam.options().lr(0.01), new ParamGroup(ps.subList(0, 2)), new ParamGroup(ps.subList(2, 3)).set("lr", 0.5));
        setGrads(ps, 1); // param 2 gets no gradient: no state for it
        opt.step();
        OptimizerState sd = opt.stateDict();
        assertEquals(List.of("state.0.exp_avg", "state.0.exp_avg_sq", "state.0.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.step"),
                List.copyOf(sd.tensors().keySet()));
        assertEquals(1.0, sd.tensors().get("state.1.step").item());
        assertEquals(List.of(0, 1), sd.groups().get(0).get("params"));
        assertEquals(List.of(2), sd.groups().get(1).get("params"));
        assertEquals(0.5, sd.groups().get(1).get("lr"));
        assertEquals(List.of(0.9, 0.999), sd.groups().get(0).get("betas"));
        assertEquals(1e-8, sd.groups().get(0).get("eps"));
    }

    @Test
    void loadRejectsMismatchedStructure() {
        List<Tensor> ps = params(3);
        SGD opt = new SGD(ps, SGD.options().lr(0.1).momentum(0.9));
        setGrads(ps, 0);
        opt.step();
        OptimizerState sd = opt.stateDict();

        SGD twoGroups = new SGD(SGD.options().lr(0.1), new ParamGroup(ps.subList(0, 1)), new ParamGroup(ps.subList(1, 3)));
        assertThrows(IllegalArgumentException.class, () -> twoGroups.loadStateDict(sd));
        SGD fewer = new SGD(ps.subList(0, 2), 0.1);
        assertThrows(IllegalArgumentException.class, () -> fewer.loadStateDict(sd));

        Map<String, Tensor> bad = new LinkedHashMap<>(sd.tensors());
        bad.put("state.0.momentum_buffer", Tensor.zeros(5));
        SGD same = new SGD(ps, SGD.options().lr(0.1).momentum(0.9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> same.loadStateDict(new OptimizerState(bad, sd.groups())));
        assertTrue(e.getMessage().contains("expected [3, 2] got [5]"), e.getMessage());
        Map<String, Tensor> badKey = new LinkedHashMap<>(sd.tensors());
        badKey.put("state.9.momentum_buffer", Tensor.zeros(2));
        assertThrows(IllegalArgumentException.class, () -> same.loadStateDict(new OptimizerState(badKey, sd.groups())));
    }

    @Test
    void loadConvertsStateToTheParameterDtype() {
        List<Tensor> ps = List.of(Tensor.zeros(DType.FLOAT64, Device.CPU, 2).requiresGrad(true));
        SGD opt = new SGD(ps, SGD.options().lr(0.1).momentum(0.5));
        Map<String, Tensor> t = Map.of("state.0.momentum_buffer", Tensor.of(new float[] {1, 2}, 2));
        opt.loadStateDict(new OptimizerState(t, List.of(Map.of("lr", 0.2, "momentum", 0.5, "dampening", 0, "weight_decay", 0,
                "nesterov", false, "maximize", false, "params", List.of(0)))));
        assertEquals(DType.FLOAT64, opt.momentumBuffers().get(0).dtype());
        assertEquals(0.2, opt.paramGroups().get(0).lr());
        ps.get(0).setGrad(Tensor.of(new double[] {1, 1}, 2));
        opt.step(); // buf = 0.5 * [1, 2] + [1, 1]; p = -0.2 * buf
        assertArrayEquals(new double[] {-0.3, -0.4}, ps.get(0).toDoubleArray(), 1e-12);
    }

    @Test
    void zeroGradClearsAllGroups() {
        List<Tensor> ps = params(4);
        SGD opt = new SGD(SGD.options().lr(0.1), new ParamGroup(ps.subList(0, 1)), new ParamGroup(ps.subList(1, 3)));
        setGrads(ps, 0);
        opt.zeroGrad();
        for (Tensor p : ps) assertNull(p.grad());
    }
}
