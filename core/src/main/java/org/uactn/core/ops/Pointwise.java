package org.uactn.core.ops;

import org.uactn.core.autograd.Graph;
import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** Element-wise ops with broadcasting: arithmetic, math functions, activations, comparisons, where. */
public final class Pointwise {
    private Pointwise() {}

    // ---- binary -----------------------------------------------------------------------------

    public static Tensor add(Tensor a, Tensor b) {
        Tensor out = binary("add", BinaryOp.ADD, a, b);
        return Graph.record("add", out, g -> new Tensor[] {Views.sumToShape(g, a.shape()), Views.sumToShape(g, b.shape())}, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        Tensor out = binary("sub", BinaryOp.SUB, a, b);
        return Graph.record("sub", out, g -> new Tensor[] {Views.sumToShape(g, a.shape()), Views.sumToShape(neg(g), b.shape())}, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Tensor out = binary("mul", BinaryOp.MUL, a, b);
        return Graph.record("mul", out, g -> new Tensor[] {
                a.requiresGrad() ? Views.sumToShape(mul(g, b), a.shape()) : null,
                b.requiresGrad() ? Views.sumToShape(mul(g, a), b.shape()) : null}, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        Tensor out = binary("div", BinaryOp.DIV, a, b);
        return Graph.record("div", out, g -> new Tensor[] {
                a.requiresGrad() ? Views.sumToShape(div(g, b), a.shape()) : null,
                b.requiresGrad() ? Views.sumToShape(neg(div(mul(g, out), b)), b.shape()) : null}, a, b);
    }

    /** a^b element-wise; the gradient for b uses log(a), so a must be positive where b needs a gradient. */
    public static Tensor pow(Tensor a, Tensor b) {
        Tensor out = binary("pow", BinaryOp.POW, a, b);
        return Graph.record("pow", out, g -> new Tensor[] {
                a.requiresGrad() ? Views.sumToShape(mul(g, mul(b, pow(a, sub(b, Tensor.scalar(1, b.dtype(), b.device()))))), a.shape()) : null,
                b.requiresGrad() ? Views.sumToShape(mul(g, mul(out, log(a))), b.shape()) : null}, a, b);
    }

    /** Element-wise maximum; on ties the gradient is split evenly, as in PyTorch. */
    public static Tensor maximum(Tensor a, Tensor b) {
        Tensor out = binary("maximum", BinaryOp.MAXIMUM, a, b);
        return Graph.record("maximum", out, g -> {
            Tensor share = add(compare(BinaryOp.GT, a, b), mul(compare(BinaryOp.EQ, a, b), 0.5));
            return new Tensor[] {Views.sumToShape(mul(g, share), a.shape()), Views.sumToShape(mul(g, add(neg(share), 1.0)), b.shape())};
        }, a, b);
    }

    public static Tensor minimum(Tensor a, Tensor b) {
        Tensor out = binary("minimum", BinaryOp.MINIMUM, a, b);
        return Graph.record("minimum", out, g -> {
            Tensor share = add(compare(BinaryOp.LT, a, b), mul(compare(BinaryOp.EQ, a, b), 0.5));
            return new Tensor[] {Views.sumToShape(mul(g, share), a.shape()), Views.sumToShape(mul(g, add(neg(share), 1.0)), b.shape())};
        }, a, b);
    }

    /** A comparison (EQ, NE, GT, GE, LT, LE) giving 1 or 0 in the promoted dtype; not differentiable. */
    public static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        if (!op.isComparison()) throw new IllegalArgumentException("compare: " + op + " is not a comparison");
        return binary(op.name().toLowerCase(java.util.Locale.ROOT), op, a, b);
    }

    private static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(name + ": tensors on different devices, " + a.device() + " and " + b.device());
        }
        int[] shape = Shapes.broadcast(name, a.shape(), b.shape());
        DType type = DType.promote(a.dtype(), b.dtype());
        Tensor ea = Views.expand(a.dtype() == type ? a.detach() : a.detach().to(type), shape);
        Tensor eb = Views.expand(b.dtype() == type ? b.detach() : b.detach().to(type), shape);
        Tensor out = Tensor.zeros(type, a.device(), shape);
        a.backend().binary(op, ea, eb, out);
        return out;
    }

    /** cond != 0 ? a : b, broadcasting all three; the gradient flows to the chosen side. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape(), a.shape()), b.shape());
        DType type = DType.promote(a.dtype(), b.dtype());
        Tensor out = Tensor.zeros(type, a.device(), shape);
        a.backend().where(Views.expand(cond.detach(), shape), Views.expand(a.detach().to(type), shape),
                Views.expand(b.detach().to(type), shape), out);
        return Graph.record("where", out, g -> {
            Tensor zero = Tensor.zerosLike(g);
            return new Tensor[] {null, Views.sumToShape(where(cond, g, zero), a.shape()), Views.sumToShape(where(cond, zero, g), b.shape())};
        }, cond, a, b);
    }

    // ---- with a scalar ------------------------------------------------------------------------

    public static Tensor add(Tensor x, double v) {
        Tensor out = unary("add", UnaryOp.ADD_SCALAR, x, v, 0);
        return Graph.record("add", out, g -> new Tensor[] {g}, x);
    }

    public static Tensor mul(Tensor x, double v) {
        Tensor out = unary("mul", UnaryOp.MUL_SCALAR, x, v, 0);
        return Graph.record("mul", out, g -> new Tensor[] {mul(g, v)}, x);
    }

    public static Tensor pow(Tensor x, double e) {
        Tensor out = unary("pow", UnaryOp.POW_SCALAR, x, e, 0);
        return Graph.record("pow", out, g -> new Tensor[] {mul(g, mul(pow(x, e - 1), e))}, x);
    }

    // ---- unary ------------------------------------------------------------------------------

    public static Tensor neg(Tensor x) {
        Tensor out = unary("neg", UnaryOp.NEG, x, 0, 0);
        return Graph.record("neg", out, g -> new Tensor[] {neg(g)}, x);
    }

    public static Tensor exp(Tensor x) {
        Tensor out = unary("exp", UnaryOp.EXP, x, 0, 0);
        return Graph.record("exp", out, g -> new Tensor[] {mul(g, out)}, x);
    }

    public static Tensor log(Tensor x) {
        Tensor out = unary("log", UnaryOp.LOG, x, 0, 0);
        return Graph.record("log", out, g -> new Tensor[] {div(g, x)}, x);
    }

    public static Tensor sqrt(Tensor x) {
        Tensor out = unary("sqrt", UnaryOp.SQRT, x, 0, 0);
        return Graph.record("sqrt", out, g -> new Tensor[] {div(g, mul(out, 2.0))}, x);
    }

    public static Tensor abs(Tensor x) {
        Tensor out = unary("abs", UnaryOp.ABS, x, 0, 0);
        return Graph.record("abs", out, g -> new Tensor[] {mul(g, sign(x))}, x);
    }

    /** -1, 0 or +1; not differentiable (zero gradient almost everywhere). */
    public static Tensor sign(Tensor x) {
        return unary("sign", UnaryOp.SIGN, x, 0, 0);
    }

    /** Clamps into [min, max]; pass Double.NEGATIVE_INFINITY / POSITIVE_INFINITY for one side. */
    public static Tensor clamp(Tensor x, double min, double max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        Tensor out = unary("clamp", UnaryOp.CLAMP, x, min, max);
        return Graph.record("clamp", out, g -> new Tensor[] {mul(g, unary("clamp_backward", UnaryOp.IN_RANGE, x, min, max))}, x);
    }

    public static Tensor relu(Tensor x) {
        Tensor out = unary("relu", UnaryOp.RELU, x, 0, 0);
        // One pass (g where out != 0, else 0) instead of a 0/1 mask and a product: no mask tensor, and like
        // PyTorch's threshold_backward an infinite g is zeroed (not NaN) and a NaN output passes g through.
        return Graph.record("relu", out, g -> new Tensor[] {where(out, g, Tensor.zeros(g.dtype(), g.device()))}, x);
    }

    public static Tensor sigmoid(Tensor x) {
        Tensor out = unary("sigmoid", UnaryOp.SIGMOID, x, 0, 0);
        return Graph.record("sigmoid", out, g -> new Tensor[] {mul(g, mul(out, add(neg(out), 1.0)))}, x);
    }

    public static Tensor tanh(Tensor x) {
        Tensor out = unary("tanh", UnaryOp.TANH, x, 0, 0);
        return Graph.record("tanh", out, g -> new Tensor[] {mul(g, add(neg(mul(out, out)), 1.0))}, x);
    }

    private static Tensor unary(String name, UnaryOp op, Tensor x, double p0, double p1) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(name + ": expected a floating-point tensor, got " + x.dtype() + " of shape " + Shapes.str(x.shape()));
        }
        Tensor out = Tensor.zeros(x.dtype(), x.device(), x.shape());
        x.backend().unary(op, x.detach(), out, p0, p1);
        return out;
    }

    // ---- registry ---------------------------------------------------------------------------

    static List<OpSpec> specs() {
        return List.of(
                OpSpec.of("add", g -> new Tensor[] {Samples.normal(g, 3, 4), Samples.normal(g, 4)}, in -> add(in[0], in[1])),
                OpSpec.of("sub", g -> new Tensor[] {Samples.normal(g, 2, 1, 3), Samples.normal(g, 4, 1)}, in -> sub(in[0], in[1])),
                OpSpec.of("mul", g -> new Tensor[] {Samples.normal(g, 3, 4), Samples.normal(g, 3, 1)}, in -> mul(in[0], in[1])),
                OpSpec.of("div", g -> new Tensor[] {Samples.normal(g, 3, 4), Samples.uniform(g, 0.5, 2, 4)}, in -> div(in[0], in[1])),
                OpSpec.of("pow", g -> new Tensor[] {Samples.uniform(g, 0.5, 2, 3, 4), Samples.uniform(g, -1.5, 1.5, 3, 4)}, in -> pow(in[0], in[1])),
                OpSpec.of("pow_scalar", g -> new Tensor[] {Samples.uniform(g, 0.5, 2, 5)}, in -> pow(in[0], 2.5)),
                OpSpec.of("maximum", g -> new Tensor[] {Samples.distinct(g, 3, 4), Samples.distinct(g, 3, 4)}, in -> maximum(in[0], in[1])),
                OpSpec.of("minimum", g -> new Tensor[] {Samples.distinct(g, 3, 4), Samples.distinct(g, 3, 4)}, in -> minimum(in[0], in[1])),
                OpSpec.of("neg", g -> new Tensor[] {Samples.normal(g, 5)}, in -> neg(in[0])),
                OpSpec.of("exp", g -> new Tensor[] {Samples.normal(g, 2, 3)}, in -> exp(in[0])),
                OpSpec.of("log", g -> new Tensor[] {Samples.uniform(g, 0.2, 3, 2, 3)}, in -> log(in[0])),
                OpSpec.of("sqrt", g -> new Tensor[] {Samples.uniform(g, 0.2, 3, 2, 3)}, in -> sqrt(in[0])),
                OpSpec.of("abs", g -> new Tensor[] {Samples.awayFrom(g, 0.05, new double[] {0}, 2, 3)}, in -> abs(in[0])),
                OpSpec.of("clamp", g -> new Tensor[] {Samples.awayFrom(g, 0.05, new double[] {-0.5, 0.7}, 3, 4)}, in -> clamp(in[0], -0.5, 0.7)),
                OpSpec.of("relu", g -> new Tensor[] {Samples.awayFrom(g, 0.05, new double[] {0}, 3, 4)}, in -> relu(in[0])),
                OpSpec.of("sigmoid", g -> new Tensor[] {Samples.normal(g, 3, 4)}, in -> sigmoid(in[0])),
                OpSpec.of("tanh", g -> new Tensor[] {Samples.normal(g, 3, 4)}, in -> tanh(in[0])),
                OpSpec.of("where", g -> new Tensor[] {Samples.indices(g, 2, 3, 4), Samples.normal(g, 3, 4), Samples.normal(g, 4)},
                        in -> where(in[0], in[1], in[2])),
                OpSpec.noGrad("eq", g -> new Tensor[] {Samples.indices(g, 3, 4, 5), Samples.indices(g, 3, 5)}, in -> compare(BinaryOp.EQ, in[0], in[1])),
                OpSpec.noGrad("gt", g -> new Tensor[] {Samples.normal(g, 4, 5), Samples.normal(g, 5)}, in -> compare(BinaryOp.GT, in[0], in[1])),
                OpSpec.noGrad("sign", g -> new Tensor[] {Samples.normal(g, 4, 5)}, in -> sign(in[0])));
    }
}
