package org.uactn.core.backend.cpu;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.uactn.core.backend.cpu.KernelRef.*;

/** sum and maxDim against naive double references, over layouts, dim sets and sizes that hit each loop order. */
class CpuKernelsReduceTest {

    private static double[] sumRef(Tensor x, int[] dims) {
        int[] xs = x.shape();
        int[] os = xs.clone();
        for (int d : dims) os[d] = 1;
        double[] out = new double[org.uactn.core.tensor.Shapes.numel(os)];
        forEach(xs, i -> {
            int flat = 0;
            for (int d = 0; d < xs.length; d++) flat = flat * os[d] + (os[d] == 1 ? 0 : i[d]);
            out[flat] += at(x, i);
        });
        return out;
    }

    private static void checkSum(Random r, DType t, String kind, int[] shape, int[] dims) {
        Tensor x = layout(r, t, -1, 1, kind, shape);
        int[] os = shape.clone();
        for (int d : dims) os[d] = 1;
        Tensor out = zeros(t, os);
        B.sum(x, dims, out);
        assertClose("sum " + t + " " + kind + " " + java.util.Arrays.toString(shape) + " over " + java.util.Arrays.toString(dims),
                sumRef(x, dims), out, t == DType.FLOAT32 ? 1e-6 : 1e-14 * Math.max(100, x.numel() / out.numel()));
    }

    @Test
    void sumMatchesReferenceOverDimSetsAndLayouts() {
        Random r = new Random(10);
        int[][] shapes = {{5, 7, 33}, {1, 1}, {7}, {2, 3, 4, 5}};
        for (DType t : FLOATS) {
            for (int[] shape : shapes) {
                int rank = shape.length;
                for (int mask = 0; mask < (1 << rank); mask++) {
                    int m = mask;
                    int[] dims = java.util.stream.IntStream.range(0, rank).filter(d -> (m & (1 << d)) != 0).toArray();
                    for (String kind : LAYOUTS) checkSum(r, t, kind, shape, dims);
                }
            }
        }
    }

    @Test
    void sumLargeShapesHitSplitAndColumnPaths() {
        Random r = new Random(11);
        for (DType t : FLOATS) {
            checkSum(r, t, "contiguous", new int[] {40_000, 3}, new int[] {0}); // few outputs, strided rows
            checkSum(r, t, "contiguous", new int[] {3, 40_000}, new int[] {1}); // few long unit-stride rows (split)
            checkSum(r, t, "contiguous", new int[] {5000, 40}, new int[] {0}); // columns, split reduction
            checkSum(r, t, "transposed", new int[] {40, 5000}, new int[] {1}); // columns via a transposed view
            checkSum(r, t, "contiguous", new int[] {300, 2100}, new int[] {0}); // columns, more than one block
            checkSum(r, t, "contiguous", new int[] {64, 9, 70}, new int[] {0, 2});
            checkSum(r, t, "broadcast", new int[] {100, 50, 9}, new int[] {0, 1, 2});
        }
    }

    @Test
    void float32SumOfManyValuesStaysAccurate() {
        int n = 3_000_001;
        float[] v = new float[n];
        double ref = 0;
        Random r = new Random(12);
        for (int i = 0; i < n; i++) {
            v[i] = 0.1f + (float) r.nextDouble() * 1e-3f;
            ref += v[i];
        }
        Tensor out = zeros(DType.FLOAT32);
        B.sum(Tensor.of(v, n), new int[] {0}, zeros(DType.FLOAT32, 1));
        Tensor o1 = zeros(DType.FLOAT32, 1);
        B.sum(Tensor.of(v, n), new int[] {0}, o1);
        assertEquals(ref, o1.item(), Math.abs(ref) * 1e-6);
        // Rank-0 input reduces over nothing.
        B.sum(Tensor.scalar(2.5), new int[0], out);
        assertEquals(2.5, out.item());
    }

    @Test
    void sumIsIndependentOfThreadCount() {
        Random r = new Random(13);
        Tensor x = random(r, DType.FLOAT32, -1, 1, 7, 100_003);
        int saved = Parallel.threads();
        try {
            float[][] results = new float[3][];
            int[] counts = {1, 3, 8};
            for (int k = 0; k < 3; k++) {
                Parallel.setThreads(counts[k]);
                Tensor o = zeros(DType.FLOAT32, 1, 1);
                B.sum(x, new int[] {0, 1}, o);
                Tensor o2 = zeros(DType.FLOAT32, 1, 100_003);
                B.sum(x, new int[] {0}, o2);
                float[] a = o.toFloatArray(), b = o2.toFloatArray();
                float[] all = java.util.Arrays.copyOf(a, 1 + b.length);
                System.arraycopy(b, 0, all, 1, b.length);
                results[k] = all;
            }
            assertArrayEquals(results[0], results[1]);
            assertArrayEquals(results[0], results[2]);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void integerSumsWork() {
        Tensor x = Tensor.ofLong(new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor out = zeros(DType.INT64, 1, 3);
        B.sum(x, new int[] {0}, out);
        assertExact("int sum", new long[] {5, 7, 9}, out);
    }

    private static void checkMax(Random r, DType t, String kind, int[] shape, int dim, double lo, double hi, boolean integerValues) {
        Tensor x0 = layout(r, t, lo, hi, kind, shape);
        Tensor x = x0;
        if (integerValues) {
            // Few distinct values so ties are common.
            x = zeros(t, shape);
            B.unary(org.uactn.core.backend.UnaryOp.MUL_SCALAR, x0, x, 1, 0);
            double[] v = x.toDoubleArray();
            for (int i = 0; i < v.length; i++) v[i] = Math.floor(v[i]);
            x = t == DType.FLOAT32 ? Tensor.of(toFloat(v), shape) : Tensor.of(v, shape);
            if (kind.equals("transposed")) x = x.contiguous();
        }
        int[] os = shape.clone();
        os[dim] = 1;
        Tensor values = zeros(t, os), idx = zeros(DType.INT64, os);
        B.maxDim(x, dim, values, idx);
        Tensor fx = x;
        double[] refV = new double[values.numel()];
        long[] refI = new long[values.numel()];
        int[] k = {0};
        forEach(os, i -> {
            int[] j = i.clone();
            double best = Double.NEGATIVE_INFINITY;
            long bi = -1;
            for (int l = 0; l < shape[dim]; l++) {
                j[dim] = l;
                double v = at(fx, j);
                if (Double.isNaN(v)) { best = v; bi = l; break; }
                if (bi < 0 || v > best) { best = v; bi = l; }
            }
            refV[k[0]] = best;
            refI[k[0]++] = bi;
        });
        String what = "max " + t + " " + kind + " " + java.util.Arrays.toString(shape) + " dim " + dim;
        assertClose(what, refV, values, 0);
        assertExact(what, refI, idx);
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    @Test
    void maxDimMatchesReferenceWithTies() {
        Random r = new Random(14);
        int[][] shapes = {{5, 7, 33}, {1, 9}, {7}, {40, 300}};
        for (DType t : FLOATS) {
            for (int[] shape : shapes) {
                for (int dim = 0; dim < shape.length; dim++) {
                    for (String kind : LAYOUTS) {
                        checkMax(r, t, kind, shape, dim, -3, 3, false);
                        checkMax(r, t, kind, shape, dim, 0, 3, true);
                    }
                }
            }
        }
    }

    @Test
    void maxDimPropagatesTheFirstNaN() {
        for (DType t : FLOATS) {
            double[] v = {1, Double.NaN, 3, Double.NaN, 2, 5, 5, 0};
            Tensor x = t == DType.FLOAT32 ? Tensor.of(toFloat(v), 2, 4) : Tensor.of(v, 2, 4);
            Tensor values = zeros(t, 2, 1), idx = zeros(DType.INT64, 2, 1);
            B.maxDim(x, 1, values, idx);
            assertClose("nan max", new double[] {Double.NaN, 5}, values, 0);
            assertExact("nan argmax", new long[] {1, 1}, idx);
            // Along dim 0 (the column loop order) as well, with enough columns.
            Tensor wide = zeros(t, 2, 16);
            for (int c = 0; c < 4; c++) B.copy(x, wide.narrow(1, 4 * c, 4));
            Tensor v0 = zeros(t, 1, 16), i0 = zeros(DType.INT64, 1, 16);
            B.maxDim(wide, 0, v0, i0);
            long[] ei = new long[16];
            double[] ev = new double[16];
            for (int c = 0; c < 16; c++) {
                double a = v[c % 4], b = v[4 + c % 4];
                ev[c] = Double.isNaN(a) ? a : (b > a ? b : a);
                ei[c] = Double.isNaN(a) ? 0 : (b > a ? 1 : 0);
            }
            assertClose("nan max dim0", ev, v0, 0);
            assertExact("nan argmax dim0", ei, i0);
        }
    }

    @Test
    void maxDimRejectsEmptyDimension() {
        Tensor x = zeros(DType.FLOAT32, 3, 0);
        assertThrows(IllegalArgumentException.class, () -> B.maxDim(x, 1, zeros(DType.FLOAT32, 3, 1), zeros(DType.INT64, 3, 1)));
    }
}
