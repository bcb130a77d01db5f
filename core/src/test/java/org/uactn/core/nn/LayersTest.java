package org.uactn.core.nn;

import org.junit.jupiter.api.Test;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/** Layer forward passes: shapes, values against hand computation, mode-dependent behaviour. */
class LayersTest {
    @Test
    void dropoutIsIdentityInEvalAndScalesInTraining() {
        Tensor x = Tensor.ones(64, 64);
        Dropout d = new Dropout(0.25).setGenerator(new Generator(9));
        d.eval();
        assertSame(x, d.forward(x));
        d.train();
        float[] y = d.forward(x).toFloatArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) zeros++;
            else assertEquals(1 / 0.75f, v, 1e-6f);
        }
        assertEquals(0.25, zeros / (double) y.length, 0.03);
        // Same seed, same mask.
        float[] again = new Dropout(0.25).setGenerator(new Generator(9)).forward(x).toFloatArray();
        assertArrayEquals(y, again);
        assertSame(x, new Dropout(0.0).forward(x));
    }

    @Test
    void linearComputesXWtPlusB() {
        Linear l = new Linear(3, 2);
        Tensor x = Tensor.of(new float[] {1, 2, 3, -1, 0.5f, 2}, 2, 3);
        float[] w = l.weight().toFloatArray(), b = l.bias().toFloatArray(), xs = x.toFloatArray();
        float[] y = l.forward(x).toFloatArray();
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 2; o++) {
                double s = b[o];
                for (int i = 0; i < 3; i++) s += xs[n * 3 + i] * w[o * 3 + i];
                assertEquals(s, y[n * 2 + o], 1e-5);
            }
        }
        Linear nb = new Linear(3, 2, false);
        assertNull(nb.bias());
        assertEquals(1, nb.parameters().size());
    }

    @Test
    void convAndPoolingShapes() {
        Tensor x = Tensor.randn(new Generator(1), 2, 3, 9, 9);
        assertArrayEquals(new int[] {2, 8, 5, 5}, new Conv2d(3, 8, 3, 2, 1).forward(x).shape());
        assertArrayEquals(new int[] {2, 6, 9, 9}, new Conv2d(3, 6, 3, 1, 1, 1, 3, false).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 4, 4}, new MaxPool2d(2).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 5, 5}, new MaxPool2d(2, 2, 0, 1, true).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 5, 5}, new MaxPool2d(3, 2, 1).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 3, 3}, new AvgPool2d(3).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 1, 1}, new AdaptiveAvgPool2d(1).forward(x).shape());
        assertArrayEquals(new int[] {2, 243}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 81}, new Flatten(2).forward(x).shape());
        assertSame(x, new Identity().forward(x));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(4, 8, 3).forward(x));
    }

    @Test
    void reluAndSequentialChain() {
        Tensor x = Tensor.of(new float[] {-1, 2, -3, 4}, 1, 4);
        Sequential s = new Sequential(new ReLU(), new Identity());
        assertArrayEquals(new float[] {0, 2, 0, 4}, s.forward(x).toFloatArray());
        assertEquals(2, s.size());
        assertInstanceOf(Identity.class, s.get(-1));
    }

    @Test
    void batchNormTracksRunningStatsOnlyInTraining() {
        BatchNorm2d bn = new BatchNorm2d(2);
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, 4, 2, 3, 3).mul(2.0).add(1.0);
        float[] xs = x.toFloatArray();
        double[] mean = new double[2], var = new double[2];
        for (int c = 0; c < 2; c++) {
            double s = 0, ss = 0;
            int n = 0;
            for (int b = 0; b < 4; b++) for (int i = 0; i < 9; i++) {
                double v = xs[(b * 2 + c) * 9 + i];
                s += v;
                ss += v * v;
                n++;
            }
            mean[c] = s / n;
            var[c] = (ss - n * mean[c] * mean[c]) / (n - 1);
        }
        Tensor y = bn.forward(x);
        assertEquals(1.0, bn.numBatchesTracked().item());
        for (int c = 0; c < 2; c++) {
            assertEquals(0.1 * mean[c], bn.runningMean().get(c), 1e-5);
            assertEquals(0.9 + 0.1 * var[c], bn.runningVar().get(c), 1e-4);
        }
        // Training output is normalised per channel.
        float[] ys = y.toFloatArray();
        double s0 = 0;
        for (int b = 0; b < 4; b++) for (int i = 0; i < 9; i++) s0 += ys[(b * 2) * 9 + i];
        assertEquals(0, s0 / 36, 1e-5);

        bn.eval();
        float[] before = bn.runningMean().toFloatArray();
        Tensor ye = bn.forward(x);
        assertEquals(1.0, bn.numBatchesTracked().item());
        assertArrayEquals(before, bn.runningMean().toFloatArray());
        double expected = (xs[0] - bn.runningMean().get(0)) / Math.sqrt(bn.runningVar().get(0) + 1e-5);
        assertEquals(expected, ye.get(0, 0, 0, 0), 1e-5);

        BatchNorm1d cumulative = new BatchNorm1d(3, 1e-5, Double.NaN, true, true);
        cumulative.forward(Tensor.randn(g, 8, 3));
        cumulative.forward(Tensor.randn(g, 8, 3));
        assertEquals(2.0, cumulative.numBatchesTracked().item());
    }

    @Test
    void gradientsReachEveryParameter() {
        Sequential net = new Sequential(new Conv2d(1, 2, 3, 1, 1), new BatchNorm2d(2), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8, 1));
        Tensor x = Tensor.randn(new Generator(3), 3, 1, 4, 4);
        net.forward(x).sum().backward();
        for (var e : net.namedParameters().entrySet()) {
            assertNotNull(e.getValue().grad(), e.getKey());
            assertArrayEquals(e.getValue().shape(), e.getValue().grad().shape(), e.getKey());
        }
    }
}
