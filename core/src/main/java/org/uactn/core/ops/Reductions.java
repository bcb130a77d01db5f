package org.uactn.core.ops;

import org.uactn.core.autograd.Graph;
import org.uactn.core.backend.BinaryOp;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/** Reductions over dimensions: sum, mean, max (with indices), argmax. */
public final class Reductions {
    private Reductions() {}

    /** The values and int64 positions of maxima along one dimension. */
    public record MaxResult(Tensor values, Tensor indices) {}

    // ---- sum and mean -----------------------------------------------------------------------

    /** Sum of all elements as a 0-d tensor (integer inputs give int64, as in PyTorch). */
    public static Tensor sum(Tensor x) {
        return sum(x, allDims(x.dim()), false);
    }

    /** Sum over dims (negative dims count from the end; an empty list means all dims). */
    public static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        int[] d = normaliseDims("sum", x, dims);
        int[] xs = x.shape();
        int[] kept = keptShape(xs, d);
        int[] outShape = keepDim ? kept : droppedShape(xs, d);
        if (!x.dtype().isFloating()) {
            // The kernels reduce floating types only; float64 holds integers exactly up to 2^53.
            Tensor s = sum(Views.toDType(x.detach(), DType.FLOAT64), d, keepDim);
            return Views.toDType(s, DType.INT64);
        }
        Tensor out;
        if (d.length == 0) {
            out = Tensor.zeros(x.dtype(), x.device(), outShape);
            x.backend().copy(x.detach(), out);
        } else {
            Tensor k = Tensor.zeros(x.dtype(), x.device(), kept);
            x.backend().sum(x.detach(), d, k);
            out = new Tensor(k.storage(), outShape, Shapes.contiguousStrides(outShape), 0);
        }
        return Graph.record("sum", out, g -> new Tensor[] {Views.expand(Views.reshape(g, kept), xs)}, x);
    }

    public static Tensor mean(Tensor x) {
        return mean(x, allDims(x.dim()), false);
    }

    /** Mean over dims; defined for floating types only, as in PyTorch. */
    public static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("mean: expected a floating-point tensor, got " + x.dtype() + " of shape " + Shapes.str(x.shape()));
        }
        int[] d = normaliseDims("mean", x, dims);
        long count = 1;
        for (int i : d) count *= x.shape()[i];
        // An empty reduction gives NaN (0/0), matching PyTorch.
        return Pointwise.mul(sum(x, d, keepDim), count == 0 ? Double.NaN : 1.0 / count);
    }

    // ---- max and argmax ---------------------------------------------------------------------

    /** The largest element as a 0-d tensor; the gradient is shared evenly among tied maxima, as in PyTorch. */
    public static Tensor max(Tensor x) {
        if (x.numel() == 0) throw new IllegalArgumentException("max: cannot reduce an empty tensor of shape " + Shapes.str(x.shape()));
        Tensor flat = Views.reshape(x.detach(), x.numel());
        Tensor out = Views.reshape(max(flat, 0, false).values(), new int[0]);
        if (!x.dtype().isFloating()) return out;
        int[] xs = x.shape();
        return Graph.record("max", out, g -> {
            Tensor hit = Pointwise.compare(BinaryOp.EQ, x.detach(), out);
            Tensor share = Pointwise.div(hit, sum(hit));
            return new Tensor[] {Pointwise.mul(share, Views.expand(g, xs))};
        }, x);
    }

    /** Maxima along dim and their int64 positions (first position on ties); the gradient goes to those positions. */
    public static MaxResult max(Tensor x, int dim, boolean keepDim) {
        int d = Shapes.wrapDim("max", dim, x.dim());
        if (x.dim() == 0) {
            Tensor idx = Tensor.zeros(DType.INT64, x.device());
            return new MaxResult(Views.clone(x), idx);
        }
        int[] xs = x.shape();
        if (xs[d] == 0) {
            throw new IllegalArgumentException("max: cannot reduce dimension " + d + " of size 0 (shape " + Shapes.str(xs) + ")");
        }
        int[] kept = xs.clone();
        kept[d] = 1;
        int[] outShape = keepDim ? kept : droppedShape(xs, new int[] {d});
        Tensor src = x.dtype().isFloating() ? x.detach() : Views.toDType(x.detach(), DType.FLOAT64);
        Tensor values = Tensor.zeros(src.dtype(), x.device(), kept);
        Tensor indices = Tensor.zeros(DType.INT64, x.device(), kept);
        x.backend().maxDim(src, d, values, indices);
        Tensor idxOut = new Tensor(indices.storage(), outShape, Shapes.contiguousStrides(outShape), 0);
        Tensor valOut = new Tensor(values.storage(), outShape, Shapes.contiguousStrides(outShape), 0);
        if (!x.dtype().isFloating()) return new MaxResult(Views.toDType(valOut, x.dtype()), idxOut);
        valOut = Graph.record("max", valOut, g -> {
            Tensor gx = Tensor.zeros(g.dtype(), g.device(), xs);
            g.backend().scatterAdd(gx, d, indices, Views.contiguous(Views.reshape(g, kept)));
            return new Tensor[] {gx};
        }, x);
        return new MaxResult(valOut, idxOut);
    }

    /** Position of the maximum along dim (int64); not differentiable. */
    public static Tensor argmax(Tensor x, int dim, boolean keepDim) {
        try (var scope = org.uactn.core.autograd.GradMode.noGrad()) {
            return max(x.detach(), dim, keepDim).indices();
        }
    }

    /** Position of the maximum in the flattened tensor, as a 0-d int64 tensor. */
    public static Tensor argmax(Tensor x) {
        if (x.numel() == 0) throw new IllegalArgumentException("argmax: cannot reduce an empty tensor of shape " + Shapes.str(x.shape()));
        return Views.reshape(argmax(Views.reshape(x.detach(), x.numel()), 0, false), new int[0]);
    }

    // ---- shape helpers ----------------------------------------------------------------------

    private static int[] allDims(int rank) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) d[i] = i;
        return d;
    }

    /** Wrapped, sorted, distinct dims; an empty list means every dim (PyTorch's dim=[]). */
    private static int[] normaliseDims(String op, Tensor x, int[] dims) {
        if (dims == null || dims.length == 0) return allDims(x.dim());
        int rank = x.dim();
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) d[i] = Shapes.wrapDim(op, dims[i], rank);
        Arrays.sort(d);
        for (int i = 1; i < d.length; i++) {
            if (d[i] == d[i - 1]) {
                throw new IllegalArgumentException(op + ": dimension " + d[i] + " appears more than once in " + Arrays.toString(dims)
                        + " (shape " + Shapes.str(x.shape()) + ")");
            }
        }
        if (rank == 0) return new int[0]; // dim 0 or -1 of a scalar reduces nothing
        return d;
    }

    private static int[] keptShape(int[] shape, int[] dims) {
        int[] k = shape.clone();
        for (int d : dims) k[d] = 1;
        return k;
    }

    private static int[] droppedShape(int[] shape, int[] dims) {
        int[] out = new int[shape.length - dims.length];
        for (int i = 0, j = 0, k = 0; i < shape.length; i++) {
            if (k < dims.length && dims[k] == i) { k++; continue; }
            out[j++] = shape[i];
        }
        return out;
    }

    // ---- registry ---------------------------------------------------------------------------

    static List<OpSpec> specs() {
        return List.of(
                OpSpec.of("sum", g -> new Tensor[] {Samples.normal(g, 3, 4)}, in -> sum(in[0])),
                OpSpec.of("sum_dim", g -> new Tensor[] {Samples.normal(g, 2, 3, 4)}, in -> sum(in[0], new int[] {-1, 0}, false)),
                OpSpec.of("sum_keepdim", g -> new Tensor[] {Samples.normal(g, 2, 3, 4)}, in -> sum(in[0], new int[] {1}, true)),
                OpSpec.of("mean", g -> new Tensor[] {Samples.normal(g, 3, 4)}, in -> mean(in[0])),
                OpSpec.of("mean_dim", g -> new Tensor[] {Samples.normal(g, 2, 3, 4)}, in -> mean(in[0], new int[] {0, 2}, true)),
                OpSpec.of("max", g -> new Tensor[] {Samples.distinct(g, 3, 4)}, in -> max(in[0])),
                OpSpec.of("max_dim", g -> new Tensor[] {Samples.distinct(g, 3, 4, 2)}, in -> max(in[0], 1, false).values()),
                OpSpec.noGrad("argmax", g -> new Tensor[] {Samples.distinct(g, 3, 5)}, in -> argmax(in[0], -1, true)));
    }
}
