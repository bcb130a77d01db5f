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
