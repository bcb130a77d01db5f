// sum, mean, max and argmax: values over dims (negative, keepDim), gradients, integer inputs and bad dims.
package org.uactn.core.ops;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReductionsTest {
    /** [2, 3] = {{1, 5, 2}, {4, 0, 6}}. */
    private static Tensor x() { return Tensor.of(new double[] {1, 5, 2, 4, 0, 6}, 2, 3); }

    @Test
    void sumAndMeanOverDims() {
        assertEquals(18, Reductions.sum(x()).item(), 0);
        assertArrayEquals(new int[0], Reductions.sum(x()).shape());
        Tensor rows = Reductions.sum(x(), new int[] {-1}, false);
        assertArrayEquals(new int[] {2}, rows.shape());
        assertArrayEquals(new double[] {8, 10}, rows.toDoubleArray(), 0);
        Tensor cols = Reductions.sum(x(), new int[] {0}, true);
        assertArrayEquals(new int[] {1, 3}, cols.shape());
        assertArrayEquals(new double[] {5, 5, 8}, cols.toDoubleArray(), 0);
        assertArrayEquals(new double[] {2.5, 2.5, 4}, Reductions.mean(x(), new int[] {0}, false).toDoubleArray(), 1e-12);
        assertEquals(3, Reductions.mean(x()).item(), 1e-12);
        Tensor ints = Reductions.sum(Tensor.ofLong(new long[] {1, 2, 3}, 3));
        assertEquals(DType.INT64, ints.dtype());
        assertEquals(6, ints.item(), 0);
    }

    @Test
    void sumAndMeanGradientsBroadcastBack() {
        Tensor a = x().requiresGrad(true);
        Reductions.sum(Pointwise.mul(Reductions.mean(a, new int[] {1}, true), Tensor.of(new double[] {3, 6}, 2, 1))).backward();
        assertArrayEquals(new double[] {1, 1, 1, 2, 2, 2}, a.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void maxAlongADimGivesValuesIndicesAndRoutesTheGradient() {
        Tensor a = x().requiresGrad(true);
        Reductions.MaxResult m = Reductions.max(a, 1, false);
        assertArrayEquals(new double[] {5, 6}, m.values().toDoubleArray(), 0);
        assertArrayEquals(new long[] {1, 2}, m.indices().toLongArray());
        Reductions.sum(Pointwise.mul(m.values(), Tensor.of(new double[] {2, 3}, 2))).backward();
        assertArrayEquals(new double[] {0, 2, 0, 0, 0, 3}, a.grad().toDoubleArray(), 0);
        Reductions.MaxResult k = Reductions.max(x(), 0, true);
        assertArrayEquals(new int[] {1, 3}, k.values().shape());
        assertArrayEquals(new long[] {1, 0, 1}, k.indices().toLongArray());
    }

    @Test
    void globalMaxSharesTheGradientAmongTies() {
        Tensor a = Tensor.of(new double[] {1, 3, 3, 2}, 4).requiresGrad(true);
        Tensor m = Reductions.max(a);
        assertEquals(3, m.item(), 0);
        m.backward();
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0}, a.grad().toDoubleArray(), 0);
    }

    @Test
    void argmaxFlatAndAlongADim() {
        assertEquals(5, Reductions.argmax(x()).item(), 0);
        assertArrayEquals(new int[0], Reductions.argmax(x()).shape());
        assertArrayEquals(new long[] {1, 0, 1}, Reductions.argmax(x(), 0, false).toLongArray());
        assertArrayEquals(new long[] {2}, Reductions.argmax(Tensor.ofLong(new long[] {3, 1, 7}, 3), 0, true).toLongArray());
        assertEquals(DType.INT64, Reductions.argmax(x(), -1, false).dtype());
    }

    @Test
    void badDimsAreIllegalArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reductions.sum(x(), new int[] {2}, false));
        assertTrue(e.getMessage().contains("sum"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Reductions.sum(x(), new int[] {1, -1}, false));
        assertThrows(IllegalArgumentException.class, () -> Reductions.mean(Tensor.ofLong(new long[] {1}, 1)));
        assertThrows(IllegalArgumentException.class, () -> Reductions.max(x(), -3, false));
        assertThrows(IllegalArgumentException.class, () -> Reductions.max(Tensor.zeros(0)));
        assertThrows(IllegalArgumentException.class, () -> Reductions.argmax(Tensor.zeros(2, 0), 1, false));
    }
}
