package org.uactn.core.backend;

import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/** Argument checks that every backend's kernels share, so each backend reports bad calls the same way. */
public final class KernelArgs {
    private KernelArgs() {}

    /**
     * Checks a {@link Backend#sum} call (dims sorted, distinct, in range; out shaped like x with those
     * dims of size 1; same dtype) and returns which dimensions are reduced.
     */
    public static boolean[] sumDims(Tensor x, int[] dims, Tensor out) {
        int r = x.dim();
        int[] xs = x.shape();
        boolean[] reduced = new boolean[r];
        int prev = -1;
        for (int d : dims) {
            if (d <= prev || d < 0 || d >= r) {
                throw new IllegalArgumentException("sum: dims " + Shapes.str(dims) + " must be sorted, distinct and within rank " + r);
            }
            reduced[d] = true;
            prev = d;
        }
        int[] os = out.shape();
        boolean okShape = os.length == r;
        for (int d = 0; d < r && okShape; d++) okShape = os[d] == (reduced[d] ? 1 : xs[d]);
        if (!okShape) {
            throw new IllegalArgumentException("sum: output shape " + Shapes.str(os) + " does not match input " + Shapes.str(xs) + " reduced over " + Shapes.str(dims));
        }
        if (x.dtype() != out.dtype()) {
            throw new IllegalArgumentException("sum: input dtype " + x.dtype() + " differs from output " + out.dtype());
        }
        return reduced;
    }
}
