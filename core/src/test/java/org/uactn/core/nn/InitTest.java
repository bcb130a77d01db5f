package org.uactn.core.nn;

import org.junit.jupiter.api.Test;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/** torch.nn.init formulas: fans, gains, and the bounds / spreads of the drawn values. */
class InitTest {
    private static double[] stats(Tensor t) {
        double[] v = t.toDoubleArray();
        double mean = 0, min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (double x : v) {
            mean += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        mean /= v.length;
        double var = 0;
        for (double x : v) var += (x - mean) * (x - mean);
        return new double[] {mean, Math.sqrt(var / (v.length - 1)), min, max};
    }

    @Test
    void fansAndGains() {
        Init.Fans f = Init.calculateFanInAndFanOut(Tensor.zeros(16, 8, 3, 5));
        assertEquals(8 * 15, f.fanIn());
        assertEquals(16 * 15, f.fanOut());
        assertEquals(new Init.Fans(4, 7), Init.calculateFanInAndFanOut(Tensor.zeros(7, 4)));
        assertThrows(IllegalArgumentException.class, () -> Init.calculateFanInAndFanOut(Tensor.zeros(5)));
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"), 1e-15);
        assertEquals(5.0 / 3, Init.calculateGain("tanh"), 1e-15);
        assertEquals(1.0, Init.calculateGain("conv2d"), 0);
        assertEquals(Math.sqrt(2 / 1.0001), Init.calculateGain("leaky_relu"), 1e-15);
        assertEquals(Math.sqrt(1.0 / 3), Init.calculateGain("leaky_relu", Math.sqrt(5)), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
    }

    @Test
    void kaimingUniformHitsItsBoundAndVariance() {
        Tensor w = Tensor.zeros(64, 32, 3, 3); // fan_in 288
        Init.kaimingUniform(w, 0, Init.FanMode.FAN_IN, "relu", new Generator(1));
        double bound = Math.sqrt(2) * Math.sqrt(3.0 / 288);
        double[] s = stats(w);
        assertTrue(s[2] >= -bound && s[3] <= bound, "values outside +-" + bound);
        assertTrue(s[3] > 0.99 * bound && s[2] < -0.99 * bound, "bound not reached");
        assertEquals(0, s[0], 0.01 * bound);
        assertEquals(bound / Math.sqrt(3), s[1], 0.02 * bound / Math.sqrt(3));

        Tensor w2 = Tensor.zeros(64, 32, 3, 3);
        Init.kaimingNormal(w2, 0, Init.FanMode.FAN_OUT, "relu", new Generator(2));
        assertEquals(Math.sqrt(2.0 / (64 * 9)), stats(w2)[1], 0.02 * Math.sqrt(2.0 / (64 * 9)));
    }

    @Test
    void defaultConvAndLinearInitUseOneOverSqrtFanIn() {
        Conv2d conv = new Conv2d(16, 32, 3);
        double bound = 1 / Math.sqrt(16 * 9);
        double[] w = stats(conv.weight());
        assertTrue(w[2] >= -bound && w[3] <= bound);
        assertTrue(w[3] > 0.98 * bound && w[2] < -0.98 * bound, "weight bound should be 1/sqrt(fan_in)");
        double[] b = stats(conv.bias());
        assertTrue(b[2] >= -bound && b[3] <= bound);
        assertTrue(b[3] - b[2] > bound, "bias should spread over +-1/sqrt(fan_in)");

        Linear lin = new Linear(100, 50);
        double lb = 0.1;
        double[] lw = stats(lin.weight());
        assertTrue(lw[2] >= -lb && lw[3] <= lb && lw[3] > 0.98 * lb);
        assertEquals(lb / Math.sqrt(3), lw[1], 0.03 * lb);
    }

    @Test
    void seededGeneratorsReproduceAndDiffer() {
        Linear a = new Linear(5, 4), b = new Linear(5, 4);
        a.resetParameters(new Generator(42));
        b.resetParameters(new Generator(42));
        assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
        b.resetParameters(new Generator(43));
        assertFalse(java.util.Arrays.equals(a.weight().toFloatArray(), b.weight().toFloatArray()));
    }

    @Test
    void xavierUniformNormalAndBasicFills() {
        Tensor t = Tensor.zeros(200, 300);
        Init.xavierUniform(t, 2.0, new Generator(3));
        double bound = 2.0 * Math.sqrt(6.0 / 500);
        double[] s = stats(t);
        assertTrue(s[2] >= -bound && s[3] <= bound && s[3] > 0.99 * bound);
        Init.xavierNormal(t, 1.0, new Generator(4));
        assertEquals(Math.sqrt(2.0 / 500), stats(t)[1], 0.01 * Math.sqrt(2.0 / 500));
        Init.normal(t, 3, 0.5, new Generator(5));
        s = stats(t);
        assertEquals(3, s[0], 0.01);
        assertEquals(0.5, s[1], 0.01);
        Init.uniform(t, -2, 5, new Generator(6));
        s = stats(t);
        assertTrue(s[2] >= -2 && s[3] < 5);
        assertEquals(1.5, s[0], 0.05);
        Init.constant(t, 0.25);
        assertEquals(0.25, stats(t)[2], 0);
        assertEquals(0.25, stats(t)[3], 0);
        Init.ones(t);
        assertEquals(1.0, t.get(17, 5));
        Init.zeros(t);
        assertEquals(0.0, stats(t)[3]);
    }

    @Test
    void batchNormStartsAtIdentity() {
        BatchNorm2d bn = new BatchNorm2d(6);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, bn.weight().toFloatArray());
        assertArrayEquals(new float[6], bn.bias().toFloatArray());
        assertArrayEquals(new float[6], bn.runningMean().toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, bn.runningVar().toFloatArray());
    }

    @Test
    void initWorksOnTensorsThatRequireGrad() {
        Tensor p = Tensor.zeros(3, 4).requiresGrad(true);
        Init.kaimingUniform(p);
        assertTrue(stats(p)[3] > 0);
    }
}
