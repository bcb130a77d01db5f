package org.uactn.core.backend.cpu;

import org.uactn.core.tensor.Tensor;

/**
 * Walks several same-shaped strided operands together for the CPU kernels: dimensions are
 * coalesced, and the innermost run is handed to a block body in pieces, so hot loops stay plain
 * array loops and a single long contiguous run still splits across threads.
 */
final class Strided {
    /** Elements per block: small enough for per-chunk scratch buffers to stay in L1/L2. */
    static final int BLOCK = 2048;

    /** A body over one block: off holds each operand's start offset, len the element count. */
    @FunctionalInterface
    interface Block {
        void run(int[] off, int len);
    }

    /** Makes one block body per parallel chunk, so bodies may own scratch buffers. */
    @FunctionalInterface
    interface BlockFactory {
        Block create();
    }

    final int[] shape;
    final int[][] strides;
    final int[] offsets;
    final int inner;
    final int outer;

    private Strided(int[] shape, int[][] strides, int[] offsets) {
        this.shape = shape;
        this.strides = strides;
        this.offsets = offsets;
        this.inner = shape[shape.length - 1];
        int o = 1;
        for (int d = 0; d < shape.length - 1; d++) o *= shape[d];
        this.outer = o;
    }

    /** The layout of tensors that all have the given shape. */
    static Strided of(int[] shape, Tensor... ts) {
        int[][] st = new int[ts.length][];
        int[] off = new int[ts.length];
        for (int k = 0; k < ts.length; k++) {
            st[k] = ts[k].strides();
            off[k] = ts[k].offset();
        }
        return of(shape, st, off);
    }

    /**
     * Drops size-1 dimensions and merges neighbours that every operand steps through evenly; the
     * result has rank >= 1 (a single element becomes shape [1]).
     */
    static Strided of(int[] shape, int[][] strides, int[] offsets) {
        int k = strides.length;
        int r = shape.length;
        int[] ns = new int[Math.max(r, 1)];
        int[][] nst = new int[k][Math.max(r, 1)];
        int m = 0;
        boolean empty = false;
        for (int d = 0; d < r; d++) {
            if (shape[d] == 0) empty = true;
            if (shape[d] == 1) continue;
            if (m > 0) {
                boolean merge = true;
                for (int q = 0; q < k && merge; q++) merge = nst[q][m - 1] == strides[q][d] * shape[d];
                if (merge) {
                    ns[m - 1] *= shape[d];
                    for (int q = 0; q < k; q++) nst[q][m - 1] = strides[q][d];
                    continue;
                }
            }
            ns[m] = shape[d];
            for (int q = 0; q < k; q++) nst[q][m] = strides[q][d];
            m++;
        }
        if (empty) {
            return new Strided(new int[] {0}, new int[k][1], offsets.clone());
        }
        if (m == 0) {
            ns[0] = 1;
            m = 1;
        }
        int[] fs = java.util.Arrays.copyOf(ns, m);
        int[][] fst = new int[k][];
        for (int q = 0; q < k; q++) fst[q] = java.util.Arrays.copyOf(nst[q], m);
        return new Strided(fs, fst, offsets.clone());
    }

    int rank() { return shape.length; }

    int innerStride(int operand) { return strides[operand][shape.length - 1]; }

    /** Fills off with each operand's offset at the start of outer row `row`. */
    void rowOffsets(int row, int[] idx, int[] off) {
        for (int q = 0; q < off.length; q++) off[q] = offsets[q];
        for (int d = shape.length - 2; d >= 0; d--) {
            int i = row % shape[d];
            row /= shape[d];
            idx[d] = i;
            for (int q = 0; q < off.length; q++) off[q] += i * strides[q][d];
        }
    }

    /** Steps idx/off to the next outer row. */
    void nextRow(int[] idx, int[] off) {
        for (int d = shape.length - 2; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                for (int q = 0; q < off.length; q++) off[q] += strides[q][d];
                return;
            }
            idx[d] = 0;
            for (int q = 0; q < off.length; q++) off[q] -= (shape[d] - 1) * strides[q][d];
        }
    }

    /** Runs body over every element in blocks of at most {@link #BLOCK}, in parallel with deterministic chunks. */
    void forEachBlock(long costPerElement, BlockFactory factory) {
        if (inner == 0 || outer == 0) return;
        int nb = (inner + BLOCK - 1) / BLOCK;
        int items = outer * nb;
        int k = offsets.length;
        int[] innerSt = new int[k];
        for (int q = 0; q < k; q++) innerSt[q] = innerStride(q);
        Parallel.forRange(items, costPerElement * Math.min(inner, BLOCK), (s, e) -> {
            Block body = factory.create();
            int[] idx = new int[shape.length];
            int[] base = new int[k];
            int[] off = new int[k];
            int row = s / nb, blk = s % nb;
            rowOffsets(row, idx, base);
            for (int it = s; it < e; it++) {
                int start = blk * BLOCK;
                int len = Math.min(BLOCK, inner - start);
                for (int q = 0; q < k; q++) off[q] = base[q] + start * innerSt[q];
                body.run(off, len);
                if (++blk == nb) {
                    blk = 0;
                    nextRow(idx, base);
                }
            }
        });
    }

    /** t itself when contiguous, else a contiguous copy (kernels that need plain layouts use this). */
    static Tensor contiguous(Tensor t) {
        if (t.isContiguous()) return t;
        Tensor c = Tensor.zeros(t.dtype(), t.device(), t.shape());
        StridedCopy.copy(t, c);
        return c;
    }

    /** A contiguous tensor to compute an output in: out itself, or a copy of it when out is strided. */
    static Tensor writable(Tensor out) {
        return contiguous(out);
    }

    /** Copies a result computed in a stand-in (see {@link #writable}) back to the real output. */
    static void finish(Tensor work, Tensor out) {
        if (work != out) StridedCopy.copy(work, out);
    }

    // ---- block gathers: bring a strided run into a scratch buffer ------------------------------

    static void gather(float[] src, int off, int stride, float[] dst, int len) {
        if (stride == 0) {
            java.util.Arrays.fill(dst, 0, len, src[off]);
        } else {
            for (int i = 0; i < len; i++) dst[i] = src[off + i * stride];
        }
    }

    static void gather(double[] src, int off, int stride, double[] dst, int len) {
        if (stride == 0) {
            java.util.Arrays.fill(dst, 0, len, src[off]);
        } else {
            for (int i = 0; i < len; i++) dst[i] = src[off + i * stride];
        }
    }

    static void gather(long[] src, int off, int stride, long[] dst, int len) {
        if (stride == 0) {
            java.util.Arrays.fill(dst, 0, len, src[off]);
        } else {
            for (int i = 0; i < len; i++) dst[i] = src[off + i * stride];
        }
    }

    static void gather(int[] src, int off, int stride, int[] dst, int len) {
        if (stride == 0) {
            java.util.Arrays.fill(dst, 0, len, src[off]);
        } else {
            for (int i = 0; i < len; i++) dst[i] = src[off + i * stride];
        }
    }

    static float[] f32(Tensor t) { return ((CpuStorage) t.storage()).f32(); }

    static double[] f64(Tensor t) { return ((CpuStorage) t.storage()).f64(); }

    static long[] i64(Tensor t) { return ((CpuStorage) t.storage()).i64(); }

    static int[] i32(Tensor t) { return ((CpuStorage) t.storage()).i32(); }

    static Object array(Tensor t) { return ((CpuStorage) t.storage()).array(); }
}
