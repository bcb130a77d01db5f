package org.uactn.core.ops;

import org.uactn.core.autograd.Graph;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Concatenation and stacking along a dimension. */
public final class Joining {
    private Joining() {}

    /**
     * Joins tensors along an existing dimension. All must have the same rank and agree on every
     * other dimension; dtypes are promoted. As in PyTorch, 1-D empty tensors are skipped.
     */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors == null || tensors.isEmpty()) throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : tensors) {
            if (t == null) throw new IllegalArgumentException("cat: the list of tensors contains null");
            if (!(t.dim() == 1 && t.numel() == 0)) parts.add(t);
        }
        if (parts.isEmpty()) parts.add(tensors.get(0));
        Tensor first = parts.get(0);
        int rank = first.dim();
        if (rank == 0) throw new IllegalArgumentException("cat: zero-dimensional tensor (at position 0) cannot be concatenated");
        int d = Shapes.wrapDim("cat", dim, rank);
        Device device = first.device();
        DType type = first.dtype();
        int[] outShape = first.shape();
        int total = 0;
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            int[] s = t.shape();
            if (s.length != rank) {
                throw new IllegalArgumentException("cat: tensors must have the same rank, got " + Shapes.str(first.shape()) + " and " + Shapes.str(s));
            }
            for (int k = 0; k < rank; k++) {
                if (k != d && s[k] != outShape[k]) {
                    throw new IllegalArgumentException("cat: sizes must match except in dimension " + d + ", got " + Shapes.str(first.shape())
                            + " and " + Shapes.str(s) + " (mismatch in dimension " + k + ")");
                }
            }
            if (!t.device().equals(device)) {
                throw new IllegalArgumentException("cat: tensors on different devices, " + device + " and " + t.device());
            }
            type = DType.promote(type, t.dtype());
            total += s[d];
        }
        outShape[d] = total;
        Tensor out = Tensor.zeros(type, device, outShape);
        int[] starts = new int[parts.size()];
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            starts[i] = at;
            int len = t.shape()[d];
            if (len > 0) out.backend().copy(t.detach(), Views.narrow(out, d, at, len));
            at += len;
        }
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        return Graph.record("cat", out, g -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                Tensor in = inputs[i];
                if (!in.requiresGrad()) continue;
                grads[i] = Views.toDType(Views.narrow(g, d, starts[i], in.shape()[d]), in.dtype());
            }
            return grads;
        }, inputs);
    }

    /** Joins tensors of one shape along a new dimension. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors == null || tensors.isEmpty()) throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        int[] shape = tensors.get(0).shape();
        int d = Shapes.wrapDim("stack", dim, shape.length + 1);
        List<Tensor> parts = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t == null) throw new IllegalArgumentException("stack: the list of tensors contains null");
            if (!java.util.Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException("stack: expects each tensor to be equal size, but got " + Shapes.str(shape)
                        + " at entry 0 and " + Shapes.str(t.shape()) + " at entry " + i);
            }
            parts.add(Views.unsqueeze(t, d));
        }
        return cat(parts, d);
    }

    static List<OpSpec> specs() {
        return List.of(
                OpSpec.of("cat", g -> new Tensor[] {Samples.normal(g, 2, 3), Samples.normal(g, 1, 3), Samples.normal(g, 3, 3)},
                        in -> cat(List.of(in[0], in[1], in[2]), 0)),
                OpSpec.of("cat_dim1", g -> new Tensor[] {Samples.normal(g, 2, 2, 3), Samples.normal(g, 2, 4, 3)},
                        in -> cat(List.of(Views.transpose(in[0], 1, 2), Views.transpose(in[1], 1, 2)), -1)),
                OpSpec.of("stack", g -> new Tensor[] {Samples.normal(g, 2, 3), Samples.normal(g, 2, 3)},
                        in -> stack(List.of(in[0], in[1]), 1)));
    }
}
