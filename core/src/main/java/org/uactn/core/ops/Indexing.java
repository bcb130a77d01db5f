package org.uactn.core.ops;

import org.uactn.core.autograd.Graph;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/**
 * Gather, scatter, index_select and one_hot, with PyTorch's shape rules. Index values are checked
 * on the host before a kernel sees them, so a bad index is an IllegalArgumentException naming the
 * value rather than an out-of-bounds access inside a kernel.
 */
public final class Indexing {
    private Indexing() {}

    // ---- gather -------------------------------------------------------------------------------

    /** out[.., i, ..] = x[.., index[.., i, ..], ..] along dim; out has index's shape. */
    public static Tensor gather(Tensor x, int dim, Tensor index) {
        int d = checkIndexShape("gather", x, dim, index, null);
        checkRange("gather", index, x.dim() == 0 ? 1 : x.size(d), d, x);
        return gatherInRange(x, d, index);
    }

    /** gather for callers that have already checked the index values (and dim, wrapped). */
    static Tensor gatherInRange(Tensor x, int dim, Tensor index) {
        int d = checkIndexShape("gather", x, dim, index, null);
        if (x.dim() == 0) return Views.reshape(gatherInRange(Views.reshape(x, 1), 0, Views.reshape(index, 1)), new int[0]);
        int[] xs = x.shape();
        Tensor out = Tensor.zeros(x.dtype(), x.device(), index.shape());
        if (out.numel() > 0) x.backend().gather(x.detach(), d, index, out);
        if (!x.dtype().isFloating()) return out;
        return Graph.record("gather", out, g -> {
            Tensor gx = Tensor.zeros(g.dtype(), g.device(), xs);
            if (g.numel() > 0) g.backend().scatterAdd(gx, d, index, g);
            return new Tensor[] {gx};
        }, x);
    }

    // ---- scatter ------------------------------------------------------------------------------

    /**
     * Out-of-place scatter: a copy of x with out[.., index[.., i, ..], ..] = src[.., i, ..] along dim.
     * Where an index repeats, which write wins is unspecified (as in PyTorch).
     */
    public static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src) {
        return scatter("scatter", x, dim, index, src, false);
    }

    /** Out-of-place scatter_add: a copy of x with src added at the indexed positions along dim. */
    public static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
        return scatter("scatter_add", x, dim, index, src, true);
    }

    private static Tensor scatter(String op, Tensor x, int dim, Tensor index, Tensor src, boolean accumulate) {
        if (src == null) throw new IllegalArgumentException(op + ": src must not be null");
        int d = checkIndexShape(op, x, dim, index, src);
        if (x.dim() == 0) {
            int[] one = {1};
            return Views.reshape(scatter(op, Views.reshape(x, one), 0, Views.reshape(index, one), Views.reshape(src, one), accumulate), new int[0]);
        }
        checkRange(op, index, x.size(d), d, x);
        if (src.dtype() != x.dtype() && !(src.dtype().isFloating() && x.dtype().isFloating())) {
            throw new IllegalArgumentException(op + ": src (" + src.dtype() + ") and self (" + x.dtype() + ") must have the same dtype");
        }
        int[] is = index.shape(), ss = src.shape();
        Tensor srcPart = Views.toDType(narrowTo(src.detach(), is), x.dtype());
        Tensor out = Tensor.zeros(x.dtype(), x.device(), x.shape());
        x.backend().copy(x.detach(), out);
        if (index.numel() > 0) {
            if (accumulate) x.backend().scatterAdd(out, d, index, srcPart);
            else x.backend().scatter(out, d, index, srcPart);
        }
        if (!x.dtype().isFloating()) return out;
        DType srcType = src.dtype();
        return Graph.record(op, out, g -> {
            Tensor gx = null, gs = null;
            if (x.requiresGrad()) {
                if (accumulate) {
                    gx = g;
                } else {
                    gx = Tensor.zeros(g.dtype(), g.device(), g.shape());
                    g.backend().copy(g, gx);
                    if (index.numel() > 0) g.backend().scatter(gx, d, index, Tensor.zeros(g.dtype(), g.device(), is));
                }
            }
            if (src.requiresGrad()) {
                Tensor picked = Tensor.zeros(g.dtype(), g.device(), is);
                if (index.numel() > 0) g.backend().gather(g, d, index, picked);
                gs = Views.toDType(padTo(picked, ss), srcType);
            }
            return new Tensor[] {gx, gs};
        }, x, src);
    }

    // ---- index_select -------------------------------------------------------------------------

    /** The entries of x at the positions in a 1-D (or 0-d) int64/int32 index along dim. */
    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        int d = Shapes.wrapDim("index_select", dim, x.dim());
        if (index.dim() > 1) {
            throw new IllegalArgumentException("index_select: index must be 0-d or 1-D, got shape " + Shapes.str(index.shape()));
        }
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32) {
            throw new IllegalArgumentException("index_select: index must be int64 or int32, got " + index.dtype());
        }
        if (!index.device().equals(x.device())) {
            throw new IllegalArgumentException("index_select: x on " + x.device() + " but index on " + index.device());
        }
        if (x.dim() == 0) return Views.reshape(indexSelect(Views.reshape(x, 1), 0, index), index.dim() == 0 ? new int[0] : new int[] {index.numel()});
        Tensor idx = Views.reshape(Views.toDType(index, DType.INT64), index.numel());
        checkRange("index_select", idx, x.size(d), d, x);
        int[] xs = x.shape();
        int[] os = xs.clone();
        os[d] = idx.numel();
        Tensor out = Tensor.zeros(x.dtype(), x.device(), os);
        if (out.numel() > 0) x.backend().indexSelect(x.detach(), d, idx, out);
        if (!x.dtype().isFloating()) return out;
        return Graph.record("index_select", out, g -> {
            Tensor gx = Tensor.zeros(g.dtype(), g.device(), xs);
            if (g.numel() > 0) g.backend().indexAdd(gx, d, idx, g);
            return new Tensor[] {gx};
        }, x);
    }

    // ---- one_hot ------------------------------------------------------------------------------

    /**
     * PyTorch's F.one_hot: int64 class indices of shape [*] to int64 [*, numClasses]. A negative
     * numClasses means max(index) + 1. Not differentiable.
     */
    public static Tensor oneHot(Tensor index, int numClasses) {
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException("one_hot: expected an int64 tensor of class indices, got " + index.dtype() + " of shape " + Shapes.str(index.shape()));
        }
        long[] v = index.toLongArray();
        int c = numClasses;
        if (c < 0) {
            if (v.length == 0) throw new IllegalArgumentException("one_hot: cannot infer the number of classes from an empty tensor of shape " + Shapes.str(index.shape()));
            long max = Long.MIN_VALUE;
            for (long x : v) max = Math.max(max, x);
            if (max >= Integer.MAX_VALUE) throw new IllegalArgumentException("one_hot: class value " + max + " is too large");
            c = (int) Math.max(max + 1, 0);
        }
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= c) {
                throw new IllegalArgumentException("one_hot: class value " + v[i] + " (at flat position " + i + ") is out of range [0, " + c
                        + ") for an index of shape " + Shapes.str(index.shape()));
            }
        }
        int[] is = index.shape();
        int[] os = java.util.Arrays.copyOf(is, is.length + 1);
        os[is.length] = c;
        Tensor out = Tensor.zeros(DType.INT64, index.device(), os);
        if (v.length > 0) {
            int[] cs = java.util.Arrays.copyOf(is, is.length + 1);
            cs[is.length] = 1;
            Tensor ones = Tensor.full(cs, 1, DType.INT64, index.device());
            out.backend().scatter(out, is.length, Views.unsqueeze(index.detach(), -1), ones);
        }
        return out;
    }

    // ---- checks and helpers -------------------------------------------------------------------

    /**
     * PyTorch's rules for gather/scatter: index (and src) have x's rank, index is int64 and on x's
     * device, index.size(d) <= src.size(d) for every d, and index.size(d) <= x.size(d) for d != dim.
     */
    private static int checkIndexShape(String op, Tensor x, int dim, Tensor index, Tensor src) {
        int d = Shapes.wrapDim(op, dim, x.dim());
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be int64, got " + index.dtype() + " of shape " + Shapes.str(index.shape()));
        }
        if (!index.device().equals(x.device()) || (src != null && !src.device().equals(x.device()))) {
            throw new IllegalArgumentException(op + ": tensors on different devices: self on " + x.device() + ", index on " + index.device()
                    + (src != null ? ", src on " + src.device() : ""));
        }
        int[] xs = x.shape(), is = index.shape();
        String shapes = "self " + Shapes.str(xs) + ", index " + Shapes.str(is) + (src != null ? ", src " + Shapes.str(src.shape()) : "");
        if (is.length != xs.length || (src != null && src.dim() != xs.length)) {
            throw new IllegalArgumentException(op + ": index" + (src != null ? ", src" : "") + " and self must have the same number of dimensions ("
                    + shapes + ")");
        }
        for (int i = 0; i < is.length; i++) {
            if (i != d && is[i] > xs[i]) {
                throw new IllegalArgumentException(op + ": index size " + is[i] + " exceeds self size " + xs[i] + " in dimension " + i + " (" + shapes + ")");
            }
            if (src != null && is[i] > src.shape()[i]) {
                throw new IllegalArgumentException(op + ": index size " + is[i] + " exceeds src size " + src.shape()[i] + " in dimension " + i + " (" + shapes + ")");
            }
        }
        return d;
    }

    private static void checkRange(String op, Tensor index, int size, int dim, Tensor x) {
        long[] v = index.toLongArray();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= size) {
                throw new IllegalArgumentException(op + ": index " + v[i] + " (at flat position " + i + ") is out of bounds for dimension " + dim
                        + " with size " + size + " (self of shape " + Shapes.str(x.shape()) + ")");
            }
        }
    }

    /** The leading corner of t with the given (smaller or equal) shape, as a view. */
    private static Tensor narrowTo(Tensor t, int[] shape) {
        Tensor r = t;
        for (int i = 0; i < shape.length; i++) if (r.shape()[i] != shape[i]) r = Views.narrow(r, i, 0, shape[i]);
        return r;
    }

    /** t placed in the leading corner of a zero tensor of the given (larger or equal) shape. */
    private static Tensor padTo(Tensor t, int[] shape) {
        if (java.util.Arrays.equals(t.shape(), shape)) return t;
        Tensor out = Tensor.zeros(t.dtype(), t.device(), shape);
        t.backend().copy(t, narrowTo(out, t.shape()));
        return out;
    }

    // ---- registry ---------------------------------------------------------------------------

    static List<OpSpec> specs() {
        return List.of(
                OpSpec.of("gather", g -> new Tensor[] {Samples.normal(g, 3, 4), Samples.indices(g, 4, 3, 5)}, in -> gather(in[0], 1, in[1])),
                OpSpec.of("gather_dim0", g -> new Tensor[] {Samples.normal(g, 3, 4), Samples.indices(g, 3, 2, 3)}, in -> gather(in[0], 0, in[1])),
                OpSpec.of("scatter", g -> new Tensor[] {Samples.normal(g, 4, 3), distinctRows(g, 4, 2, 3), Samples.normal(g, 3, 3)},
                        in -> scatter(in[0], 0, in[1], in[2])),
                OpSpec.of("scatter_add", g -> new Tensor[] {Samples.normal(g, 3, 4), Samples.indices(g, 4, 3, 5), Samples.normal(g, 3, 5)},
                        in -> scatterAdd(in[0], 1, in[1], in[2])),
                OpSpec.of("index_select", g -> new Tensor[] {Samples.normal(g, 4, 3), Samples.indices(g, 4, 6)}, in -> indexSelect(in[0], 0, in[1])),
                OpSpec.of("index_select_dim1", g -> new Tensor[] {Samples.normal(g, 2, 5, 2), Samples.indices(g, 5, 3)}, in -> indexSelect(in[0], -2, in[1])),
                OpSpec.noGrad("one_hot", g -> new Tensor[] {Samples.indices(g, 5, 2, 3)}, in -> oneHot(in[0], 6)));
    }

    /** An int64 [rows, cols] index whose columns hold distinct values in [0, high): a scatter with no collisions. */
    private static Tensor distinctRows(org.uactn.core.random.Generator g, int high, int rows, int cols) {
        long[] v = new long[rows * cols];
        for (int c = 0; c < cols; c++) {
            int[] perm = new int[high];
            for (int i = 0; i < high; i++) perm[i] = i;
            for (int i = high - 1; i > 0; i--) {
                int j = g.nextInt(i + 1);
                int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
            }
            for (int r = 0; r < rows; r++) v[r * cols + c] = perm[r];
        }
        return Tensor.ofLong(v, rows, cols);
    }
}
