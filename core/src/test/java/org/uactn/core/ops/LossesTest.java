// cross_entropy (with label smoothing), nll_loss and mse_loss values worked out by hand, and their input checks.
package org.uactn.core.ops;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossesTest {
    private static final double[] LOGITS = {1, 2, 3, 1, 1, 1, 0.5, -1, 2};
    private static final long[] TARGET = {2, 0, 1};

    private static Tensor logits() { return Tensor.of(LOGITS.clone(), 3, 3); }

    private static Tensor target() { return Tensor.ofLong(TARGET.clone(), 3); }

    /** log(sum_c exp(row_c)). */
    private static double logSumExp(int row) {
        double s = 0;
        for (int c = 0; c < 3; c++) s += Math.exp(LOGITS[row * 3 + c]);
        return Math.log(s);
    }

    private static double nll(int row) { return logSumExp(row) - LOGITS[row * 3 + (int) TARGET[row]]; }

    /** mean_c(-log p_c) = logsumexp - mean(logits). */
    private static double smooth(int row) { return logSumExp(row) - (LOGITS[row * 3] + LOGITS[row * 3 + 1] + LOGITS[row * 3 + 2]) / 3; }

    @Test
    void crossEntropyMatchesTheFormula() {
        double mean = (nll(0) + nll(1) + nll(2)) / 3;
        assertEquals(mean, Losses.crossEntropy(logits(), target(), LossReduction.MEAN, 0).item(), 1e-12);
        assertEquals(3 * mean, Losses.crossEntropy(logits(), target(), LossReduction.SUM, 0).item(), 1e-12);
        // torch.nn.functional.cross_entropy on the same values (torch 1.13, float64).
        assertEquals(1.582509849923216, mean, 1e-12);
    }

    @Test
    void labelSmoothingMixesInTheMeanOverClasses() {
        double eps = 0.1;
        double want = 0;
        for (int r = 0; r < 3; r++) want += ((1 - eps) * nll(r) + eps * smooth(r)) / 3;
        assertEquals(want, Losses.crossEntropy(logits(), target(), LossReduction.MEAN, eps).item(), 1e-12);
        assertEquals(1.5658431832565494, want, 1e-12); // torch 1.13, label_smoothing=0.1

        Tensor none = Losses.crossEntropy(logits(), target(), LossReduction.NONE, 0.25);
        assertArrayEquals(new int[] {3}, none.shape());
        double[] torch = {0.6576059644443805, 1.0986122886681096, 2.866311296657157}; // torch 1.13, reduction='none', 0.25
        for (int r = 0; r < 3; r++) {
            assertEquals(0.75 * nll(r) + 0.25 * smooth(r), none.toDoubleArray()[r], 1e-12);
            assertEquals(torch[r], none.toDoubleArray()[r], 1e-12);
        }
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHot() {
        Tensor x = logits().requiresGrad(true);
        Losses.crossEntropy(x, target(), LossReduction.SUM, 0).backward();
        double[] g = x.grad().toDoubleArray();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                double p = Math.exp(LOGITS[r * 3 + c] - logSumExp(r));
                assertEquals(p - (c == TARGET[r] ? 1 : 0), g[r * 3 + c], 1e-12);
            }
        }
    }

    @Test
    void spatialAndUnbatchedInputs() {
        // [N=1, C=3, 3] with targets [1, 3]: the same rows as LOGITS, laid out along the last dimension.
        Tensor spatial = Views.contiguous(Views.unsqueeze(Views.transpose(logits(), 0, 1), 0));
        Tensor loss = Losses.crossEntropy(spatial, Tensor.ofLong(TARGET.clone(), 1, 3), LossReduction.NONE, 0);
        assertArrayEquals(new int[] {1, 3}, loss.shape());
        for (int r = 0; r < 3; r++) assertEquals(nll(r), loss.toDoubleArray()[r], 1e-12);
        Tensor row = Tensor.of(new double[] {1, 2, 3}, 3);
        assertEquals(nll(0), Losses.crossEntropy(row, Tensor.ofLong(new long[] {2}), LossReduction.MEAN, 0).item(), 1e-12);
    }

    @Test
    void probabilityTargets() {
        double[] p = {0, 0, 1, 1, 0, 0, 0, 1, 0};
        Tensor loss = Losses.crossEntropy(logits(), Tensor.of(p, 3, 3), LossReduction.MEAN, 0);
        assertEquals((nll(0) + nll(1) + nll(2)) / 3, loss.item(), 1e-12);
    }

    @Test
    void nllAndMse() {
        Tensor lp = Tensor.of(new double[] {-0.5, -1.5, -2.5, -0.1}, 2, 2);
        assertEquals((1.5 + 2.5) / 2, Losses.nllLoss(lp, Tensor.ofLong(new long[] {1, 0}, 2), LossReduction.MEAN).item(), 1e-12);
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2), b = Tensor.of(new double[] {0, 2, 5, 4}, 2, 2);
        assertEquals((1 + 0 + 4 + 0) / 4.0, Losses.mseLoss(a, b, LossReduction.MEAN).item(), 1e-12);
        assertEquals(5.0, Losses.mseLoss(a, b, LossReduction.SUM).item(), 1e-12);
        assertArrayEquals(new double[] {1, 0, 4, 0}, Losses.mseLoss(a, b, LossReduction.NONE).toDoubleArray(), 1e-12);
    }

    @Test
    void badTargetsAreRejectedWithTheValueOrShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits(), Tensor.ofLong(new long[] {0, 3, 1}, 3), LossReduction.MEAN, 0));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("[0, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits(), Tensor.ofLong(new long[] {0, -1, 1}, 3), LossReduction.MEAN, 0));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits(), Tensor.ofInt(new int[] {0, 1, 1}, 3), LossReduction.MEAN, 0));
        assertTrue(e.getMessage().contains("int64") && e.getMessage().contains("int32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits(), Tensor.ofLong(new long[] {0, 1}, 2), LossReduction.MEAN, 0));
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits(), target(), LossReduction.MEAN, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Losses.nllLoss(Tensor.zeros(2, 3), Tensor.ofLong(new long[] {0, 1, 2}, 3), LossReduction.MEAN));
        e = assertThrows(IllegalArgumentException.class, () -> Losses.mseLoss(Tensor.zeros(2, 3), Tensor.zeros(4), LossReduction.MEAN));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
    }
}
