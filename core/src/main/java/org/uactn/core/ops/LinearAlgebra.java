package org.uactn.core.ops;

import org.uactn.core.autograd.Graph;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Matrix products: matmul with torch.matmul's rules (1-D promotion, broadcast batch dimensions),
 * mapped onto the backend's batched [B, M, K] x [B, K, N] kernel, and linear.
 */
public final class LinearAlgebra {
    private LinearAlgebra() {}

    public static Tensor matmul(Tensor a, Tensor b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException("matmul: tensors on different devices, " + a.device() + " and " + b.device());
        }
        int ra = a.dim(), rb = b.dim();
        if (ra == 0 || rb == 0) {
            throw new IllegalArgumentException("matmul: both arguments need to be at least 1-D, got shapes " + Shapes.str(a.shape()) + " and " + Shapes.str(b.shape()));
        }
        if (!a.dtype().isFloating() || !b.dtype().isFloating()) {
            throw new IllegalArgumentException("matmul: expected floating-point tensors, got " + a.dtype() + " and " + b.dtype());
        }
        int ka = a.size(-1), kb = rb == 1 ? b.size(0) : b.size(-2);
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(a.shape()) + " and " + Shapes.str(b.shape())
                    + " cannot be multiplied (" + ka + " != " + kb + ")");
        }
        DType type = DType.promote(a.dtype(), b.dtype());
        a = Views.toDType(a, type);
        b = Views.toDType(b, type);
        if (ra == 1 && rb == 1) {
            return Views.reshape(product(Views.reshape(a, 1, ka), Views.reshape(b, kb, 1), a, b), new int[0]);
        }
        if (ra >= 3 && rb <= 2) {
            // A stack of matrices times one matrix is a single tall GEMM: fold the batch into the rows.
            int[] as = a.shape();
            Tensor b2 = rb == 1 ? Views.unsqueeze(b, 1) : b;
            Tensor out = product(Views.reshape(a, -1, ka), b2, a, b);
            int[] shape = Arrays.copyOf(as, rb == 1 ? ra - 1 : ra);
            if (rb == 2) shape[ra - 1] = b.size(1);
            return Views.reshape(out, shape);
        }
        Tensor a1 = ra == 1 ? Views.unsqueeze(a, 0) : a;
        Tensor b1 = rb == 1 ? Views.unsqueeze(b, 1) : b;
        Tensor out = product(a1, b1, a, b);
        if (ra == 1) out = Views.squeeze(out, -2);
        if (rb == 1) out = Views.squeeze(out, -1);
        return out;
    }

    /**
     * The recorded product of two tensors of rank >= 2 with broadcast batch dims. origA and origB
     * are the user's tensors, for error messages.
     */
    private static Tensor product(Tensor a, Tensor b, Tensor origA, Tensor origB) {
        int[] as = a.shape(), bs = b.shape();
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        if (bs[bs.length - 2] != k) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(origA.shape()) + " and " + Shapes.str(origB.shape()) + " cannot be multiplied");
        }
        int[] batchA = Arrays.copyOf(as, as.length - 2), batchB = Arrays.copyOf(bs, bs.length - 2);
        int[] batch;
        try {
            batch = Shapes.broadcast("matmul", batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: batch dimensions of " + Shapes.str(origA.shape()) + " and " + Shapes.str(origB.shape())
                    + " cannot be broadcast together");
        }
        int batchCount = Shapes.numel(batch);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor flat = Tensor.zeros(a.dtype(), a.device(), batchCount, m, n);
        if (flat.numel() > 0 && k > 0) {
            a.backend().matmul(batched(a.detach(), batch, m, k), batched(b.detach(), batch, k, n), flat);
        }
        Tensor out = new Tensor(flat.storage(), outShape, Shapes.contiguousStrides(outShape), 0);
        return Graph.record("matmul", out, g -> new Tensor[] {
                a.requiresGrad() ? Views.sumToShape(product(g, Views.transpose(b.detach(), -1, -2), origA, origB), as) : null,
                b.requiresGrad() ? Views.sumToShape(product(Views.transpose(a.detach(), -1, -2), g, origA, origB), bs) : null}, a, b);
    }

    /**
     * t ([..., rows, cols]) broadcast to batch and seen as [B, rows, cols]. A view when the batch
     * strides merge into one (always so for broadcast or contiguous batches), else a copy.
     */
    private static Tensor batched(Tensor t, int[] batch, int rows, int cols) {
        int[] full = Arrays.copyOf(batch, batch.length + 2);
        full[batch.length] = rows;
        full[batch.length + 1] = cols;
        Tensor e = Views.expand(t, full);
        int[] st = e.strides();
        int batchStride = 0;
        boolean mergeable = true;
        int prev = -1;
        for (int i = batch.length - 1; i >= 0; i--) {
            if (batch[i] == 1) continue;
            if (prev < 0) {
                batchStride = st[i];
            } else if (st[i] != st[prev] * batch[prev]) {
                mergeable = false;
                break;
            }
            prev = i;
        }
        int count = Shapes.numel(batch);
        int[] shape = {count, rows, cols};
        if (mergeable) {
            return new Tensor(e.storage(), shape, new int[] {batchStride, st[batch.length], st[batch.length + 1]}, e.offset());
        }
        Tensor c = Tensor.zeros(t.dtype(), t.device(), full);
        t.backend().copy(e, c);
        return new Tensor(c.storage(), shape, Shapes.contiguousStrides(shape), 0);
    }

    /** x W^T + b with x of shape [*, in] (or [in]), w of shape [out, in] and b of shape [out] (or null). */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (w.dim() != 2) throw new IllegalArgumentException("linear: weight must be 2-D [out, in], got shape " + Shapes.str(w.shape()));
        if (x.dim() == 0 || x.size(-1) != w.size(1)) {
            throw new IllegalArgumentException("linear: input of shape " + Shapes.str(x.shape()) + " does not match weight of shape "
                    + Shapes.str(w.shape()) + " (expected last dimension " + w.size(1) + ")");
        }
        if (b != null && (b.dim() != 1 || b.size(0) != w.size(0))) {
            throw new IllegalArgumentException("linear: bias of shape " + Shapes.str(b.shape()) + " does not match weight of shape "
                    + Shapes.str(w.shape()) + " (expected [" + w.size(0) + "])");
        }
        // Recorded as one op: composed from matmul and a transposed view, the weight gradient would come back as
        // the transpose of an [in, out] product, a strided view the engine then copies element by element.
        Tensor y = matmul(x.detach(), Views.transpose(w.detach(), 0, 1));
        y = Graph.record("linear", y, g -> new Tensor[] {
                x.requiresGrad() ? matmul(g, w.detach()) : null,
                w.requiresGrad() ? linearWeightGrad(g, x.detach(), w.size(0), w.size(1)) : null}, x, w);
        return b == null ? y : Pointwise.add(y, b);
    }

    /** dL/dW = g^T x over all leading dimensions, [out, in] and contiguous. */
    private static Tensor linearWeightGrad(Tensor g, Tensor x, int out, int in) {
        Tensor g2 = Views.reshape(g, -1, out), x2 = Views.reshape(x, -1, in);
        return matmul(Views.transpose(g2, 0, 1), x2);
    }

    static List<OpSpec> specs() {
        return List.of(
                OpSpec.of("matmul", g -> new Tensor[] {Samples.normal(g, 3, 4), Samples.normal(g, 4, 2)}, in -> matmul(in[0], in[1])),
                OpSpec.of("matmul_dot", g -> new Tensor[] {Samples.normal(g, 5), Samples.normal(g, 5)}, in -> matmul(in[0], in[1])),
                OpSpec.of("matmul_vec", g -> new Tensor[] {Samples.normal(g, 4), Samples.normal(g, 2, 4, 3)}, in -> matmul(in[0], in[1])),
                OpSpec.of("matmul_mat_vec", g -> new Tensor[] {Samples.normal(g, 3, 4), Samples.normal(g, 4)}, in -> matmul(in[0], in[1])),
                OpSpec.of("matmul_batched", g -> new Tensor[] {Samples.normal(g, 2, 1, 3, 4), Samples.normal(g, 3, 4, 2)},
                        in -> matmul(in[0], in[1])),
                OpSpec.of("matmul_folded", g -> new Tensor[] {Samples.normal(g, 2, 3, 4), Samples.normal(g, 4, 2)}, in -> matmul(in[0], in[1])),
                OpSpec.of("matmul_transposed", g -> new Tensor[] {Samples.normal(g, 2, 4, 3), Samples.normal(g, 2, 2, 4)},
                        in -> matmul(Views.transpose(in[0], 1, 2), Views.transpose(in[1], 1, 2))),
                OpSpec.of("linear", g -> new Tensor[] {Samples.normal(g, 2, 3, 4), Samples.normal(g, 5, 4), Samples.normal(g, 5)},
                        in -> linear(in[0], in[1], in[2])),
                OpSpec.of("linear_nobias", g -> new Tensor[] {Samples.normal(g, 3, 4), Samples.normal(g, 2, 4)},
                        in -> linear(in[0], in[1], null)));
    }
}
