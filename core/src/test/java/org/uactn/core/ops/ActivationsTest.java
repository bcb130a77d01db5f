// softmax / log_softmax values and gradients, and dropout's masks, scaling and argument checks.
package org.uactn.core.ops;

import org.junit.jupiter.api.Test;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationsTest {
    @Test
    void softmaxAlongEitherDim() {
        Tensor x = Tensor.of(new double[] {0, 1, 2, 3, 3, 3}, 2, 3);
        double z = 1 + Math.E + Math.exp(2);
        assertArrayEquals(new double[] {1 / z, Math.E / z, Math.exp(2) / z, 1 / 3.0, 1 / 3.0, 1 / 3.0}, Activations.softmax(x, 1).toDoubleArray(), 1e-12);
        Tensor cols = Activations.softmax(x, 0);
        double e3 = Math.exp(3);
        assertEquals(1 / (1 + e3), cols.get(0, 0), 1e-12);
        assertEquals(Math.log(1 / z), Activations.logSoftmax(x, -1).get(0, 0), 1e-12);
        assertEquals(1.0, Activations.softmax(Tensor.scalar(5), 0).item(), 0);
        assertThrows(IllegalArgumentException.class, () -> Activations.softmax(x, 2));
    }

    @Test
    void dropoutScalesSurvivorsAndIsRepeatableWithASeed() {
        Tensor x = Tensor.of(new double[1000], 1000);
        x.fill(1.0);
        Tensor a = Activations.dropout(x, 0.25, true, new Generator(3));
        Tensor b = Activations.dropout(x, 0.25, true, new Generator(3));
        assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0);
        int zeros = 0;
        for (double v : a.toDoubleArray()) {
            if (v == 0) zeros++;
            else assertEquals(1 / 0.75, v, 1e-12);
        }
        assertTrue(zeros > 200 && zeros < 300, "dropped " + zeros + " of 1000 at p = 0.25");
        assertSame(x, Activations.dropout(x, 0.25, false, new Generator(3)));
        assertSame(x, Activations.dropout(x, 0, true, null));
        assertArrayEquals(new double[1000], Activations.dropout(x, 1, true, null).toDoubleArray(), 0);
    }

    @Test
    void dropoutGradientUsesTheSameMask() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 8).requiresGrad(true);
        Tensor y = Activations.dropout(x, 0.5, true, new Generator(9));
        Reductions.sum(y).backward();
        double[] yv = y.toDoubleArray(), g = x.grad().toDoubleArray(), xv = x.toDoubleArray();
        for (int i = 0; i < 8; i++) assertEquals(yv[i] / xv[i], g[i], 1e-12);
    }

    @Test
    void dropoutProbabilityIsChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activations.dropout(Tensor.zeros(2), 1.5, true, null));
        assertTrue(e.getMessage().contains("dropout") && e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Activations.dropout(Tensor.zeros(2), -0.1, false, null));
        assertThrows(IllegalArgumentException.class, () -> Activations.dropout(Tensor.zeros(2), Double.NaN, true, null));
    }
}
