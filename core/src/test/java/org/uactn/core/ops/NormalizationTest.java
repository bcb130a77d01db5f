// batch_norm: training output and running-stat update numbers, evaluation mode and its gradients; normalize values.
package org.uactn.core.ops;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizationTest {
    // Columns (channels): {1, 3, 0, 2} with mean 1.5, and {2, 5, 4, 2} with mean 3.25.
    private static Tensor batch() { return Tensor.of(new double[] {1, 2, 3, 5, 0, 4, 2, 2}, 4, 2); }

    @Test
    void trainingUsesBatchStatisticsAndUpdatesRunningStats() {
        Tensor rm = Tensor.of(new double[] {0, 0}, 2), rv = Tensor.of(new double[] {1, 1}, 2);
        Tensor y = Normalization.batchNorm(batch(), rm, rv, null, null, true, 0.1, 1e-5);
        // Channel 0: biased variance ((0.5^2 + 1.5^2 + 1.5^2 + 0.5^2) / 4) = 1.25, unbiased 5/3.
        // Channel 1: deviations -1.25, 1.75, 0.75, -1.25: biased 1.6875, unbiased 2.25.
        assertArrayEquals(new double[] {0.1 * 1.5, 0.1 * 3.25}, rm.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.9 + 0.1 * 5 / 3.0, 0.9 + 0.1 * 2.25}, rv.toDoubleArray(), 1e-12);
        double s0 = Math.sqrt(1.25 + 1e-5), s1 = Math.sqrt(1.6875 + 1e-5);
        double[] want = {-0.5 / s0, -1.25 / s1, 1.5 / s0, 1.75 / s1, -1.5 / s0, 0.75 / s1, 0.5 / s0, -1.25 / s1};
        assertArrayEquals(want, y.toDoubleArray(), 1e-12);
        // torch.nn.BatchNorm1d(2, momentum=0.1) on the same batch (torch 1.13, float64).
        assertArrayEquals(new double[] {0.15000000000000002, 0.325}, rm.toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1.0666666666666667, 1.125}, rv.toDoubleArray(), 1e-15);
        assertEquals(-0.4472118066563089, y.toDoubleArray()[0], 1e-12);
    }

    @Test
    void weightAndBiasAndFourDimensionalInput() {
        Tensor x = Views.contiguous(Views.reshape(Views.transpose(batch(), 0, 1), 1, 2, 2, 2)); // [1, C=2, 2, 2]
        Tensor w = Tensor.of(new double[] {2, -1}, 2), b = Tensor.of(new double[] {0.5, 1}, 2);
        Tensor rm = Tensor.of(new double[] {1, 1}, 2), rv = Tensor.of(new double[] {2, 2}, 2);
        Tensor y = Normalization.batchNorm(x, rm, rv, w, b, true, 0.5, 1e-5);
        assertArrayEquals(new double[] {0.5 * 1 + 0.5 * 1.5, 0.5 * 1 + 0.5 * 3.25}, rm.toDoubleArray(), 1e-12);
        double s0 = Math.sqrt(1.25 + 1e-5);
        assertEquals(2 * (-0.5 / s0) + 0.5, y.get(0, 0, 0, 0), 1e-12);
        assertEquals(-1 * (1.75 / Math.sqrt(1.6875 + 1e-5)) + 1, y.get(0, 1, 0, 1), 1e-12);
    }

    @Test
    void evaluationUsesRunningStatsAndLeavesThemAlone() {
        Tensor rm = Tensor.of(new double[] {1, -1}, 2), rv = Tensor.of(new double[] {4, 0.25}, 2);
        Tensor x = batch().requiresGrad(true);
        Tensor w = Tensor.of(new double[] {3, 1}, 2).requiresGrad(true), b = Tensor.of(new double[] {0, 1}, 2).requiresGrad(true);
        Tensor y = Normalization.batchNorm(x, rm, rv, w, b, false, 0.1, 0);
        assertArrayEquals(new double[] {3 * (1 - 1) / 2.0, (2 + 1) / 0.5 + 1}, new double[] {y.get(0, 0), y.get(0, 1)}, 1e-12);
        assertArrayEquals(new double[] {1, -1}, rm.toDoubleArray(), 0);
        Reductions.sum(y).backward();
        assertArrayEquals(new double[] {1.5, 2, 1.5, 2, 1.5, 2, 1.5, 2}, x.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {(0 + 2 - 1 + 1) / 2.0, (3 + 6 + 5 + 3) / 0.5}, w.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {4, 4}, b.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void badBatchNormArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.batchNorm(batch(), Tensor.zeros(3).to(org.uactn.core.tensor.DType.FLOAT64), null, null, null, true, 0.1, 1e-5));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(Tensor.of(new double[] {1, 2}, 1, 2), null, null, null, null, true, 0.1, 1e-5));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(batch(), null, null, null, null, false, 0.1, 1e-5));
        assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(Tensor.of(new double[] {1, 2}, 2), null, null, null, null, true, 0.1, 1e-5));
    }

    @Test
    void normalizeDividesByTheNorm() {
        Tensor x = Tensor.of(new double[] {3, 4, 0, 0, 1, -2}, 3, 2).requiresGrad(true);
        Tensor y = Normalization.normalize(x, 2, 1, 1e-12);
        assertArrayEquals(new double[] {0.6, 0.8, 0, 0, 1 / Math.sqrt(5), -2 / Math.sqrt(5)}, y.toDoubleArray(), 1e-12);
        // An all-zero row stays zero and its gradient is finite (1/eps times the upstream gradient).
        Reductions.sum(Pointwise.mul(y, Tensor.of(new double[] {1, 0, 1e-13, 1e-13, 0, 0}, 3, 2))).backward();
        for (double v : x.grad().toDoubleArray()) assertTrue(Double.isFinite(v), x.grad().toString());
        assertEquals(0.8 * 0.8 / 5, x.grad().get(0, 0), 1e-12);
        Tensor p1 = Normalization.normalize(Tensor.of(new double[] {1, -3}, 2), 1, 0, 1e-12);
        assertArrayEquals(new double[] {0.25, -0.75}, p1.toDoubleArray(), 1e-12);
        Tensor inf = Normalization.normalize(Tensor.of(new double[] {1, -4}, 2), Double.POSITIVE_INFINITY, 0, 1e-12);
        assertArrayEquals(new double[] {0.25, -1}, inf.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5}, Normalization.normalize(Tensor.of(new double[] {0.1, 0.1}, 2), 2, 0, 0.2).toDoubleArray(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Normalization.normalize(Tensor.zeros(2, 2), 2, 2, 1e-12));
        assertThrows(IllegalArgumentException.class, () -> Normalization.normalize(Tensor.zeros(2, 2), 0, 1, 1e-12));
    }
}
