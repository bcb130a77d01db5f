// Strided geometry of up to four same-shaped operands, coalesced and packed into the int block
// that the CUDA kernels receive by value as `struct Geo` (see src/main/cuda/uactn.cuh).
package org.uactn.kernels;

import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/** Builds the packed {@code Geo} argument: rank, shape[8], strides[4][8], offsets[4] (45 ints). */
public final class Geo {
    public static final int MAX_RANK = 8;
    public static final int MAX_OPERANDS = 4;
    public static final int INTS = 1 + MAX_RANK + MAX_OPERANDS * MAX_RANK + MAX_OPERANDS;

    private Geo() {}

    /** The geometry of tensors that all have {@code shape} (their own strides and offsets). */
    public static int[] of(int[] shape, Tensor... operands) {
        int[][] st = new int[operands.length][];
        int[] off = new int[operands.length];
        for (int k = 0; k < operands.length; k++) {
            st[k] = operands[k].strides();
            off[k] = operands[k].offset();
        }
        return pack(shape, st, off);
    }

    /**
     * Drops size-1 dimensions, merges neighbours every operand steps through evenly, and packs
     * the result. Throws when more than {@link #MAX_RANK} dimensions remain.
     */
    public static int[] pack(int[] shape, int[][] strides, int[] offsets) {
        int k = strides.length;
        if (k > MAX_OPERANDS) throw new IllegalArgumentException("cuda geometry: at most " + MAX_OPERANDS + " operands, got " + k);
        int r = shape.length;
        int[] ns = new int[r];
        int[][] nst = new int[k][r];
        int m = 0;
        for (int d = 0; d < r; d++) {
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
        if (m > MAX_RANK) {
            throw new IllegalArgumentException("cuda kernels: shape " + Shapes.str(shape) + " has " + m
                    + " non-mergeable dimensions; at most " + MAX_RANK + " are supported (make the tensor contiguous first)");
        }
        int[] g = new int[INTS];
        g[0] = m;
        for (int d = 0; d < m; d++) g[1 + d] = ns[d];
        for (int q = 0; q < k; q++) {
            for (int d = 0; d < m; d++) g[1 + MAX_RANK + q * MAX_RANK + d] = nst[q][d];
            g[1 + MAX_RANK + MAX_OPERANDS * MAX_RANK + q] = offsets[q];
        }
        return g;
    }

    /** Element offset of operand q at row-major linear index i: the kernels' geo_offsets, for tests. */
    public static int offset(int[] g, int q, int i) {
        int o = g[1 + MAX_RANK + MAX_OPERANDS * MAX_RANK + q];
        for (int d = g[0] - 1; d >= 0; d--) {
            int s = g[1 + d];
            o += (i % s) * g[1 + MAX_RANK + q * MAX_RANK + d];
            i /= s;
        }
        return o;
    }
}
