package org.uactn.core.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Views share storage, follow PyTorch's shape rules, and copy only when they must. */
class TensorViewsTest {
    private static Tensor range(int... shape) {
        float[] v = new float[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = i;
        return Tensor.of(v, shape);
    }

    @Test
    void reshapeIsAViewOfContiguousData() {
        Tensor x = range(2, 3, 4);
        Tensor y = x.reshape(4, -1);
        assertSame(x.storage(), y.storage());
        assertArrayEquals(new int[] {4, 6}, y.shape());
        assertArrayEquals(x.toFloatArray(), y.toFloatArray());
    }

    @Test
    void transposeThenReshapeCopiesInLogicalOrder() {
        Tensor x = range(2, 3);
        Tensor t = x.t();
        assertFalse(t.isContiguous());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.reshape(6).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> t.view(6));
    }

    @Test
    void permuteNarrowExpandGiveTheRightElements() {
        Tensor x = range(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertEquals(x.get(1, 2, 3), p.get(3, 1, 2));
        Tensor n = x.narrow(2, 1, 2);
        assertEquals(x.get(1, 1, 2), n.get(1, 1, 1));
        Tensor e = Tensor.of(new float[] {1, 2, 3}, 3, 1).expand(2, 3, 4);
        assertEquals(0, e.stride(0));
        assertEquals(0, e.stride(2));
        assertEquals(3.0, e.get(1, 2, 3));
    }

    @Test
    void squeezeUnsqueezeFlatten() {
        Tensor x = range(3, 4);
        assertArrayEquals(new int[] {3, 1, 4}, x.unsqueeze(1).shape());
        assertArrayEquals(new int[] {3, 4, 1}, x.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {3, 4}, x.unsqueeze(1).squeeze(1).shape());
        assertArrayEquals(new int[] {12}, x.flatten().shape());
        assertArrayEquals(new int[] {3, 4}, x.squeeze(0).shape());
    }

    @Test
    void badShapesNameTheOp() {
        Tensor x = range(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.reshape(4, 2));
        assertTrue(e.getMessage().startsWith("reshape:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.add(range(4)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.narrow(1, 2, 2));
        assertTrue(e.getMessage().startsWith("narrow:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.permute(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[] {1, 2, 3}, 2, 2));
    }

    @Test
    void dtypeConversionAndItem() {
        Tensor x = Tensor.of(new double[] {1.5, -2.25}, 2);
        assertEquals(DType.FLOAT64, x.dtype());
        assertArrayEquals(new long[] {1, -2}, x.to(DType.INT64).toLongArray());
        assertEquals(-2.25, x.narrow(0, 1, 1).item());
        assertThrows(IllegalArgumentException.class, x::item);
    }

    @Test
    void broadcastingArithmetic() {
        Tensor a = range(2, 3);
        Tensor b = Tensor.of(new float[] {10, 20, 30}, 3);
        assertArrayEquals(new float[] {10, 21, 32, 13, 24, 35}, a.add(b).toFloatArray());
        Tensor c = Tensor.of(new float[] {1, 2}, 2, 1);
        assertArrayEquals(new float[] {0, 1, 2, 6, 8, 10}, a.mul(c).toFloatArray());
    }
}
