package org.uactn.core.ops;

import org.uactn.core.autograd.Graph;
import org.uactn.core.backend.Backends;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that change how a storage is viewed (reshape, permute, narrow, expand, ...) without copying
 * where possible, plus copies between layouts, dtypes and devices.
 */
public final class Views {
    private Views() {}

    /** Reshape: a view when the layout allows it, else a contiguous copy. One dimension may be -1. */
    public static Tensor reshape(Tensor x, int... shape) {
        int[] target = inferShape("reshape", x, shape);
        Tensor base = x.isContiguous() ? x : contiguous(x);
        Tensor out = new Tensor(base.storage(), target, Shapes.contiguousStrides(target), base.offset());
        int[] original = x.shape();
        return Graph.record("reshape", out, g -> new Tensor[] {reshape(g, original)}, base);
    }

    /** Like reshape but never copies: an error when the tensor is not contiguous. */
    public static Tensor view(Tensor x, int... shape) {
        if (!x.isContiguous()) {
            throw new IllegalArgumentException("view: tensor of shape " + Shapes.str(x.shape()) + " and strides " + Shapes.str(x.strides())
                    + " is not contiguous; use reshape");
        }
        return reshape(x, shape);
    }

    private static int[] inferShape(String op, Tensor x, int[] shape) {
        int[] s = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be -1, got " + Shapes.str(shape));
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid dimension " + s[i] + " in " + Shapes.str(shape));
            } else {
                known *= s[i];
            }
        }
        int n = x.numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Shapes.str(shape) + " is invalid for input of shape " + Shapes.str(x.shape()));
            }
            s[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": shape " + Shapes.str(shape) + " is invalid for input of shape " + Shapes.str(x.shape()) + " (" + n + " elements)");
        }
        return s;
    }

    public static Tensor permute(Tensor x, int... dims) {
        int r = x.dim();
        if (dims.length != r) throw new IllegalArgumentException("permute: " + dims.length + " dims given for a tensor of rank " + r);
        int[] shape = x.shape(), strides = x.strides();
        int[] ns = new int[r], nt = new int[r], inverse = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int d = Shapes.wrapDim("permute", dims[i], r);
            if (seen[d]) throw new IllegalArgumentException("permute: dimension " + d + " repeated in " + Shapes.str(dims));
            seen[d] = true;
            ns[i] = shape[d];
            nt[i] = strides[d];
            inverse[d] = i;
        }
        Tensor out = new Tensor(x.storage(), ns, nt, x.offset());
        return Graph.record("permute", out, g -> new Tensor[] {permute(g, inverse)}, x);
    }

    public static Tensor transpose(Tensor x, int d0, int d1) {
        int r = x.dim();
        int a = Shapes.wrapDim("transpose", d0, r), b = Shapes.wrapDim("transpose", d1, r);
        int[] dims = new int[r];
        for (int i = 0; i < r; i++) dims[i] = i;
        dims[a] = b;
        dims[b] = a;
        return permute(x, dims);
    }

    /** Elements start .. start+length-1 of one dimension, as a view. */
    public static Tensor narrow(Tensor x, int dim, int start, int length) {
        int d = Shapes.wrapDim("narrow", dim, x.dim());
        int size = x.shape()[d];
        if (start < 0 || length < 0 || start + length > size) {
            throw new IllegalArgumentException("narrow: range [" + start + ", " + (start + length) + ") out of bounds for dimension " + d
                    + " of size " + size + " (shape " + Shapes.str(x.shape()) + ")");
        }
        int[] shape = x.shape();
        shape[d] = length;
        Tensor out = new Tensor(x.storage(), shape, x.strides(), x.offset() + start * x.strides()[d]);
        int[] original = x.shape();
        return Graph.record("narrow", out, g -> {
            Tensor full = Tensor.zeros(g.dtype(), g.device(), original);
            g.backend().copy(g, narrow(full, d, start, length));
            return new Tensor[] {full};
        }, x);
    }

    /** Broadcasts size-1 (or missing leading) dimensions to a shape, as a view with stride 0. */
    public static Tensor expand(Tensor x, int... shape) {
        int[] xs = x.shape();
        if (Arrays.equals(xs, shape)) return x;
        int n = shape.length, lead = n - xs.length;
        if (lead < 0) throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(xs) + " to fewer dimensions " + Shapes.str(shape));
        int[] strides = new int[n], xt = x.strides(), ns = shape.clone();
        for (int i = 0; i < n; i++) {
            if (i < lead) {
                if (ns[i] < 0) throw new IllegalArgumentException("expand: -1 not allowed in a new leading dimension: " + Shapes.str(shape));
                strides[i] = 0;
                continue;
            }
            int sx = xs[i - lead];
            if (ns[i] == -1) ns[i] = sx;
            if (sx == ns[i]) strides[i] = xt[i - lead];
            else if (sx == 1) strides[i] = 0;
            else throw new IllegalArgumentException("expand: shape " + Shapes.str(xs) + " cannot be expanded to " + Shapes.str(shape));
        }
        Tensor out = new Tensor(x.storage(), ns, strides, x.offset());
        return Graph.record("expand", out, g -> new Tensor[] {sumToShape(g, xs)}, x);
    }

    public static Tensor unsqueeze(Tensor x, int dim) {
        int d = Shapes.wrapDim("unsqueeze", dim, x.dim() + 1);
        int[] s = x.shape(), st = x.strides();
        int[] ns = new int[s.length + 1], nt = new int[s.length + 1];
        for (int i = 0, j = 0; i < ns.length; i++) {
            if (i == d) {
                ns[i] = 1;
                nt[i] = j < s.length ? st[j] * Math.max(s[j], 1) : 1; // any stride is valid for a size-1 dim
            } else {
                ns[i] = s[j];
                nt[i] = st[j++];
            }
        }
        Tensor out = new Tensor(x.storage(), ns, nt, x.offset());
        return Graph.record("unsqueeze", out, g -> new Tensor[] {squeeze(g, d)}, x);
    }

    /** Removes dimension dim when it has size 1 (a no-op otherwise, as in PyTorch). */
    public static Tensor squeeze(Tensor x, int dim) {
        int d = Shapes.wrapDim("squeeze", dim, x.dim());
        int[] s = x.shape(), st = x.strides();
        if (s[d] != 1) return x;
        int[] ns = new int[s.length - 1], nt = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i == d) continue;
            ns[j] = s[i];
            nt[j++] = st[i];
        }
        Tensor out = new Tensor(x.storage(), ns, nt, x.offset());
        return Graph.record("squeeze", out, g -> new Tensor[] {unsqueeze(g, d)}, x);
    }

    /** Merges dimensions startDim..endDim (inclusive) into one. */
    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        if (x.dim() == 0) return reshape(x, 1);
        int a = Shapes.wrapDim("flatten", startDim, x.dim()), b = Shapes.wrapDim("flatten", endDim, x.dim());
        if (a > b) throw new IllegalArgumentException("flatten: start_dim " + a + " is after end_dim " + b);
        int[] s = x.shape();
        List<Integer> ns = new ArrayList<>();
        for (int i = 0; i < a; i++) ns.add(s[i]);
        int m = 1;
        for (int i = a; i <= b; i++) m *= s[i];
        ns.add(m);
        for (int i = b + 1; i < s.length; i++) ns.add(s[i]);
        return reshape(x, ns.stream().mapToInt(Integer::intValue).toArray());
    }

    /** x itself when contiguous, else a contiguous copy (in the graph). */
    public static Tensor contiguous(Tensor x) {
        return x.isContiguous() ? x : clone(x);
    }

    /** A contiguous copy; the gradient passes through unchanged. */
    public static Tensor clone(Tensor x) {
        Tensor out = Tensor.zeros(x.dtype(), x.device(), x.shape());
        x.backend().copy(x.detach(), out);
        return Graph.record("clone", out, g -> new Tensor[] {g}, x);
    }

    /** Converts to another dtype; gradients flow back between floating types. */
    public static Tensor toDType(Tensor x, DType type) {
        if (x.dtype() == type) return x;
        Tensor out = Tensor.zeros(type, x.device(), x.shape());
        x.backend().copy(x.detach(), out);
        if (!type.isFloating()) return out;
        DType original = x.dtype();
        return Graph.record("to", out, g -> new Tensor[] {toDType(g, original)}, x);
    }

    /** Copies to another device through host memory; gradients flow back. */
    public static Tensor toDevice(Tensor x, Device device) {
        if (x.device().equals(device)) return x;
        Tensor c = x.detach();
        if (!c.isContiguous() || c.offset() != 0 || c.storage().numel() != c.numel()) c = clone(c);
        Object host = c.backend().download(c.storage());
        Tensor out = new Tensor(Backends.get(device).upload(host, x.dtype()), x.shape(), Shapes.contiguousStrides(x.shape()), 0);
        Device original = x.device();
        return Graph.record("to", out, g -> new Tensor[] {toDevice(g, original)}, x);
    }

    /** Sums a broadcast gradient back to the shape of the input it was broadcast from. */
    public static Tensor sumToShape(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) dims.add(i);
        }
        Tensor s = dims.isEmpty() ? g : Reductions.sum(g, dims.stream().mapToInt(Integer::intValue).toArray(), true);
        return reshape(s, shape);
    }

    static List<OpSpec> specs() {
        return List.of(
                OpSpec.of("reshape", g -> new Tensor[] {Samples.normal(g, 2, 3, 4)}, in -> reshape(in[0], 4, -1)),
                OpSpec.of("permute", g -> new Tensor[] {Samples.normal(g, 2, 3, 4)}, in -> permute(in[0], 2, 0, 1)),
                OpSpec.of("transpose", g -> new Tensor[] {Samples.normal(g, 3, 5)}, in -> transpose(in[0], 0, 1)),
                OpSpec.of("narrow", g -> new Tensor[] {Samples.normal(g, 4, 5)}, in -> narrow(in[0], 1, 1, 3)),
                OpSpec.of("expand", g -> new Tensor[] {Samples.normal(g, 3, 1)}, in -> expand(in[0], 2, 3, 4)),
                OpSpec.of("unsqueeze", g -> new Tensor[] {Samples.normal(g, 3, 4)}, in -> unsqueeze(in[0], 1)),
                OpSpec.of("squeeze", g -> new Tensor[] {Samples.normal(g, 3, 1, 4)}, in -> squeeze(in[0], 1)),
                OpSpec.of("flatten", g -> new Tensor[] {Samples.normal(g, 2, 3, 4)}, in -> flatten(in[0], 1, 2)),
                OpSpec.of("contiguous", g -> new Tensor[] {Samples.normal(g, 3, 4)}, in -> contiguous(transpose(in[0], 0, 1))),
                OpSpec.of("clone", g -> new Tensor[] {Samples.normal(g, 3, 4)}, in -> clone(in[0])));
    }
}
