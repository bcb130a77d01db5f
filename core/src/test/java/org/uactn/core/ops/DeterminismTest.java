// The same seed gives bit-identical forward values and gradients for a small conv + batch_norm + loss step.
package org.uactn.core.ops;

import org.junit.jupiter.api.Test;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DeterminismTest {
    /** Loss, then every gradient, as raw float bits. */
    private static List<int[]> step(long seed) {
        Generator g = new Generator(seed);
        Tensor x = Tensor.randn(g, 4, 3, 8, 8);
        Tensor w = Tensor.randn(g, 6, 3, 3, 3).mul(0.2).detach().requiresGrad(true);
        Tensor b = Tensor.zeros(6).requiresGrad(true);
        Tensor gamma = Tensor.ones(6).requiresGrad(true), beta = Tensor.zeros(6).requiresGrad(true);
        Tensor rm = Tensor.zeros(6), rv = Tensor.ones(6);
        Tensor fc = Tensor.randn(g, 5, 6).mul(0.3).detach().requiresGrad(true);
        Tensor target = Tensor.randint(g, 5, 4);

        Tensor h = Convolution.conv2d(x, w, b, new int[] {1}, new int[] {1}, null, 1);
        h = Pointwise.relu(Normalization.batchNorm(h, rm, rv, gamma, beta, true, 0.1, 1e-5));
        h = Pooling.adaptiveAvgPool2d(Pooling.maxPool2d(h, new int[] {2}, null, null, null, false), 1, 1);
        Tensor logits = LinearAlgebra.linear(Views.flatten(h, 1, -1), fc, null);
        Tensor loss = Losses.crossEntropy(Activations.dropout(logits, 0.2, true, g), target, LossReduction.MEAN, 0.1);
        loss.backward();
        List<int[]> bits = new ArrayList<>();
        for (Tensor t : new Tensor[] {loss, w.grad(), b.grad(), gamma.grad(), beta.grad(), fc.grad(), rm, rv}) {
            float[] v = t.toFloatArray();
            int[] raw = new int[v.length];
            for (int i = 0; i < v.length; i++) raw[i] = Float.floatToRawIntBits(v[i]);
            bits.add(raw);
        }
        return bits;
    }

    @Test
    void sameSeedSameBits() {
        List<int[]> first = step(123), second = step(123);
        for (int i = 0; i < first.size(); i++) assertArrayEquals(first.get(i), second.get(i), "tensor " + i);
        assertNotEquals(first.get(0)[0], step(124).get(0)[0]);
    }
}
