package org.uactn.core.ops;

import org.uactn.core.autograd.Graph;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** Softmax, log-softmax and dropout. */
public final class Activations {
    private Activations() {}

    public static Tensor softmax(Tensor x, int dim) { return softmax("softmax", x, dim, false); }

    public static Tensor logSoftmax(Tensor x, int dim) { return softmax("log_softmax", x, dim, true); }

    private static Tensor softmax(String op, Tensor x, int dim, boolean log) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expected a floating-point tensor, got " + x.dtype() + " of shape " + Shapes.str(x.shape()));
        }
        int d = Shapes.wrapDim(op, dim, x.dim());
        if (x.dim() == 0) return Views.reshape(softmax(op, Views.reshape(x, 1), 0, log), new int[0]);
        Tensor out = Tensor.zeros(x.dtype(), x.device(), x.shape());
        if (out.numel() > 0) x.backend().softmax(x.detach(), d, log, out);
        return Graph.record(op, out, g -> {
            Tensor gx = Tensor.zeros(g.dtype(), g.device(), g.shape());
            g.backend().softmaxBackward(g, out.detach(), d, log, gx);
            return new Tensor[] {gx};
        }, x);
    }

    /**
     * Inverted dropout: in training, zeroes each element with probability p (mask drawn from gen,
     * or the global generator when null) and scales survivors by 1/(1-p); the identity otherwise.
     */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout: probability has to be between 0 and 1, but got " + p);
        }
        if (!training || p == 0) return x;
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("dropout: expected a floating-point tensor, got " + x.dtype() + " of shape " + Shapes.str(x.shape()));
        }
        if (p == 1) return Pointwise.mul(x, 0.0);
        Generator g = gen == null ? Generator.global() : gen;
        int n = x.numel();
        double keep = 1 - p, scale = 1 / keep;
        double[] mask = new double[n];
        for (int i = 0; i < n; i++) mask[i] = g.nextDouble() < keep ? scale : 0.0;
        Tensor m = Tensor.of(mask, x.shape()).to(x.dtype()).to(x.device());
        return Pointwise.mul(x, m);
    }

    static List<OpSpec> specs() {
        return List.of(
                OpSpec.of("softmax", g -> new Tensor[] {Samples.normal(g, 3, 5)}, in -> softmax(in[0], 1)),
                OpSpec.of("softmax_dim0", g -> new Tensor[] {Samples.normal(g, 3, 2, 4)}, in -> softmax(Views.transpose(in[0], 1, 2), 0)),
                OpSpec.of("log_softmax", g -> new Tensor[] {Samples.normal(g, 2, 3, 4)}, in -> logSoftmax(in[0], -2)),
                OpSpec.of("dropout", g -> new Tensor[] {Samples.normal(g, 4, 5)}, in -> dropout(in[0], 0.3, true, new Generator(7))));
    }
}
