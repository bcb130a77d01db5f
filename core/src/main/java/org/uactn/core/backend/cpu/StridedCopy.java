package org.uactn.core.backend.cpu;

import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.Arrays;

/** Copy (with dtype conversion) and fill between arbitrary strided views on the CPU. */
final class StridedCopy {
    private StridedCopy() {}

    static void copy(Tensor src, Tensor dst) {
        if (!Arrays.equals(src.shape(), dst.shape())) {
            throw new IllegalArgumentException("copy: source shape " + Shapes.str(src.shape()) + " differs from destination " + Shapes.str(dst.shape()));
        }
        int n = src.numel();
        if (n == 0) return;
        int[] shape = src.shape();
        int rank = shape.length;
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int outer = n / inner;
        int[] ss = src.strides(), ds = dst.strides();
        int sInner = rank == 0 ? 1 : ss[rank - 1], dInner = rank == 0 ? 1 : ds[rank - 1];
        Object sa = ((CpuStorage) src.storage()).array(), da = ((CpuStorage) dst.storage()).array();
        DType st = src.dtype(), dt = dst.dtype();
        int so = src.offset(), dof = dst.offset();
        if (rank >= 2 && st == dt && (st == DType.FLOAT32 || st == DType.FLOAT64) && dInner == 1 && sInner != 1
                && ss[rank - 2] == 1 && shape[rank - 2] >= TILE && inner >= TILE) {
            transposedBlocks(sa, so, ss, da, dof, ds, shape);
            return;
        }
        Parallel.forRange(outer, inner, (start, end) -> {
            for (int o = start; o < end; o++) {
                int sOff = so, dOff = dof, rem = o;
                for (int d = rank - 2; d >= 0; d--) {
                    int i = rem % shape[d];
                    rem /= shape[d];
                    sOff += i * ss[d];
                    dOff += i * ds[d];
                }
                row(sa, st, sOff, sInner, da, dt, dOff, dInner, inner);
            }
        });
    }

    /** Tile edge of the blocked transposing copy: a tile of source and destination rows stays in L1. */
    private static final int TILE = 32;

    /**
     * A copy whose source is transposed in its last two dimensions (a weight's .t(), a gradient that came back
     * as a transposed view) into a destination with unit inner stride: one element at a time it reads a new
     * cache line per element; in 32 x 32 tiles both sides stay in cache.
     */
    private static void transposedBlocks(Object sa, int so, int[] ss, Object da, int dof, int[] ds, int[] shape) {
        int rank = shape.length, rows = shape[rank - 2], cols = shape[rank - 1];
        int sCol = ss[rank - 1], dRow = ds[rank - 2];
        int matrices = 1;
        for (int d = 0; d < rank - 2; d++) matrices *= shape[d];
        int rowBlocks = (rows + TILE - 1) / TILE;
        Parallel.forRange(matrices * rowBlocks, (long) TILE * cols, (start, end) -> {
            for (int u = start; u < end; u++) {
                int mat = u / rowBlocks, r0 = (u % rowBlocks) * TILE, r1 = Math.min(rows, r0 + TILE);
                int sBase = so, dBase = dof, rem = mat;
                for (int d = rank - 3; d >= 0; d--) {
                    int i = rem % shape[d];
                    rem /= shape[d];
                    sBase += i * ss[d];
                    dBase += i * ds[d];
                }
                for (int c0 = 0; c0 < cols; c0 += TILE) {
                    int c1 = Math.min(cols, c0 + TILE);
                    if (sa instanceof float[] in) {
                        float[] out = (float[]) da;
                        for (int r = r0; r < r1; r++) {
                            int d = dBase + r * dRow, s = sBase + r;
                            for (int c = c0; c < c1; c++) out[d + c] = in[s + c * sCol];
                        }
                    } else {
                        double[] in = (double[]) sa, out = (double[]) da;
                        for (int r = r0; r < r1; r++) {
                            int d = dBase + r * dRow, s = sBase + r;
                            for (int c = c0; c < c1; c++) out[d + c] = in[s + c * sCol];
                        }
                    }
                }
            }
        });
    }

    private static void row(Object sa, DType st, int s, int sStep, Object da, DType dt, int d, int dStep, int n) {
        if (st == dt && sStep == 1 && dStep == 1) {
            System.arraycopy(sa, s, da, d, n);
            return;
        }
        switch (dt) {
            case FLOAT32 -> {
                float[] out = (float[]) da;
                switch (st) {
                    case FLOAT32 -> { float[] in = (float[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = in[s + i * sStep]; }
                    case FLOAT64 -> { double[] in = (double[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = (float) in[s + i * sStep]; }
                    case INT64 -> { long[] in = (long[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = in[s + i * sStep]; }
                    case INT32 -> { int[] in = (int[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = in[s + i * sStep]; }
                }
            }
            case FLOAT64 -> {
                double[] out = (double[]) da;
                switch (st) {
                    case FLOAT32 -> { float[] in = (float[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = in[s + i * sStep]; }
                    case FLOAT64 -> { double[] in = (double[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = in[s + i * sStep]; }
                    case INT64 -> { long[] in = (long[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = in[s + i * sStep]; }
                    case INT32 -> { int[] in = (int[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = in[s + i * sStep]; }
                }
            }
            case INT64 -> {
                long[] out = (long[]) da;
                switch (st) {
                    case FLOAT32 -> { float[] in = (float[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = (long) in[s + i * sStep]; }
                    case FLOAT64 -> { double[] in = (double[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = (long) in[s + i * sStep]; }
                    case INT64 -> { long[] in = (long[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = in[s + i * sStep]; }
                    case INT32 -> { int[] in = (int[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = in[s + i * sStep]; }
                }
            }
            case INT32 -> {
                int[] out = (int[]) da;
                switch (st) {
                    case FLOAT32 -> { float[] in = (float[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = (int) in[s + i * sStep]; }
                    case FLOAT64 -> { double[] in = (double[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = (int) in[s + i * sStep]; }
                    case INT64 -> { long[] in = (long[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = (int) in[s + i * sStep]; }
                    case INT32 -> { int[] in = (int[]) sa; for (int i = 0; i < n; i++) out[d + i * dStep] = in[s + i * sStep]; }
                }
            }
        }
    }

    static void fill(Tensor dst, double value) {
        int n = dst.numel();
        if (n == 0) return;
        Object a = ((CpuStorage) dst.storage()).array();
        if (dst.isContiguous()) {
            int off = dst.offset();
            switch (a) {
                case float[] f -> Arrays.fill(f, off, off + n, (float) value);
                case double[] d -> Arrays.fill(d, off, off + n, value);
                case long[] l -> Arrays.fill(l, off, off + n, (long) value);
                case int[] i -> Arrays.fill(i, off, off + n, (int) value);
                default -> throw new IllegalStateException();
            }
            return;
        }
        // Strided: copy from a broadcast scalar (stride 0 everywhere).
        Tensor scalar = Tensor.full(new int[0], value, dst.dtype(), dst.device());
        copy(new Tensor(scalar.storage(), dst.shape(), new int[dst.dim()], 0), dst);
    }
}
