package org.uactn.core.backend.cpu;

import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Test support for the CPU kernel tests: random tensors, strided views, element access by coordinate, comparisons. */
final class KernelRef {
    private KernelRef() {}

    static final CpuBackend B = CpuBackend.INSTANCE;
    static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};
    static final DType[] ALL = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32};

    /** Uniform values in [lo, hi) (integers rounded down for integer dtypes), contiguous. */
    static Tensor random(Random r, DType t, double lo, double hi, int... shape) {
        int n = Shapes.numel(shape);
        return switch (t) {
            case FLOAT32 -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float) (lo + (hi - lo) * r.nextDouble()); yield Tensor.of(a, shape); }
            case FLOAT64 -> { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * r.nextDouble(); yield Tensor.of(a, shape); }
            case INT64 -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = (long) Math.floor(lo + (hi - lo) * r.nextDouble()); yield Tensor.ofLong(a, shape); }
            case INT32 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = (int) Math.floor(lo + (hi - lo) * r.nextDouble()); yield Tensor.ofInt(a, shape); }
        };
    }

    static Tensor zeros(DType t, int... shape) { return Tensor.zeros(t, Device.CPU, shape); }

    /** The same values as a contiguous tensor of the given shape, laid out so the view is non-contiguous with an offset. */
    static Tensor layout(Random r, DType t, double lo, double hi, String kind, int... shape) {
        int rank = shape.length;
        switch (kind) {
            case "contiguous" -> { return random(r, t, lo, hi, shape); }
            case "transposed" -> {
                // Allocate with reversed dims, permute back: every stride is "wrong".
                int[] rev = new int[rank], perm = new int[rank];
                for (int d = 0; d < rank; d++) { rev[d] = shape[rank - 1 - d]; perm[d] = rank - 1 - d; }
                return random(r, t, lo, hi, rev).permute(perm);
            }
            case "offset" -> {
                // A narrow window of a bigger tensor along the last dim: offset and gaps.
                int[] big = shape.clone();
                big[rank - 1] += 3;
                return random(r, t, lo, hi, big).narrow(rank - 1, 2, shape[rank - 1]);
            }
            case "broadcast" -> {
                // Stride 0 in the first and last dims (where size > 1).
                int[] small = shape.clone();
                small[0] = 1;
                if (rank > 1) small[rank - 1] = 1;
                return random(r, t, lo, hi, small).expand(shape);
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    static final String[] LAYOUTS = {"contiguous", "transposed", "offset", "broadcast"};

    /** The element at a coordinate, read straight from storage (independent of the kernels). */
    static double at(Tensor t, int... idx) {
        int off = t.offset();
        int[] st = t.strides();
        for (int d = 0; d < idx.length; d++) off += idx[d] * st[d];
        Object a = ((CpuStorage) t.storage()).array();
        return switch (a) {
            case float[] f -> f[off];
            case double[] d -> d[off];
            case long[] l -> l[off];
            case int[] i -> i[off];
            default -> throw new IllegalStateException();
        };
    }

    static long atLong(Tensor t, int... idx) {
        int off = t.offset();
        int[] st = t.strides();
        for (int d = 0; d < idx.length; d++) off += idx[d] * st[d];
        Object a = ((CpuStorage) t.storage()).array();
        return switch (a) {
            case long[] l -> l[off];
            case int[] i -> i[off];
            default -> (long) at(t, idx);
        };
    }

    /** Calls body with every coordinate of shape in row-major order (the array is reused). */
    static void forEach(int[] shape, Consumer<int[]> body) {
        int n = Shapes.numel(shape);
        int[] idx = new int[shape.length];
        for (int i = 0; i < n; i++) {
            body.accept(idx);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
    }

    static double tol(DType t) { return t == DType.FLOAT32 ? 2e-6 : 1e-12; }

    /** Asserts actual matches expected per element with a relative-plus-absolute tolerance; NaNs must match. */
    static void assertClose(String what, double[] expected, Tensor actual, double tol) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, what + ": length");
        for (int i = 0; i < got.length; i++) {
            double e = expected[i], g = got[i];
            if (Double.isNaN(e) || Double.isNaN(g)) {
                if (Double.isNaN(e) != Double.isNaN(g)) fail(what + ": at " + i + " expected " + e + " got " + g);
                continue;
            }
            if (Double.isInfinite(e) && e == g) continue;
            if (Math.abs(e - g) > tol * (1 + Math.abs(e))) fail(what + ": at " + i + " expected " + e + " got " + g);
        }
    }

    static void assertExact(String what, long[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.toLongArray(), what);
    }

    /** Row-major values of a tensor computed by fn(coordinate). */
    static double[] reference(int[] shape, java.util.function.ToDoubleFunction<int[]> fn) {
        double[] out = new double[Shapes.numel(shape)];
        int[] k = {0};
        forEach(shape, idx -> out[k[0]++] = fn.applyAsDouble(idx));
        return out;
    }

    /** Rounds a double reference through the dtype, as the kernel's output storage would. */
    static double round(DType t, double v) {
        return switch (t) {
            case FLOAT32 -> (float) v;
            case FLOAT64 -> v;
            case INT64 -> (long) v;
            case INT32 -> (int) v;
        };
    }
}
