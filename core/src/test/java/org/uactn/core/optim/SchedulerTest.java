package org.uactn.core.optim;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** LR schedulers against PyTorch 1.13's sequences (fixtures/optim/schedulers.json). */
class SchedulerTest {
    private static final Fixtures F = new Fixtures("schedulers.json");

    private static SGD optimizer(double... lrs) {
        List<ParamGroup> groups = new ArrayList<>();
        for (double lr : lrs) groups.add(new ParamGroup(List.of(Tensor.zeros(1).requiresGrad(true))).setLr(lr));
        return new SGD(SGD.options().lr(lrs[0]), groups.toArray(ParamGroup[]::new));
    }

    /** Runs steps and compares every group's lr after construction and after each step. */
    private static void check(String name, int steps, Function<Optimizer, LRScheduler> make, double... lrs) {
        SGD opt = optimizer(lrs);
        LRScheduler s = make.apply(opt);
        for (int t = 0; t <= steps; t++) {
            if (t > 0) {
                opt.step();
                s.step();
            }
            for (int g = 0; g < lrs.length; g++) {
                double expected = F.get(name + ".g" + g)[t];
                assertEquals(expected, opt.paramGroups().get(g).lr(), 1e-13 * Math.max(1e-3, Math.abs(expected)), name + " step " + t + " group " + g);
                assertEquals(opt.paramGroups().get(g).lr(), s.getLastLr()[g], 0.0);
            }
        }
    }

    @Test
    void stepLR() {
        check("steplr", 12, o -> new StepLR(o, 3, 0.5), 0.1);
        check("steplr_groups", 9, o -> new StepLR(o, 2, 0.3), 0.1, 0.02);
    }

    @Test
    void multiStepLRWithRepeatedMilestone() {
        check("multisteplr", 12, o -> new MultiStepLR(o, new int[] {2, 5, 5, 9}, 0.1), 0.5);
    }

    @Test
    void cosineAnnealingIncludingPastTMax() {
        check("cosine", 25, o -> new CosineAnnealingLR(o, 10, 0.001), 0.1);
    }

    @Test
    void warmRestarts() {
        check("warm_restarts", 30, o -> new CosineAnnealingWarmRestarts(o, 5, 2, 0.0005), 0.1);
        check("warm_restarts_mult1", 12, o -> new CosineAnnealingWarmRestarts(o, 4), 0.2);
    }

    @Test
    void warmRestartsFractionalEpochs() {
        SGD opt = optimizer(0.1);
        CosineAnnealingWarmRestarts s = new CosineAnnealingWarmRestarts(opt, 5, 2, 0.0005);
        double[] epochs = F.get("warm_restarts_epochs.epochs");
        double[] expected = F.get("warm_restarts_epochs.g0");
        for (int i = 0; i < epochs.length; i++) {
            s.step(epochs[i]);
            assertEquals(expected[i], opt.paramGroups().get(0).lr(), 1e-13, "epoch " + epochs[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> s.step(-1.0));
    }

    @Test
    void linearWarmup() {
        check("linear", 10, o -> new LinearLR(o, 0.1, 1.0, 5), 0.1);
        check("linear_default", 8, LinearLR::new, 0.3);
    }

    @Test
    void sequentialWarmupThenCosine() {
        check("sequential", 20, o -> new SequentialLR(o, List.of(new LinearLR(o, 0.1, 1.0, 4), new CosineAnnealingLR(o, 10)), new int[] {4}), 0.1);
    }

    @Test
    void chainedSchedulersMultiply() {
        check("chained", 10, o -> new ChainedScheduler(List.of(new StepLR(o, 3, 0.5), new LinearLR(o, 0.25, 1.0, 4))), 0.1);
    }

    @Test
    void stateDictRoundTripResumesTheSchedule() {
        // Run 7 epochs, save both optimiser and scheduler, rebuild, load, and continue in lockstep with the original.
        SGD opt = optimizer(0.1);
        CosineAnnealingWarmRestarts s = new CosineAnnealingWarmRestarts(opt, 3, 2, 0.001);
        for (int i = 0; i < 7; i++) s.step();
        OptimizerState optState = opt.stateDict();
        Map<String, Object> schedState = s.stateDict();
        assertEquals(7, schedState.get("last_epoch"));

        SGD opt2 = optimizer(0.5);
        CosineAnnealingWarmRestarts s2 = new CosineAnnealingWarmRestarts(opt2, 3, 2, 0.001);
        opt2.loadStateDict(optState);
        s2.loadStateDict(schedState);
        assertEquals(opt.paramGroups().get(0).lr(), opt2.paramGroups().get(0).lr(), 0.0);
        for (int i = 0; i < 10; i++) {
            s.step();
            s2.step();
            assertEquals(opt.paramGroups().get(0).lr(), opt2.paramGroups().get(0).lr(), 0.0, "epoch " + (8 + i));
        }

        SGD o3 = optimizer(0.1);
        SequentialLR seq = new SequentialLR(o3, List.of(new LinearLR(o3, 0.1, 1.0, 3), new StepLR(o3, 2, 0.5)), new int[] {3});
        for (int i = 0; i < 5; i++) seq.step();
        Map<String, Object> seqState = seq.stateDict();
        SGD o4 = optimizer(0.1);
        SequentialLR seq2 = new SequentialLR(o4, List.of(new LinearLR(o4, 0.1, 1.0, 3), new StepLR(o4, 2, 0.5)), new int[] {3});
        o4.loadStateDict(o3.stateDict());
        seq2.loadStateDict(seqState);
        for (int i = 0; i < 6; i++) {
            seq.step();
            seq2.step();
            assertEquals(o3.paramGroups().get(0).lr(), o4.paramGroups().get(0).lr(), 0.0);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StepLR(optimizer(0.1), 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LinearLR(optimizer(0.1), 0.0, 1.0, 3));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingWarmRestarts(optimizer(0.1), 0));
        SGD o = optimizer(0.1);
        assertThrows(IllegalArgumentException.class, () -> new SequentialLR(o, List.of(new StepLR(o, 2, 0.5)), new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> new StepLR(o, 2, 0.5).loadStateDict(Map.of("last_epoch", 3)));
    }
}
