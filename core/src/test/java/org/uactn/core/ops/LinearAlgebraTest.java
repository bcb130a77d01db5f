// matmul's shape rules (1-D promotion, batch broadcasting, folding) against a naive host product, and linear.
package org.uactn.core.ops;

import org.junit.jupiter.api.Test;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearAlgebraTest {
    private final Generator gen = new Generator(17);

    /** torch.matmul on host arrays, written from its documented rules. */
    private static double[] naive(double[] a, int[] as, double[] b, int[] bs, int[][] outShape) {
        int[] a2 = as.length == 1 ? new int[] {1, as[0]} : as;
        int[] b2 = bs.length == 1 ? new int[] {bs[0], 1} : bs;
        int m = a2[a2.length - 2], k = a2[a2.length - 1], n = b2[b2.length - 1];
        int[] ba = Arrays.copyOf(a2, a2.length - 2), bb = Arrays.copyOf(b2, b2.length - 2);
        int[] batch = Shapes.broadcast("naive", ba, bb);
        int count = Shapes.numel(batch);
        double[] out = new double[count * m * n];
        for (int bi = 0; bi < count; bi++) {
            int ia = batchOffset(bi, batch, ba), ib = batchOffset(bi, batch, bb);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a[ia * m * k + i * k + p] * b[ib * k * n + p * n + j];
                    out[bi * m * n + i * n + j] = s;
                }
            }
        }
        int[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = m;
        shape[batch.length + 1] = n;
        if (bs.length == 1) shape = Arrays.copyOf(shape, shape.length - 1);
        if (as.length == 1) {
            int[] s = new int[shape.length - 1];
            for (int i = 0, j = 0; i < shape.length; i++) if (i != batch.length) s[j++] = shape[i];
            shape = s;
        }
        outShape[0] = shape;
        return out;
    }

    /** Flat batch index into a (right-aligned, broadcast) batch shape of one operand. */
    private static int batchOffset(int flat, int[] batch, int[] own) {
        int off = 0, mul = 1;
        for (int d = batch.length - 1; d >= 0; d--) {
            int i = flat % batch[d];
            flat /= batch[d];
            int od = d - (batch.length - own.length);
            if (od >= 0) {
                if (own[od] != 1) off += i * mul;
                mul *= own[od];
            }
        }
        return off;
    }

    private void checkAgainstNaive(int[] as, int[] bs, int[] expectedShape) {
        Tensor a = Samples.normal(gen, as), b = Samples.normal(gen, bs);
        int[][] shape = new int[1][];
        double[] want = naive(a.toDoubleArray(), as, b.toDoubleArray(), bs, shape);
        Tensor c = LinearAlgebra.matmul(a, b);
        assertArrayEquals(expectedShape, c.shape(), Shapes.str(as) + " x " + Shapes.str(bs));
        assertArrayEquals(shape[0], c.shape());
        assertArrayEquals(want, c.toDoubleArray(), 1e-12, Shapes.str(as) + " x " + Shapes.str(bs));
    }

    @Test
    void shapeRulesMatchTorchMatmul() {
        checkAgainstNaive(new int[] {5}, new int[] {5}, new int[] {});
        checkAgainstNaive(new int[] {3}, new int[] {3, 4}, new int[] {4});
        checkAgainstNaive(new int[] {2, 3}, new int[] {3}, new int[] {2});
        checkAgainstNaive(new int[] {2, 3}, new int[] {3, 4}, new int[] {2, 4});
        checkAgainstNaive(new int[] {5, 2, 3}, new int[] {3, 4}, new int[] {5, 2, 4});
        checkAgainstNaive(new int[] {5, 2, 3}, new int[] {3}, new int[] {5, 2});
        checkAgainstNaive(new int[] {3}, new int[] {2, 3, 4}, new int[] {2, 4});
        checkAgainstNaive(new int[] {2, 3}, new int[] {4, 3, 5}, new int[] {4, 2, 5});
        checkAgainstNaive(new int[] {2, 1, 3, 4}, new int[] {5, 4, 2}, new int[] {2, 5, 3, 2});
        checkAgainstNaive(new int[] {1, 3, 2, 4}, new int[] {2, 1, 4, 3}, new int[] {2, 3, 2, 3});
    }

    @Test
    void stridedOperandsAreUsedWithoutChangingTheResult() {
        Tensor a = Samples.normal(gen, 2, 4, 3), b = Samples.normal(gen, 2, 5, 4);
        Tensor at = Views.transpose(a, 1, 2), bt = Views.transpose(b, 1, 2);
        Tensor viaViews = LinearAlgebra.matmul(at, bt);
        Tensor viaCopies = LinearAlgebra.matmul(Views.contiguous(at), Views.contiguous(bt));
        assertArrayEquals(new int[] {2, 3, 5}, viaViews.shape());
        assertArrayEquals(viaCopies.toDoubleArray(), viaViews.toDoubleArray(), 1e-12);
        // A batch view whose strides do not merge (a permuted batch) still gives the right product.
        Tensor p = Samples.normal(gen, 3, 2, 2, 4);
        Tensor q = Samples.normal(gen, 2, 3, 4, 2);
        Tensor viaPermute = LinearAlgebra.matmul(Views.permute(p, 1, 0, 2, 3), q);
        Tensor viaCopy = LinearAlgebra.matmul(Views.contiguous(Views.permute(p, 1, 0, 2, 3)), q);
        assertArrayEquals(viaCopy.toDoubleArray(), viaPermute.toDoubleArray(), 1e-12);
    }

    @Test
    void gradientsOfABroadcastBatchAreSummed() {
        Tensor a = Samples.normal(gen, 3, 2, 4).requiresGrad(true);
        double[] av = a.toDoubleArray();
        // d sum(A B) / dB = sum over batch and rows of A, broadcast along columns.
        double[] want = new double[20];
        for (int bi = 0; bi < 3; bi++) for (int i = 0; i < 2; i++) for (int p = 0; p < 4; p++) for (int j = 0; j < 5; j++) want[p * 5 + j] += av[bi * 8 + i * 4 + p];
        for (boolean folded : new boolean[] {true, false}) {
            Tensor b = Samples.normal(gen, 4, 5).requiresGrad(true);
            // b as [4, 5] takes the folded single-GEMM path; as [1, 4, 5] the broadcast batch path.
            LinearAlgebra.matmul(a, folded ? b : Views.unsqueeze(b, 0)).sum().backward();
            assertArrayEquals(new int[] {4, 5}, b.grad().shape());
            assertArrayEquals(want, b.grad().toDoubleArray(), 1e-12, "folded=" + folded);
        }
    }

    @Test
    void float32AndMixedTypes() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new double[] {1, 0, 0, 1}, 2, 2);
        Tensor c = LinearAlgebra.matmul(a, b);
        assertEquals(org.uactn.core.tensor.DType.FLOAT64, c.dtype());
        assertArrayEquals(new double[] {1, 2, 3, 4}, c.toDoubleArray(), 0);
        assertArrayEquals(new float[] {7, 10, 15, 22}, LinearAlgebra.matmul(a, a).toFloatArray(), 0);
    }

    @Test
    void badShapesNameBothOperands() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearAlgebra.matmul(a, b));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinearAlgebra.matmul(Tensor.zeros(2, 2, 3), Tensor.zeros(3, 3, 4)));
        assertTrue(e.getMessage().contains("[2, 2, 3]") && e.getMessage().contains("[3, 3, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearAlgebra.matmul(Tensor.scalar(1), Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> LinearAlgebra.matmul(Tensor.ofLong(new long[] {1, 2}, 2), Tensor.ofLong(new long[] {1, 2}, 2)));
    }

    @Test
    void linearIsXWTransposedPlusBias() {
        Tensor x = Samples.normal(gen, 2, 3, 4), w = Samples.normal(gen, 5, 4), b = Samples.normal(gen, 5);
        Tensor y = LinearAlgebra.linear(x, w, b);
        assertArrayEquals(new int[] {2, 3, 5}, y.shape());
        double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), bv = b.toDoubleArray(), yv = y.toDoubleArray();
        for (int r = 0; r < 6; r++) {
            for (int o = 0; o < 5; o++) {
                double s = bv[o];
                for (int i = 0; i < 4; i++) s += xv[r * 4 + i] * wv[o * 4 + i];
                assertEquals(s, yv[r * 5 + o], 1e-12);
            }
        }
        assertArrayEquals(new int[] {5}, LinearAlgebra.linear(Samples.normal(gen, 4), w, null).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearAlgebra.linear(Tensor.zeros(2, 3), w, b));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[5, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearAlgebra.linear(x, w, Tensor.zeros(4)));
    }

    @Test
    void linearGradientsMatchNaiveSums() {
        // linear is one recorded op with its own backward: both gradients against sums written out by hand.
        Tensor x = Samples.normal(gen, 2, 3, 4).requiresGrad(true), w = Samples.normal(gen, 5, 4).requiresGrad(true);
        Tensor g = Samples.normal(gen, 2, 3, 5);
        LinearAlgebra.linear(x, w, null).backward(g);
        assertTrue(w.grad().isContiguous());
        assertArrayEquals(new int[] {5, 4}, w.grad().shape());
        double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), gv = g.toDoubleArray();
        double[] gw = w.grad().toDoubleArray(), gx = x.grad().toDoubleArray();
        for (int o = 0; o < 5; o++) {
            for (int i = 0; i < 4; i++) {
                double s = 0;
                for (int r = 0; r < 6; r++) s += gv[r * 5 + o] * xv[r * 4 + i];
                assertEquals(s, gw[o * 4 + i], 1e-12);
            }
        }
        for (int r = 0; r < 6; r++) {
            for (int i = 0; i < 4; i++) {
                double s = 0;
                for (int o = 0; o < 5; o++) s += gv[r * 5 + o] * wv[o * 4 + i];
                assertEquals(s, gx[r * 4 + i], 1e-12);
            }
        }
    }
}
