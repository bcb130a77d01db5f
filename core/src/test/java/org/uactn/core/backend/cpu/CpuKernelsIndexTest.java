package org.uactn.core.backend.cpu;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.uactn.core.backend.cpu.KernelRef.*;

/** gather, scatter, scatter_add, index_select and index_add against naive references, for all four dtypes. */
class CpuKernelsIndexTest {

    /** An int64 index of the given shape with values in [0, size), optionally as a transposed view. */
    private static Tensor index(Random r, int size, boolean transposed, int... shape) {
        return layout(r, DType.INT64, 0, size, transposed ? "transposed" : "contiguous", shape);
    }

    @Test
    void gatherMatchesReference() {
        Random r = new Random(40);
        int[] xs = {5, 7, 6};
        for (DType t : ALL) {
            for (int dim = 0; dim < 3; dim++) {
                for (String kind : LAYOUTS) {
                    Tensor x = layout(r, t, -50, 50, kind, xs);
                    int[] is = {4, 7, 3};
                    is[dim] = 9; // longer than x along dim: indices repeat
                    Tensor idx = index(r, xs[dim], dim == 1, is);
                    Tensor out = zeros(t, is);
                    B.gather(x, dim, idx, out);
                    int d = dim;
                    double[] ref = reference(is, i -> {
                        int[] j = i.clone();
                        j[d] = (int) atLong(idx, i);
                        return at(x, j);
                    });
                    assertClose("gather " + t + " dim " + dim + " " + kind, ref, out, 0);
                }
            }
        }
    }

    @Test
    void scatterAndScatterAddMatchReference() {
        Random r = new Random(41);
        int[] os = {5, 7, 6};
        for (DType t : ALL) {
            for (int dim = 0; dim < 3; dim++) {
                int[] is = {4, 6, 3};
                is[dim] = 11; // more positions than targets: duplicates are certain
                int[] ss = is.clone();
                ss[2] += 2; // src larger than index
                Tensor idx = index(r, os[dim], dim == 2, is);
                Tensor src = layout(r, t, -50, 50, dim == 0 ? "transposed" : "offset", ss);
                Tensor base = random(r, t, -50, 50, os);
                int d = dim;

                Tensor add = zeros(t, os);
                B.copy(base, add);
                B.scatterAdd(add, dim, idx, src);
                double[] ref = base.toDoubleArray();
                forEach(is, i -> {
                    int[] j = i.clone();
                    j[d] = (int) atLong(idx, i);
                    ref[(j[0] * os[1] + j[1]) * os[2] + j[2]] += at(src, i);
                });
                assertClose("scatter_add " + t + " dim " + dim, ref, add, t == DType.FLOAT32 ? 5e-5 : 1e-12); // float32 rounds partial sums of values up to 50

                // For plain scatter the last write along dim wins (sequential order).
                Tensor set = zeros(t, os);
                B.copy(base, set);
                B.scatter(set, dim, idx, src);
                double[] ref2 = base.toDoubleArray();
                forEach(is, i -> {
                    int[] j = i.clone();
                    j[d] = (int) atLong(idx, i);
                    ref2[(j[0] * os[1] + j[1]) * os[2] + j[2]] = at(src, i);
                });
                assertClose("scatter " + t + " dim " + dim, ref2, set, 0);
            }
        }
    }

    @Test
    void scatterAddIsDeterministicAcrossThreadCounts() {
        Random r = new Random(42);
        Tensor idx = index(r, 3, false, 200_000, 4);
        Tensor src = random(r, DType.FLOAT32, -1, 1, 200_000, 4);
        int saved = Parallel.threads();
        try {
            float[] first = null;
            for (int th : new int[] {1, 2, 7}) {
                Parallel.setThreads(th);
                Tensor out = zeros(DType.FLOAT32, 3, 4);
                B.scatterAdd(out, 0, idx, src);
                if (first == null) first = out.toFloatArray();
                else assertArrayEquals(first, out.toFloatArray());
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void outOfRangeIndicesAreReported() {
        Tensor x = zeros(DType.FLOAT32, 3, 5);
        Tensor idx = Tensor.ofLong(new long[] {0, 7, 1}, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> B.gather(x, 1, idx, zeros(DType.FLOAT32, 3, 1)));
        assertEquals("gather: index 7 out of range for dimension 1 of size 5", e.getMessage());
        Tensor neg = Tensor.ofLong(new long[] {0, -1, 1}, 3, 1);
        e = assertThrows(IllegalArgumentException.class, () -> B.scatterAdd(x, 1, neg, zeros(DType.FLOAT32, 3, 1)));
        assertEquals("scatter_add: index -1 out of range for dimension 1 of size 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> B.scatter(x, 1, neg, zeros(DType.FLOAT32, 3, 1)));
        Tensor idx1 = Tensor.ofLong(new long[] {2, 3}, 2);
        e = assertThrows(IllegalArgumentException.class, () -> B.indexSelect(x, 0, idx1, zeros(DType.FLOAT32, 2, 5)));
        assertEquals("index_select: index 3 out of range for dimension 0 of size 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> B.indexAdd(x, 0, idx1, zeros(DType.FLOAT32, 2, 5)));
    }

    @Test
    void indexSelectAndIndexAddMatchReference() {
        Random r = new Random(43);
        int[] xs = {6, 5, 7};
        for (DType t : ALL) {
            for (int dim = 0; dim < 3; dim++) {
                for (String kind : LAYOUTS) {
                    Tensor x = layout(r, t, -50, 50, kind, xs);
                    // Strided 1-D index (every other element of a longer vector).
                    Tensor longer = random(r, DType.INT64, 0, xs[dim], 18);
                    Tensor idx = new Tensor(longer.storage(), new int[] {9}, new int[] {2}, 1);
                    int[] os = xs.clone();
                    os[dim] = 9;
                    Tensor out = zeros(t, os);
                    B.indexSelect(x, dim, idx, out);
                    int d = dim;
                    double[] ref = reference(os, i -> {
                        int[] j = i.clone();
                        j[d] = (int) atLong(idx, i[d]);
                        return at(x, j);
                    });
                    assertClose("index_select " + t + " dim " + dim + " " + kind, ref, out, 0);

                    Tensor src = layout(r, t, -50, 50, kind, os);
                    Tensor acc = random(r, t, -50, 50, xs);
                    double[] ref2 = acc.toDoubleArray();
                    forEach(os, i -> {
                        int[] j = i.clone();
                        j[d] = (int) atLong(idx, i[d]);
                        ref2[(j[0] * xs[1] + j[1]) * xs[2] + j[2]] += at(src, i);
                    });
                    B.indexAdd(acc, dim, idx, src);
                    assertClose("index_add " + t + " dim " + dim + " " + kind, ref2, acc, t == DType.FLOAT32 ? 5e-5 : 1e-12); // float32 rounds partial sums of values up to 50
                }
            }
        }
    }

    @Test
    void largeIndexSelectRows() {
        Random r = new Random(44);
        Tensor table = random(r, DType.FLOAT32, -1, 1, 1000, 64);
        Tensor idx = random(r, DType.INT64, 0, 1000, 5000);
        Tensor out = zeros(DType.FLOAT32, 5000, 64);
        B.indexSelect(table, 0, idx, out);
        float[] tv = table.toFloatArray(), ov = out.toFloatArray();
        long[] iv = idx.toLongArray();
        for (int i = 0; i < 5000; i++) {
            for (int j = 0; j < 64; j++) assertEquals(tv[(int) iv[i] * 64 + j], ov[i * 64 + j]);
        }
    }
}
