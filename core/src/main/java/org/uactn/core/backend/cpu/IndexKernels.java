package org.uactn.core.backend.cpu;

import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/**
 * CPU kernels: gather, scatter, scatter_add, index_select and index_add. Index values are checked
 * in one serial pass before any work starts, so a bad index is reported clearly and nothing is
 * half-written. Writes are split across threads only by the coordinates that the index does not
 * replace, so two threads never touch one output element and accumulation order is fixed.
 */
final class IndexKernels {
    private IndexKernels() {}

    /** A 0-d tensor as a 1-element vector, so every kernel has a dimension to index. */
    private static Tensor atLeast1d(Tensor t) {
        return t.dim() > 0 ? t : new Tensor(t.storage(), new int[] {1}, new int[] {1}, t.offset());
    }

    /** Throws for the first index value outside [0, size), walking index in row-major order. */
    private static void checkRange(String op, Tensor index, int dim, int size) {
        if (index.dtype() != DType.INT64) throw new IllegalArgumentException(op + ": index must be int64, got " + index.dtype());
        if (index.numel() == 0) return;
        long[] a = Strided.i64(index);
        Strided s = Strided.of(index.shape(), index);
        int[] idx = new int[s.rank()], off = new int[1];
        int st = s.innerStride(0);
        s.rowOffsets(0, idx, off);
        for (int row = 0; row < s.outer; row++) {
            for (int j = 0; j < s.inner; j++) {
                long v = a[off[0] + j * st];
                if (v < 0 || v >= size) {
                    throw new IllegalArgumentException(op + ": index " + v + " out of range for dimension " + dim + " of size " + size);
                }
            }
            s.nextRow(idx, off);
        }
    }

    private static int checkDim(String op, Tensor t, int dim) {
        if (dim < 0 || dim >= t.dim()) throw new IllegalArgumentException(op + ": dim " + dim + " out of range for shape " + Shapes.str(t.shape()));
        return dim;
    }

    /** index's shape without dim, and the given tensor's strides on those dims. */
    private static int[] dropDim(int[] a, int dim) {
        int[] r = new int[a.length - 1];
        for (int d = 0, k = 0; d < a.length; d++) if (d != dim) r[k++] = a[d];
        return r;
    }

    private static void checkFits(String op, Tensor index, Tensor other, int dim, boolean includingDim) {
        int[] is = index.shape(), os = other.shape();
        boolean ok = is.length == os.length;
        for (int d = 0; d < is.length && ok; d++) {
            if (d != dim || includingDim) ok = is[d] <= os[d];
        }
        if (!ok) throw new IllegalArgumentException(op + ": index shape " + Shapes.str(is) + " does not fit tensor shape " + Shapes.str(os) + " (dim " + dim + ")");
    }

    // ---- gather / scatter ------------------------------------------------------------------------

    private enum Mode { GATHER, SCATTER, SCATTER_ADD }

    static void gather(Tensor x, int dim, Tensor index, Tensor out) {
        x = atLeast1d(x);
        index = atLeast1d(index);
        Tensor o1 = atLeast1d(out);
        checkDim("gather", x, dim);
        checkFits("gather", index, x, dim, false);
        if (!java.util.Arrays.equals(index.shape(), o1.shape()) || out.dtype() != x.dtype()) {
            throw new IllegalArgumentException("gather: output " + Shapes.str(out.shape()) + " " + out.dtype() + " must match index shape " + Shapes.str(index.shape()) + " and input dtype " + x.dtype());
        }
        checkRange("gather", index, dim, x.size(dim));
        Tensor w = Strided.writable(o1);
        alongDim(Mode.GATHER, index, dim, w, x);
        Strided.finish(w, o1);
    }

    static void scatter(Tensor out, int dim, Tensor index, Tensor src) {
        scatterImpl("scatter", Mode.SCATTER, out, dim, index, src);
    }

    static void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        scatterImpl("scatter_add", Mode.SCATTER_ADD, out, dim, index, src);
    }

    private static void scatterImpl(String op, Mode mode, Tensor out, int dim, Tensor index, Tensor src) {
        Tensor o1 = atLeast1d(out);
        index = atLeast1d(index);
        src = atLeast1d(src);
        checkDim(op, o1, dim);
        checkFits(op, index, o1, dim, false);
        checkFits(op, index, src, dim, true);
        if (src.dtype() != out.dtype()) throw new IllegalArgumentException(op + ": src dtype " + src.dtype() + " differs from output " + out.dtype());
        checkRange(op, index, dim, o1.size(dim));
        Tensor w = Strided.writable(o1);
        alongDim(mode, index, dim, src, w);
        Strided.finish(w, o1);
    }

    /**
     * Walks index's positions. GATHER: val[pos] = tgt[pos with dim := index[pos]]; SCATTER(_ADD):
     * tgt[pos with dim := index[pos]] (+)= val[pos]. The dim coordinate is the innermost loop, so
     * each parallel item owns a disjoint set of target elements and visits them in a fixed order.
     */
    private static void alongDim(Mode mode, Tensor index, int dim, Tensor val, Tensor tgt) {
        if (index.numel() == 0) return;
        int[] is = index.shape();
        int len = is[dim];
        int[][] st = {dropDim(index.strides(), dim), dropDim(val.strides(), dim), dropDim(tgt.strides(), dim)};
        Strided kept = Strided.of(dropDim(is, dim), st, new int[] {index.offset(), val.offset(), tgt.offset()});
        int sI = index.stride(dim), sV = val.stride(dim), sT = tgt.stride(dim);
        int inI = kept.innerStride(0), inV = kept.innerStride(1), inT = kept.innerStride(2);
        long[] ia = Strided.i64(index);
        Object va = Strided.array(val), ta = Strided.array(tgt);
        kept.forEachBlock(len, () -> (off, n) -> {
            int io = off[0], vo = off[1], to = off[2];
            switch (va) {
                case float[] v -> {
                    float[] t = (float[]) ta;
                    switch (mode) {
                        case GATHER -> { for (int j = 0; j < n; j++) for (int k = 0; k < len; k++) v[vo + j * inV + k * sV] = t[to + j * inT + (int) ia[io + j * inI + k * sI] * sT]; }
                        case SCATTER -> { for (int j = 0; j < n; j++) for (int k = 0; k < len; k++) t[to + j * inT + (int) ia[io + j * inI + k * sI] * sT] = v[vo + j * inV + k * sV]; }
                        case SCATTER_ADD -> { for (int j = 0; j < n; j++) for (int k = 0; k < len; k++) t[to + j * inT + (int) ia[io + j * inI + k * sI] * sT] += v[vo + j * inV + k * sV]; }
                    }
                }
                case double[] v -> {
                    double[] t = (double[]) ta;
                    switch (mode) {
                        case GATHER -> { for (int j = 0; j < n; j++) for (int k = 0; k < len; k++) v[vo + j * inV + k * sV] = t[to + j * inT + (int) ia[io + j * inI + k * sI] * sT]; }
                        case SCATTER -> { for (int j = 0; j < n; j++) for (int k = 0; k < len; k++) t[to + j * inT + (int) ia[io + j * inI + k * sI] * sT] = v[vo + j * inV + k * sV]; }
                        case SCATTER_ADD -> { for (int j = 0; j < n; j++) for (int k = 0; k < len; k++) t[to + j * inT + (int) ia[io + j * inI + k * sI] * sT] += v[vo + j * inV + k * sV]; }
                    }
                }
                case long[] v -> {
                    long[] t = (long[]) ta;
                    switch (mode) {
                        case GATHER -> { for (int j = 0; j < n; j++) for (int k = 0; k < len; k++) v[vo + j * inV + k * sV] = t[to + j * inT + (int) ia[io + j * inI + k * sI] * sT]; }
                        case SCATTER -> { for (int j = 0; j < n; j++) for (int k = 0; k < len; k++) t[to + j * inT + (int) ia[io + j * inI + k * sI] * sT] = v[vo + j * inV + k * sV]; }
                        case SCATTER_ADD -> { for (int j = 0; j < n; j++) for (int k = 0; k < len; k++) t[to + j * inT + (int) ia[io + j * inI + k * sI] * sT] += v[vo + j * inV + k * sV]; }
                    }
                }
                case int[] v -> {
                    int[] t = (int[]) ta;
                    switch (mode) {
                        case GATHER -> { for (int j = 0; j < n; j++) for (int k = 0; k < len; k++) v[vo + j * inV + k * sV] = t[to + j * inT + (int) ia[io + j * inI + k * sI] * sT]; }
                        case SCATTER -> { for (int j = 0; j < n; j++) for (int k = 0; k < len; k++) t[to + j * inT + (int) ia[io + j * inI + k * sI] * sT] = v[vo + j * inV + k * sV]; }
                        case SCATTER_ADD -> { for (int j = 0; j < n; j++) for (int k = 0; k < len; k++) t[to + j * inT + (int) ia[io + j * inI + k * sI] * sT] += v[vo + j * inV + k * sV]; }
                    }
                }
                default -> throw new IllegalStateException("unexpected storage " + va.getClass());
            }
        });
    }

    // ---- index_select / index_add ------------------------------------------------------------------

    /** [outer, size(dim), inner] of a tensor around dim. */
    private static int[] around(Tensor t, int dim) {
        int[] s = t.shape();
        int outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) outer *= s[d];
        for (int d = dim + 1; d < s.length; d++) inner *= s[d];
        return new int[] {outer, s[dim], inner};
    }

    private static long[] indexValues(String op, Tensor index, int dim, int size) {
        if (index.dim() > 1) throw new IllegalArgumentException(op + ": index must be 0-d or 1-D, got shape " + Shapes.str(index.shape()));
        checkRange(op, index, dim, size);
        long[] v = new long[index.numel()];
        long[] a = Strided.i64(index);
        int st = index.dim() == 0 ? 0 : index.stride(0);
        for (int i = 0; i < v.length; i++) v[i] = a[index.offset() + i * st];
        return v;
    }

    private static void checkAround(String op, Tensor big, Tensor small, int dim, int n) {
        int[] b = big.shape(), s = small.shape();
        boolean ok = b.length == s.length && s[dim] == n && big.dtype() == small.dtype();
        for (int d = 0; d < b.length && ok; d++) if (d != dim) ok = b[d] == s[d];
        if (!ok) {
            throw new IllegalArgumentException(op + ": shapes " + Shapes.str(b) + " " + big.dtype() + " and " + Shapes.str(s) + " " + small.dtype()
                    + " must agree outside dim " + dim + ", with " + n + " entries along it");
        }
    }

    static void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        x = atLeast1d(x);
        Tensor o1 = out.dim() == 0 ? atLeast1d(out) : out;
        checkDim("index_select", x, dim);
        long[] idx = indexValues("index_select", index, dim, x.size(dim));
        checkAround("index_select", x, o1, dim, idx.length);
        Tensor xc = Strided.contiguous(x), w = Strided.writable(o1);
        int[] g = around(xc, dim);
        int outer = g[0], size = g[1], inner = g[2], n = idx.length;
        Object xa = Strided.array(xc), oa = Strided.array(w);
        int xo = xc.offset(), oo = w.offset();
        Parallel.forRange(outer * n, inner + 16, (a, b) -> {
            for (int r = a; r < b; r++) {
                int o = r / n, i = r % n;
                System.arraycopy(xa, xo + (o * size + (int) idx[i]) * inner, oa, oo + r * inner, inner);
            }
        });
        Strided.finish(w, o1);
    }

    static void indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        Tensor o1 = atLeast1d(out);
        Tensor s1 = src.dim() == 0 ? atLeast1d(src) : src;
        checkDim("index_add", o1, dim);
        long[] idx = indexValues("index_add", index, dim, o1.size(dim));
        checkAround("index_add", o1, s1, dim, idx.length);
        Tensor sc = Strided.contiguous(s1), w = Strided.writable(o1);
        int[] g = around(w, dim);
        int outer = g[0], size = g[1], inner = g[2], n = idx.length;
        if (n == 0 || inner == 0) return;
        Object sa = Strided.array(sc), oa = Strided.array(w);
        int so = sc.offset(), oo = w.offset();
        int nb = (inner + Strided.BLOCK - 1) / Strided.BLOCK;
        // Items are (outer slice, column block); every index is applied inside one item, in order.
        Parallel.forRange(outer * nb, (long) n * Math.min(inner, Strided.BLOCK), (a, b) -> {
            for (int it = a; it < b; it++) {
                int o = it / nb, c0 = (it % nb) * Strided.BLOCK, len = Math.min(Strided.BLOCK, inner - c0);
                for (int i = 0; i < n; i++) {
                    addRow(oa, oo + (o * size + (int) idx[i]) * inner + c0, sa, so + (o * n + i) * inner + c0, len);
                }
            }
        });
        Strided.finish(w, o1);
    }

    private static void addRow(Object dst, int d, Object src, int s, int len) {
        switch (dst) {
            case float[] o -> { float[] v = (float[]) src; for (int j = 0; j < len; j++) o[d + j] += v[s + j]; }
            case double[] o -> { double[] v = (double[]) src; for (int j = 0; j < len; j++) o[d + j] += v[s + j]; }
            case long[] o -> { long[] v = (long[]) src; for (int j = 0; j < len; j++) o[d + j] += v[s + j]; }
            case int[] o -> { int[] v = (int[]) src; for (int j = 0; j < len; j++) o[d + j] += v[s + j]; }
            default -> throw new IllegalStateException("unexpected storage " + dst.getClass());
        }
    }
}
