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
}
