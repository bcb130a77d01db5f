// Worked example of an op defined outside the core (docs/extending.md): GELU, tanh approximation,
// declared once with its shape rule, forward, backward and gradient-check spec, and registered through OpProvider.
package org.uactn.core.ops.example;

import org.uactn.core.autograd.Graph;
import org.uactn.core.ops.OpProvider;
import org.uactn.core.ops.OpSpec;
import org.uactn.core.ops.Pointwise;
import org.uactn.core.ops.Samples;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/**
 * gelu(x) = 0.5 x (1 + tanh(c (x + k x^3))), c = sqrt(2 / pi), k = 0.044715: PyTorch's
 * {@code gelu(x, approximate='tanh')}. Forward and backward are composed from existing pointwise
 * ops, so the op runs on every backend without a kernel of its own. Listed in
 * {@code META-INF/services/org.uactn.core.ops.OpProvider} (test resources), which puts it in
 * {@code OpRegistry} and therefore in the gradient checker.
 */
public final class GeluOps implements OpProvider {
    private static final double C = Math.sqrt(2 / Math.PI);
    private static final double K = 0.044715;

    /** ServiceLoader needs a public no-argument constructor; the op itself is the static method. */
    public GeluOps() {}

    public static Tensor gelu(Tensor x) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("gelu: expected a floating-point tensor, got " + x.dtype() + " of shape " + Shapes.str(x.shape()));
        }
        // Computed on the detached input: the intermediate ops must not enter the graph, the single
        // "gelu" node recorded below stands for all of them.
        Tensor xd = x.detach();
        Tensor x2 = Pointwise.mul(xd, xd);
        Tensor t = Pointwise.tanh(Pointwise.mul(xd, Pointwise.mul(Pointwise.add(Pointwise.mul(x2, K), 1.0), C)));
        Tensor halfOnePlusT = Pointwise.mul(Pointwise.add(t, 1.0), 0.5);
        Tensor out = Pointwise.mul(xd, halfOnePlusT);
        // d gelu / dx = 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 k x^2); t and x2 are kept from the forward.
        return Graph.record("gelu", out, g -> {
            Tensor sech2 = Pointwise.add(Pointwise.neg(Pointwise.mul(t, t)), 1.0);
            Tensor dInner = Pointwise.mul(Pointwise.add(Pointwise.mul(x2, 3 * K), 1.0), C);
            Tensor d = Pointwise.add(halfOnePlusT, Pointwise.mul(Pointwise.mul(Pointwise.mul(xd, sech2), dInner), 0.5));
            return new Tensor[] {Pointwise.mul(g, d)};
        }, x);
    }

    @Override
    public List<OpSpec> ops() {
        return List.of(OpSpec.of("gelu", g -> new Tensor[] {Samples.normal(g, 3, 4)}, in -> gelu(in[0])));
    }
}
