package org.uactn.core.backend.cpu;

import org.uactn.core.backend.KernelArgs;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/**
 * CPU kernels: sum and max along dimensions. Sums accumulate in double and are split into pieces
 * whose boundaries depend only on the shapes, so results are identical for any thread count.
 * Two loop orders: "rows" when the reduced elements are the closely spaced ones, "columns"
 * (accumulating whole runs of kept elements) when the unit-stride dimension is kept.
 */
final class ReduceKernels {
    private ReduceKernels() {}

    /** Reduced elements per partial sum when few outputs share a large reduction. */
    private static final int PIECE = 16_384;
    /** Most pieces one output's reduction is split into. */
    private static final int MAX_PIECES = 64;
    /** Below this many independent output items the reduction itself is split for parallelism. */
    private static final int FEW_ITEMS = 16;

    // ---- sum ----------------------------------------------------------------------------------

    static void sum(Tensor x, int[] dims, Tensor out) {
        int r = x.dim();
        int[] xs = x.shape();
        boolean[] reduced = KernelArgs.sumDims(x, dims, out);
        int[] os = out.shape();
        if (!x.dtype().isFloating()) {
            // Integer sums (e.g. counting matches) go through float64; exact below 2^53.
            Tensor xd = Tensor.zeros(DType.FLOAT64, x.device(), xs);
            StridedCopy.copy(x, xd);
            Tensor od = Tensor.zeros(DType.FLOAT64, x.device(), os);
            sum(xd, dims, od);
            StridedCopy.copy(od, out);
            return;
        }
        Tensor w = Strided.writable(out);
        if (x.numel() == 0) {
            StridedCopy.fill(w, 0);
            Strided.finish(w, out);
            return;
        }
        int[] xst = x.strides(), wst = w.strides();
        int nk = r - dims.length;
        int[] kShape = new int[nk], kX = new int[nk], kW = new int[nk];
        int[] rShape = new int[dims.length], rX = new int[dims.length];
        for (int d = 0, a = 0, b = 0; d < r; d++) {
            if (reduced[d]) {
                rShape[b] = xs[d];
                rX[b++] = xst[d];
            } else {
                kShape[a] = xs[d];
                kX[a] = xst[d];
                kW[a++] = wst[d];
            }
        }
        Strided kept = Strided.of(kShape, new int[][] {kX, kW}, new int[] {x.offset(), w.offset()});
        Strided red = Strided.of(rShape, new int[][] {rX}, new int[] {0});
        int rN = Shapes.numel(rShape);
        boolean columns = kept.inner >= 8 && kept.innerStride(0) == 1 && Math.abs(red.innerStride(0)) != 1;
        boolean f32 = x.dtype() == DType.FLOAT32;
        Object xa = Strided.array(x), wa = Strided.array(w);
        if (columns) sumColumns(xa, wa, f32, kept, red, rN);
        else sumRows(xa, wa, f32, kept, red, rN);
        Strided.finish(w, out);
    }

    /** Each output is the sum of a (mostly unit-stride) run set of the reduced space. */
    private static void sumRows(Object xa, Object wa, boolean f32, Strided kept, Strided red, int rN) {
        int outN = kept.outer * kept.inner;
        int kIn = kept.innerStride(0), wIn = kept.innerStride(1);
        int pieces = outN >= FEW_ITEMS ? 1 : Math.min(MAX_PIECES, (rN + PIECE - 1) / PIECE);
        if (pieces <= 1) {
            kept.forEachBlock(rN, () -> {
                int[] idx = new int[red.rank()], off = new int[1];
                return (off2, len) -> {
                    for (int j = 0; j < len; j++) {
                        double s = sumRange(xa, f32, off2[0] + j * kIn, red, 0, rN, idx, off);
                        store(wa, f32, off2[1] + j * wIn, s);
                    }
                };
            });
            return;
        }
        double[] partial = new double[outN * pieces];
        int[] kIdx = new int[kept.rank()], kOff = new int[2];
        int[] xBase = new int[outN], wBase = new int[outN];
        for (int o = 0; o < outN; o++) {
            kept.rowOffsets(o / kept.inner, kIdx, kOff);
            xBase[o] = kOff[0] + (o % kept.inner) * kIn;
            wBase[o] = kOff[1] + (o % kept.inner) * wIn;
        }
        final int np = pieces;
        Parallel.forRange(outN * pieces, (long) rN / pieces, (s, e) -> {
            int[] idx = new int[red.rank()], off = new int[1];
            for (int it = s; it < e; it++) {
                int o = it / np, p = it % np;
                int p0 = (int) ((long) rN * p / np), p1 = (int) ((long) rN * (p + 1) / np);
                partial[it] = sumRange(xa, f32, xBase[o], red, p0, p1, idx, off);
            }
        });
        for (int o = 0; o < outN; o++) {
            double s = 0;
            for (int p = 0; p < pieces; p++) s += partial[o * pieces + p];
            store(wa, f32, wBase[o], s);
        }
    }

    private static void store(Object wa, boolean f32, int at, double v) {
        if (f32) ((float[]) wa)[at] = (float) v;
        else ((double[]) wa)[at] = v;
    }

    /** Sum of the reduced-space positions [p0, p1) starting from base offset xo. */
    private static double sumRange(Object xa, boolean f32, int xo, Strided red, int p0, int p1, int[] idx, int[] off) {
        int inner = red.inner, rs = red.innerStride(0);
        int row = p0 / inner, j = p0 % inner;
        red.rowOffsets(row, idx, off);
        double s = 0;
        int p = p0;
        while (p < p1) {
            int run = Math.min(inner - j, p1 - p);
            int at = xo + off[0] + j * rs;
            s += f32 ? sumRun((float[]) xa, at, rs, run) : sumRun((double[]) xa, at, rs, run);
            p += run;
            j = 0;
            if (p < p1) red.nextRow(idx, off);
        }
        return s;
    }

    private static double sumRun(float[] a, int off, int stride, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        if (stride == 1) {
            for (; i + 3 < n; i += 4) {
                s0 += a[off + i];
                s1 += a[off + i + 1];
                s2 += a[off + i + 2];
                s3 += a[off + i + 3];
            }
            for (; i < n; i++) s0 += a[off + i];
        } else {
            for (; i + 1 < n; i += 2) {
                s0 += a[off + i * stride];
                s1 += a[off + (i + 1) * stride];
            }
            for (; i < n; i++) s0 += a[off + i * stride];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double sumRun(double[] a, int off, int stride, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        if (stride == 1) {
            for (; i + 3 < n; i += 4) {
                s0 += a[off + i];
                s1 += a[off + i + 1];
                s2 += a[off + i + 2];
                s3 += a[off + i + 3];
            }
            for (; i < n; i++) s0 += a[off + i];
        } else {
            for (; i + 1 < n; i += 2) {
                s0 += a[off + i * stride];
                s1 += a[off + (i + 1) * stride];
            }
            for (; i < n; i++) s0 += a[off + i * stride];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The unit-stride dimension is kept: add whole runs of outputs at once for each reduced position. */
    private static void sumColumns(Object xa, Object wa, boolean f32, Strided kept, Strided red, int rN) {
        int nb = (kept.inner + Strided.BLOCK - 1) / Strided.BLOCK;
        int items = kept.outer * nb;
        int wIn = kept.innerStride(1);
        int pieces = items >= FEW_ITEMS ? 1 : Math.min(MAX_PIECES, Math.max(1, (int) ((long) rN * Math.min(kept.inner, Strided.BLOCK) / PIECE)));
        if (pieces <= 1) {
            kept.forEachBlock(rN, () -> {
                double[] acc = new double[Strided.BLOCK];
                int[] idx = new int[red.rank()], off = new int[1];
                return (o, len) -> {
                    java.util.Arrays.fill(acc, 0, len, 0.0);
                    accumulate(xa, f32, o[0], red, 0, rN, acc, len, idx, off);
                    for (int j = 0; j < len; j++) store(wa, f32, o[1] + j * wIn, acc[j]);
                };
            });
            return;
        }
        // Few column blocks and a long reduction: split the reduction into fixed pieces.
        int[] xBase = new int[items], wBase = new int[items], lens = new int[items];
        int[] kIdx = new int[kept.rank()], kOff = new int[2];
        for (int it = 0; it < items; it++) {
            kept.rowOffsets(it / nb, kIdx, kOff);
            int start = (it % nb) * Strided.BLOCK;
            xBase[it] = kOff[0] + start * kept.innerStride(0);
            wBase[it] = kOff[1] + start * wIn;
            lens[it] = Math.min(Strided.BLOCK, kept.inner - start);
        }
        int width = Math.min(kept.inner, Strided.BLOCK);
        double[] partial = new double[items * pieces * width];
        final int np = pieces;
        Parallel.forRange(items * pieces, (long) rN / pieces * width, (s, e) -> {
            int[] idx = new int[red.rank()], off = new int[1];
            double[] acc = new double[width];
            for (int t = s; t < e; t++) {
                int it = t / np, p = t % np;
                int p0 = (int) ((long) rN * p / np), p1 = (int) ((long) rN * (p + 1) / np);
                java.util.Arrays.fill(acc, 0.0);
                accumulate(xa, f32, xBase[it], red, p0, p1, acc, lens[it], idx, off);
                System.arraycopy(acc, 0, partial, t * width, lens[it]);
            }
        });
        for (int it = 0; it < items; it++) {
            for (int j = 0; j < lens[it]; j++) {
                double s = 0;
                for (int p = 0; p < pieces; p++) s += partial[(it * pieces + p) * width + j];
                store(wa, f32, wBase[it] + j * wIn, s);
            }
        }
    }

    /** acc[j] += x[xo + pos + j] for every reduced position pos in [p0, p1). */
    private static void accumulate(Object xa, boolean f32, int xo, Strided red, int p0, int p1, double[] acc, int len, int[] idx, int[] off) {
        int inner = red.inner, rs = red.innerStride(0);
        int row = p0 / inner, j = p0 % inner;
        red.rowOffsets(row, idx, off);
        int p = p0;
        while (p < p1) {
            int at = xo + off[0] + j * rs;
            if (f32) {
                float[] a = (float[]) xa;
                for (int c = 0; c < len; c++) acc[c] += a[at + c];
            } else {
                double[] a = (double[]) xa;
                for (int c = 0; c < len; c++) acc[c] += a[at + c];
            }
            p++;
            if (++j == inner && p < p1) {
                j = 0;
                red.nextRow(idx, off);
            }
        }
    }

    // ---- max along one dimension ----------------------------------------------------------------

    /** NaN propagates (the first NaN wins), otherwise the first maximum wins ties, as in PyTorch. */
    static void maxDim(Tensor x, int dim, Tensor values, Tensor indices) {
        int r = x.dim();
        if (dim < 0 || dim >= Math.max(r, 1)) throw new IllegalArgumentException("max: dim " + dim + " out of range for rank " + r);
        if (values.dtype() != x.dtype() || !x.dtype().isFloating() || indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("max: expected floating values of the input dtype and int64 indices, got " + x.dtype() + ", " + values.dtype() + ", " + indices.dtype());
        }
        int[] xs = x.shape();
        if (r == 0) {
            // A 0-d tensor reduces to itself.
            StridedCopy.copy(x, values);
            StridedCopy.fill(indices, 0);
            return;
        }
        int[] expect = xs.clone();
        expect[dim] = 1;
        if (!java.util.Arrays.equals(values.shape(), expect) || !java.util.Arrays.equals(indices.shape(), expect)) {
            throw new IllegalArgumentException("max: outputs " + Shapes.str(values.shape()) + " / " + Shapes.str(indices.shape()) + " do not match input " + Shapes.str(xs) + " reduced over dim " + dim);
        }
        int len = xs[dim];
        if (len == 0 && x.numel() == 0 && values.numel() > 0) {
            throw new IllegalArgumentException("max: cannot reduce dimension " + dim + " of size 0 in shape " + Shapes.str(xs));
        }
        if (values.numel() == 0) return;
        Tensor v = Strided.writable(values), ix = Strided.writable(indices);
        int[] kShape = new int[r - 1], kX = new int[r - 1], kV = new int[r - 1], kI = new int[r - 1];
        int[] xst = x.strides(), vst = v.strides(), ist = ix.strides();
        for (int d = 0, a = 0; d < r; d++) {
            if (d == dim) continue;
            kShape[a] = xs[d];
            kX[a] = xst[d];
            kV[a] = vst[d];
            kI[a++] = ist[d];
        }
        Strided kept = Strided.of(kShape, new int[][] {kX, kV, kI}, new int[] {x.offset(), v.offset(), ix.offset()});
        int sd = xst[dim];
        int xIn = kept.innerStride(0), vIn = kept.innerStride(1), iIn = kept.innerStride(2);
        boolean columns = kept.inner >= 8 && Math.abs(xIn) == 1 && Math.abs(sd) != 1;
        long[] ia = Strided.i64(ix);
        if (x.dtype() == DType.FLOAT32) {
            float[] xa = Strided.f32(x), va = Strided.f32(v);
            kept.forEachBlock(len, () -> {
                float[] best = new float[Strided.BLOCK];
                long[] bi = new long[Strided.BLOCK];
                return (o, n) -> {
                    if (columns) {
                        for (int j = 0; j < n; j++) { best[j] = xa[o[0] + j * xIn]; bi[j] = 0; }
                        for (int l = 1; l < len; l++) {
                            int at = o[0] + l * sd;
                            for (int j = 0; j < n; j++) {
                                float e = xa[at + j * xIn], b = best[j];
                                if (e > b || (e != e && b == b)) { best[j] = e; bi[j] = l; }
                            }
                        }
                    } else {
                        for (int j = 0; j < n; j++) {
                            int at = o[0] + j * xIn;
                            float b = xa[at];
                            int k = 0;
                            for (int l = 1; l < len; l++) {
                                float e = xa[at + l * sd];
                                if (e > b || (e != e && b == b)) { b = e; k = l; }
                            }
                            best[j] = b;
                            bi[j] = k;
                        }
                    }
                    for (int j = 0; j < n; j++) { va[o[1] + j * vIn] = best[j]; ia[o[2] + j * iIn] = bi[j]; }
                };
            });
        } else {
            double[] xa = Strided.f64(x), va = Strided.f64(v);
            kept.forEachBlock(len, () -> {
                double[] best = new double[Strided.BLOCK];
                long[] bi = new long[Strided.BLOCK];
                return (o, n) -> {
                    if (columns) {
                        for (int j = 0; j < n; j++) { best[j] = xa[o[0] + j * xIn]; bi[j] = 0; }
                        for (int l = 1; l < len; l++) {
                            int at = o[0] + l * sd;
                            for (int j = 0; j < n; j++) {
                                double e = xa[at + j * xIn], b = best[j];
                                if (e > b || (e != e && b == b)) { best[j] = e; bi[j] = l; }
                            }
                        }
                    } else {
                        for (int j = 0; j < n; j++) {
                            int at = o[0] + j * xIn;
                            double b = xa[at];
                            int k = 0;
                            for (int l = 1; l < len; l++) {
                                double e = xa[at + l * sd];
                                if (e > b || (e != e && b == b)) { b = e; k = l; }
                            }
                            best[j] = b;
                            bi[j] = k;
                        }
                    }
                    for (int j = 0; j < n; j++) { va[o[1] + j * vIn] = best[j]; ia[o[2] + j * iIn] = bi[j]; }
                };
            });
        }
        Strided.finish(v, values);
        Strided.finish(ix, indices);
    }
}
