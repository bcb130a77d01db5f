// gather, scatter, scatter_add, index_select and one_hot: values, gradients and index checks.
package org.uactn.core.ops;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexingTest {
    private static Tensor x() { return Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3); }

    @Test
    void gatherAndItsGradient() {
        Tensor x = x().requiresGrad(true);
        Tensor g = Indexing.gather(x, 1, Tensor.ofLong(new long[] {2, 2, 0, 1}, 2, 2));
        assertArrayEquals(new double[] {3, 3, 4, 5}, g.toDoubleArray(), 0);
        Reductions.sum(g).backward();
        assertArrayEquals(new double[] {0, 0, 2, 1, 1, 0}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void scatterReplacesAndScatterAddAccumulates() {
        Tensor x = x().requiresGrad(true), src = Tensor.of(new double[] {10, 20, 30, 40}, 2, 2).requiresGrad(true);
        Tensor idx = Tensor.ofLong(new long[] {0, 2, 1, 0}, 2, 2);
        Tensor s = Indexing.scatter(x, 1, idx, src);
        assertArrayEquals(new double[] {10, 2, 20, 40, 30, 6}, s.toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, x.toDoubleArray(), 0); // out of place
        Reductions.sum(Pointwise.mul(s, Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3))).backward();
        assertArrayEquals(new double[] {0, 2, 0, 0, 0, 6}, x.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 3, 5, 4}, src.grad().toDoubleArray(), 0);

        Tensor a = Indexing.scatterAdd(x(), 1, Tensor.ofLong(new long[] {0, 0, 2, 2}, 2, 2), Tensor.of(new double[] {10, 20, 30, 40}, 2, 2));
        assertArrayEquals(new double[] {31, 2, 3, 4, 5, 76}, a.toDoubleArray(), 0);
        // src larger than index: only its leading corner is used, and its gradient is zero elsewhere.
        Tensor big = Tensor.of(new double[] {1, 1, 1, 1, 1, 1}, 2, 3).requiresGrad(true);
        Reductions.sum(Indexing.scatterAdd(x(), 0, Tensor.ofLong(new long[] {1}, 1, 1), big)).backward();
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, 0}, big.grad().toDoubleArray(), 0);
    }

    @Test
    void indexSelectWithRepeats() {
        Tensor x = x().requiresGrad(true);
        Tensor s = Indexing.indexSelect(x, 1, Tensor.ofLong(new long[] {2, 0, 2}, 3));
        assertArrayEquals(new int[] {2, 3}, s.shape());
        assertArrayEquals(new double[] {3, 1, 3, 6, 4, 6}, s.toDoubleArray(), 0);
        Reductions.sum(s).backward();
        assertArrayEquals(new double[] {1, 0, 2, 1, 0, 2}, x.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {4, 5, 6}, Indexing.indexSelect(x(), 0, Tensor.ofInt(new int[] {1}, 1)).toDoubleArray(), 0);
        assertArrayEquals(new int[] {1, 3}, Indexing.indexSelect(x(), 0, Tensor.ofLong(new long[] {1})).shape());
    }

    @Test
    void oneHot() {
        Tensor h = Indexing.oneHot(Tensor.ofLong(new long[] {0, 2, 1, 2}, 2, 2), 3);
        assertEquals(DType.INT64, h.dtype());
        assertArrayEquals(new int[] {2, 2, 3}, h.shape());
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1}, h.toLongArray());
        Tensor inferred = Indexing.oneHot(Tensor.ofLong(new long[] {1, 3}, 2), -1);
        assertArrayEquals(new int[] {2, 4}, inferred.shape());
        assertArrayEquals(new long[] {0, 1, 0, 0, 0, 0, 0, 1}, inferred.toLongArray());
        assertFalse(h.requiresGrad());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Indexing.oneHot(Tensor.ofLong(new long[] {0, 5}, 2), 3));
        assertTrue(e.getMessage().contains("one_hot") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Indexing.oneHot(Tensor.ofLong(new long[] {-1}, 1), 3));
        assertThrows(IllegalArgumentException.class, () -> Indexing.oneHot(Tensor.of(new double[] {1}, 1), 3));
        assertThrows(IllegalArgumentException.class, () -> Indexing.oneHot(Tensor.ofLong(new long[0], 0), -1));
    }

    @Test
    void badIndicesAreIllegalArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Indexing.gather(x(), 1, Tensor.ofLong(new long[] {3}, 1, 1)));
        assertTrue(e.getMessage().contains("gather") && e.getMessage().contains("index 3") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Indexing.gather(x(), 1, Tensor.ofLong(new long[] {-1}, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> Indexing.gather(x(), 1, Tensor.ofLong(new long[] {0, 0, 0}, 3)));
        assertThrows(IllegalArgumentException.class, () -> Indexing.gather(x(), 1, Tensor.ofLong(new long[] {0, 0, 0}, 3, 1)));
        assertThrows(IllegalArgumentException.class, () -> Indexing.gather(x(), 1, Tensor.ofInt(new int[] {0}, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> Indexing.scatter(x(), 0, Tensor.ofLong(new long[] {2}, 1, 1), Tensor.zeros(1, 1).to(DType.FLOAT64)));
        assertThrows(IllegalArgumentException.class, () -> Indexing.scatter(x(), 0, Tensor.ofLong(new long[] {0, 0}, 1, 2), Tensor.zeros(1, 1).to(DType.FLOAT64)));
        assertThrows(IllegalArgumentException.class, () -> Indexing.scatterAdd(x(), 0, Tensor.ofLong(new long[] {0}, 1, 1), Tensor.ofLong(new long[] {1}, 1, 1)));
        e = assertThrows(IllegalArgumentException.class, () -> Indexing.indexSelect(x(), 0, Tensor.ofLong(new long[] {0, 2}, 2)));
        assertTrue(e.getMessage().contains("index_select") && e.getMessage().contains("2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Indexing.indexSelect(x(), 0, Tensor.ofLong(new long[] {0, 1}, 1, 2)));
        assertThrows(IllegalArgumentException.class, () -> Indexing.indexSelect(x(), 2, Tensor.ofLong(new long[] {0}, 1)));
    }
}
