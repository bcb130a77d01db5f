package org.uactn.core.autograd;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/** The graph engine: accumulation, shared subexpressions, no-grad, detach, and releasing the graph. */
class AutogradTest {
    @Test
    void gradientOfASharedSubexpressionIsSummed() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor y = x.mul(x).add(x.mul(3.0)).sum(); // d/dx = 2x + 3
        y.backward();
        assertArrayEquals(new double[] {5, 7, 9}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor x = Tensor.of(new double[] {2}, 1).requiresGrad(true);
        x.mul(x).sum().backward();
        x.mul(x).sum().backward();
        assertEquals(8.0, x.grad().item(), 1e-12);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void broadcastGradientIsReducedToTheInputShape() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {1, 1, 1}, 3).requiresGrad(true);
        a.add(b).sum().backward();
        assertArrayEquals(new int[] {3}, b.grad().shape());
        assertArrayEquals(new double[] {2, 2, 2}, b.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void noGradAndDetachRecordNothing() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        try (var g = GradMode.noGrad()) {
            assertFalse(x.mul(2.0).requiresGrad());
        }
        assertTrue(x.mul(2.0).requiresGrad());
        assertFalse(x.detach().mul(2.0).requiresGrad());
    }

    @Test
    void graphIsReleasedAfterBackwardUnlessRetained() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor y = x.exp().sum();
        y.backward(null, true);
        y.backward(null, false);
        assertArrayEquals(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, x.grad().toDoubleArray(), 1e-12);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("already freed"), e.getMessage());
    }

    @Test
    void nonScalarBackwardNeedsAGradient() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor y = x.mul(3.0);
        assertThrows(IllegalArgumentException.class, y::backward);
        y.backward(Tensor.of(new double[] {1, 10}, 2));
        assertArrayEquals(new double[] {3, 30}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void inPlaceUpdateOfALeafNeedsNoGrad() {
        Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        assertThrows(IllegalStateException.class, () -> w.addInPlace(Tensor.of(new double[] {1, 1}, 2), 1.0));
        try (var g = GradMode.noGrad()) {
            w.addInPlace(Tensor.of(new double[] {1, 1}, 2), -0.5);
        }
        assertArrayEquals(new double[] {0.5, 1.5}, w.toDoubleArray(), 1e-12);
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.of(new double[] {1}, 1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) y = y.add(0.0);
        y.sum().backward();
        assertEquals(1.0, x.grad().item(), 0);
    }

    @Test
    void leafGradientsNeverShareStorage() {
        // add passes its gradient through unchanged to both leaves; reshape passes a view of it.
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3, 4}, 2).requiresGrad(true);
        Tensor upstream = Tensor.of(new double[] {1, 10}, 2);
        a.add(b).backward(upstream);
        assertNotSame(a.grad().storage(), b.grad().storage());
        assertNotSame(upstream.storage(), a.grad().storage());
        try (var g = GradMode.noGrad()) {
            a.grad().addInPlace(Tensor.of(new double[] {100, 100}, 2), 1.0);
        }
        assertArrayEquals(new double[] {1, 10}, b.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 10}, upstream.toDoubleArray(), 0);

        Tensor c = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor up = Tensor.of(new double[] {1, 2, 3, 4}, 4);
        c.reshape(4).backward(up);
        assertNotSame(up.storage(), c.grad().storage());
    }

    @Test
    void aFreshGradientIsAdoptedAndLaterAccumulatedInPlace() {
        Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        w.mul(w).sum().backward();
        Tensor first = w.grad();
        w.mul(3.0).sum().backward();
        assertSame(first, w.grad());
        assertArrayEquals(new double[] {5, 7}, w.grad().toDoubleArray(), 1e-12);
    }
}
