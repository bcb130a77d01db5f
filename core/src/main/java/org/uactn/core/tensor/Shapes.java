package org.uactn.core.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by ops: element counts, contiguous strides, broadcasting, dimension wrapping. */
public final class Shapes {
    private Shapes() {}

    /** Largest element count a tensor may have (storages are indexed with int). */
    public static final long MAX_NUMEL = Integer.MAX_VALUE - 8;

    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            n *= d;
            if (n > MAX_NUMEL) throw new IllegalArgumentException("shape " + str(shape) + " has more than " + MAX_NUMEL + " elements");
        }
        return (int) n;
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** The broadcast shape of two shapes under NumPy/PyTorch rules, or an error naming the op. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " cannot be broadcast together");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Normalises a possibly negative dimension index against a rank, with an error naming the op. */
    public static int wrapDim(String op, int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IllegalArgumentException(op + ": dimension " + dim + " out of range for a tensor of rank " + rank);
        }
        return dim < 0 ? dim + r : dim;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
