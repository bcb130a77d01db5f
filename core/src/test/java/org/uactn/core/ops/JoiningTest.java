// cat and stack: values, negative dims, dtype promotion, gradients split back, and shape errors.
package org.uactn.core.ops;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Tensor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JoiningTest {
    @Test
    void catAlongEachDimension() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2), b = Tensor.of(new double[] {5, 6}, 1, 2);
        Tensor rows = Joining.cat(List.of(a, b), 0);
        assertArrayEquals(new int[] {3, 2}, rows.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, rows.toDoubleArray(), 0);
        Tensor cols = Joining.cat(List.of(a, Views.transpose(b, 0, 1).expand(2, 2)), -1);
        assertArrayEquals(new double[] {1, 2, 5, 5, 3, 4, 6, 6}, cols.toDoubleArray(), 0);
        // Legacy empty 1-D tensors are skipped, as in PyTorch.
        assertArrayEquals(new int[] {3, 2}, Joining.cat(List.of(a, Tensor.zeros(0).to(DType.FLOAT64), b), 0).shape());
    }

    @Test
    void catPromotesTypesAndSplitsGradients() {
        Tensor a = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3, 4, 5}, 3).requiresGrad(true);
        Tensor c = Joining.cat(List.of(a, b, Tensor.ofLong(new long[] {6}, 1)), 0);
        assertEquals(DType.FLOAT64, c.dtype());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, c.toDoubleArray(), 0);
        Reductions.sum(Pointwise.mul(c, Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 6))).backward();
        assertEquals(DType.FLOAT32, a.grad().dtype());
        assertArrayEquals(new float[] {1, 2}, a.grad().toFloatArray(), 0);
        assertArrayEquals(new double[] {3, 4, 5}, b.grad().toDoubleArray(), 0);
    }

    @Test
    void stackAddsADimension() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3), b = Tensor.of(new double[] {4, 5, 6}, 3);
        Tensor s0 = Joining.stack(List.of(a, b), 0), s1 = Joining.stack(List.of(a, b), -1);
        assertArrayEquals(new int[] {2, 3}, s0.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, s0.toDoubleArray(), 0);
        assertArrayEquals(new int[] {3, 2}, s1.shape());
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, s1.toDoubleArray(), 0);
        assertArrayEquals(new int[] {2}, Joining.stack(List.of(Tensor.scalar(1), Tensor.scalar(2)), 0).shape());
    }

    @Test
    void badInputsNameTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Joining.cat(List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4)), 0));
        assertTrue(e.getMessage().contains("cat") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Joining.cat(List.of(Tensor.zeros(2, 3), Tensor.zeros(3)), 0));
        assertThrows(IllegalArgumentException.class, () -> Joining.cat(List.of(Tensor.zeros(2, 3)), 2));
        assertThrows(IllegalArgumentException.class, () -> Joining.cat(List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> Joining.cat(List.of(Tensor.scalar(1)), 0));
        e = assertThrows(IllegalArgumentException.class, () -> Joining.stack(List.of(Tensor.zeros(2, 3), Tensor.zeros(3, 2)), 0));
        assertTrue(e.getMessage().contains("stack") && e.getMessage().contains("[3, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Joining.stack(List.of(Tensor.zeros(2)), 2));
    }
}
