package org.uactn.core.backend.cpu;

import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * CPU kernels: element-wise unary, binary and where. Operands are walked with {@link Strided};
 * a strided input run is first gathered into a scratch block, so each op has exactly one plain
 * loop per dtype over unit-stride arrays (which the JIT vectorises), chosen outside the loop.
 */
final class PointwiseKernels {
    private PointwiseKernels() {}

    // ---- unary --------------------------------------------------------------------------------

    static void unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1) {
        DType t = out.dtype();
        if (x.dtype() != t || !t.isFloating()) {
            throw new IllegalArgumentException("unary " + op + ": expected matching floating dtypes, got input " + x.dtype() + " and output " + t);
        }
        checkShape("unary " + op, x, out);
        Tensor w = Strided.writable(out);
        Strided s = Strided.of(x.shape(), w, x);
        int xs = s.innerStride(1);
        long cost = unaryCost(op);
        if (t == DType.FLOAT32) {
            float[] xa = Strided.f32(x), oa = Strided.f32(w);
            float f0 = (float) p0, f1 = (float) p1;
            s.forEachBlock(cost, () -> {
                float[] scratch = new float[Strided.BLOCK];
                return (off, len) -> {
                    float[] src = xa;
                    int xo = off[1];
                    if (xs != 1) {
                        Strided.gather(xa, xo, xs, scratch, len);
                        src = scratch;
                        xo = 0;
                    }
                    unaryF(op, src, xo, oa, off[0], len, f0, f1);
                };
            });
        } else {
            double[] xa = Strided.f64(x), oa = Strided.f64(w);
            s.forEachBlock(cost, () -> {
                double[] scratch = new double[Strided.BLOCK];
                return (off, len) -> {
                    double[] src = xa;
                    int xo = off[1];
                    if (xs != 1) {
                        Strided.gather(xa, xo, xs, scratch, len);
                        src = scratch;
                        xo = 0;
                    }
                    unaryD(op, src, xo, oa, off[0], len, p0, p1);
                };
            });
        }
        Strided.finish(w, out);
    }

    private static long unaryCost(UnaryOp op) {
        return switch (op) {
            case POW_SCALAR -> 20;
            case EXP, LOG, SIGMOID, TANH -> 4;
            case SQRT, RECIPROCAL -> 4;
            default -> 1;
        };
    }

    private static void unaryF(UnaryOp op, float[] x, int xo, float[] o, int oo, int n, float p0, float p1) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) o[oo + i] = -x[xo + i]; }
            case EXP -> VecMath.exp(x, xo, o, oo, n);
            case LOG -> VecMath.log(x, xo, o, oo, n);
            case SQRT -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.sqrt(x[xo + i]); }
            case ABS -> { for (int i = 0; i < n; i++) o[oo + i] = Math.abs(x[xo + i]); }
            case SIGN -> {
                // PyTorch's sign maps NaN to 0, unlike Math.signum.
                for (int i = 0; i < n; i++) {
                    float v = x[xo + i];
                    o[oo + i] = v > 0 ? 1f : (v < 0 ? -1f : 0f);
                }
            }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) o[oo + i] = 1f / x[xo + i]; }
            case RELU -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], 0f); }
            case SIGMOID -> VecMath.sigmoid(x, xo, o, oo, n);
            case TANH -> VecMath.tanh(x, xo, o, oo, n);
            case POW_SCALAR -> {
                if (p0 == 2f) {
                    for (int i = 0; i < n; i++) { float v = x[xo + i]; o[oo + i] = v * v; }
                } else if (p0 == 1f) {
                    System.arraycopy(x, xo, o, oo, n);
                } else {
                    double e = p0;
                    for (int i = 0; i < n; i++) o[oo + i] = (float) Math.pow(x[xo + i], e);
                }
            }
            case CLAMP -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(Math.max(x[xo + i], p0), p1); }
            case IN_RANGE -> { for (int i = 0; i < n; i++) { float v = x[xo + i]; o[oo + i] = v >= p0 && v <= p1 ? 1f : 0f; } }
            case ADD_SCALAR -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + p0; }
            case MUL_SCALAR -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * p0; }
            case GT_SCALAR -> gtScalarF(x, xo, p0, o, oo, n);
        }
    }

    private static void unaryD(UnaryOp op, double[] x, int xo, double[] o, int oo, int n, double p0, double p1) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) o[oo + i] = -x[xo + i]; }
            case EXP -> VecMath.exp(x, xo, o, oo, n);
            case LOG -> VecMath.log(x, xo, o, oo, n);
            case SQRT -> { for (int i = 0; i < n; i++) o[oo + i] = Math.sqrt(x[xo + i]); }
            case ABS -> { for (int i = 0; i < n; i++) o[oo + i] = Math.abs(x[xo + i]); }
            case SIGN -> {
                for (int i = 0; i < n; i++) {
                    double v = x[xo + i];
                    o[oo + i] = v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0);
                }
            }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) o[oo + i] = 1.0 / x[xo + i]; }
            case RELU -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], 0.0); }
            case SIGMOID -> VecMath.sigmoid(x, xo, o, oo, n);
            case TANH -> VecMath.tanh(x, xo, o, oo, n);
            case POW_SCALAR -> {
                if (p0 == 2.0) {
                    for (int i = 0; i < n; i++) { double v = x[xo + i]; o[oo + i] = v * v; }
                } else if (p0 == 1.0) {
                    System.arraycopy(x, xo, o, oo, n);
                } else {
                    for (int i = 0; i < n; i++) o[oo + i] = Math.pow(x[xo + i], p0);
                }
            }
            case CLAMP -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(Math.max(x[xo + i], p0), p1); }
            case IN_RANGE -> { for (int i = 0; i < n; i++) { double v = x[xo + i]; o[oo + i] = v >= p0 && v <= p1 ? 1.0 : 0.0; } }
            case ADD_SCALAR -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + p0; }
            case MUL_SCALAR -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * p0; }
            case GT_SCALAR -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] > p0 ? 1.0 : 0.0; }
        }
    }

    // ---- binary -------------------------------------------------------------------------------

    /** out may be the very tensor a (an in-place update): each element is read before it is written. */
    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        DType t = out.dtype();
        if (a.dtype() != t || b.dtype() != t) {
            throw new IllegalArgumentException("binary " + op + ": operand dtypes " + a.dtype() + " and " + b.dtype() + " differ from output " + t);
        }
        checkShape("binary " + op, a, out);
        checkShape("binary " + op, b, out);
        Tensor w = Strided.writable(out);
        Strided s = Strided.of(out.shape(), w, a, b);
        int as = s.innerStride(1), bs = s.innerStride(2);
        long cost = op == BinaryOp.POW ? 20 : op == BinaryOp.DIV ? 4 : 1;
        switch (t) {
            case FLOAT32 -> {
                float[] aa = Strided.f32(a), ba = Strided.f32(b), oa = Strided.f32(w);
                s.forEachBlock(cost, () -> {
                    float[] sa = new float[Strided.BLOCK], sb = new float[Strided.BLOCK];
                    return (off, len) -> {
                        float[] x = aa, y = ba;
                        int xo = off[1], yo = off[2];
                        if (as != 1) { Strided.gather(aa, xo, as, sa, len); x = sa; xo = 0; }
                        if (bs != 1) { Strided.gather(ba, yo, bs, sb, len); y = sb; yo = 0; }
                        binaryF(op, x, xo, y, yo, oa, off[0], len);
                    };
                });
            }
            case FLOAT64 -> {
                double[] aa = Strided.f64(a), ba = Strided.f64(b), oa = Strided.f64(w);
                s.forEachBlock(cost, () -> {
                    double[] sa = new double[Strided.BLOCK], sb = new double[Strided.BLOCK];
                    return (off, len) -> {
                        double[] x = aa, y = ba;
                        int xo = off[1], yo = off[2];
                        if (as != 1) { Strided.gather(aa, xo, as, sa, len); x = sa; xo = 0; }
                        if (bs != 1) { Strided.gather(ba, yo, bs, sb, len); y = sb; yo = 0; }
                        binaryD(op, x, xo, y, yo, oa, off[0], len);
                    };
                });
            }
            case INT64 -> {
                long[] aa = Strided.i64(a), ba = Strided.i64(b), oa = Strided.i64(w);
                s.forEachBlock(cost, () -> {
                    long[] sa = new long[Strided.BLOCK], sb = new long[Strided.BLOCK];
                    return (off, len) -> {
                        long[] x = aa, y = ba;
                        int xo = off[1], yo = off[2];
                        if (as != 1) { Strided.gather(aa, xo, as, sa, len); x = sa; xo = 0; }
                        if (bs != 1) { Strided.gather(ba, yo, bs, sb, len); y = sb; yo = 0; }
                        binaryL(op, x, xo, y, yo, oa, off[0], len);
                    };
                });
            }
            case INT32 -> {
                int[] aa = Strided.i32(a), ba = Strided.i32(b), oa = Strided.i32(w);
                s.forEachBlock(cost, () -> {
                    int[] sa = new int[Strided.BLOCK], sb = new int[Strided.BLOCK];
                    return (off, len) -> {
                        int[] x = aa, y = ba;
                        int xo = off[1], yo = off[2];
                        if (as != 1) { Strided.gather(aa, xo, as, sa, len); x = sa; xo = 0; }
                        if (bs != 1) { Strided.gather(ba, yo, bs, sb, len); y = sb; yo = 0; }
                        binaryI(op, x, xo, y, yo, oa, off[0], len);
                    };
                });
            }
        }
        Strided.finish(w, out);
    }

    private static void binaryF(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i]; }
            case POW -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.pow(a[ao + i], b[bo + i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]); }
            case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] == b[bo + i] ? 1f : 0f; }
            case NE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] != b[bo + i] ? 1f : 0f; }
            case GT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] > b[bo + i] ? 1f : 0f; }
            case GE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] >= b[bo + i] ? 1f : 0f; }
            case LT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] < b[bo + i] ? 1f : 0f; }
            case LE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] <= b[bo + i] ? 1f : 0f; }
        }
    }

    private static void binaryD(BinaryOp op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i]; }
            case POW -> { for (int i = 0; i < n; i++) o[oo + i] = Math.pow(a[ao + i], b[bo + i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]); }
            case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] == b[bo + i] ? 1.0 : 0.0; }
            case NE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] != b[bo + i] ? 1.0 : 0.0; }
            case GT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] > b[bo + i] ? 1.0 : 0.0; }
            case GE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] >= b[bo + i] ? 1.0 : 0.0; }
            case LT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] < b[bo + i] ? 1.0 : 0.0; }
            case LE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] <= b[bo + i] ? 1.0 : 0.0; }
        }
    }

    private static void binaryL(BinaryOp op, long[] a, int ao, long[] b, int bo, long[] o, int oo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; }
            case DIV -> { checkNoZero(b, bo, n); for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i]; }
            case POW -> { for (int i = 0; i < n; i++) o[oo + i] = ipow(a[ao + i], b[bo + i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]); }
            case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] == b[bo + i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] != b[bo + i] ? 1 : 0; }
            case GT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] > b[bo + i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] >= b[bo + i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] < b[bo + i] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] <= b[bo + i] ? 1 : 0; }
        }
    }

    private static void binaryI(BinaryOp op, int[] a, int ao, int[] b, int bo, int[] o, int oo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; }
            case DIV -> { checkNoZero(b, bo, n); for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i]; }
            case POW -> { for (int i = 0; i < n; i++) o[oo + i] = (int) ipow(a[ao + i], b[bo + i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]); }
            case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] == b[bo + i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] != b[bo + i] ? 1 : 0; }
            case GT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] > b[bo + i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] >= b[bo + i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] < b[bo + i] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] <= b[bo + i] ? 1 : 0; }
        }
    }

    private static void checkNoZero(long[] b, int bo, int n) {
        for (int i = 0; i < n; i++) {
            if (b[bo + i] == 0) throw new ArithmeticException("div: integer division by zero");
        }
    }

    private static void checkNoZero(int[] b, int bo, int n) {
        for (int i = 0; i < n; i++) {
            if (b[bo + i] == 0) throw new ArithmeticException("div: integer division by zero");
        }
    }

    /** Integer power by squaring; a negative exponent gives 0 except for bases 1 and -1 (as in PyTorch). */
    private static long ipow(long base, long exp) {
        if (exp < 0) {
            if (base == 1) return 1;
            if (base == -1) return (exp & 1) == 0 ? 1 : -1;
            return 0;
        }
        long r = 1;
        while (exp > 0) {
            if ((exp & 1) != 0) r *= base;
            base *= base;
            exp >>= 1;
        }
        return r;
    }

    // ---- where --------------------------------------------------------------------------------

    static void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        DType t = out.dtype();
        if (a.dtype() != t || b.dtype() != t) {
            throw new IllegalArgumentException("where: operand dtypes " + a.dtype() + " and " + b.dtype() + " differ from output " + t);
        }
        checkShape("where", cond, out);
        checkShape("where", a, out);
        checkShape("where", b, out);
        Tensor w = Strided.writable(out);
        Strided s = Strided.of(out.shape(), w, cond, a, b);
        int cs = s.innerStride(1), as = s.innerStride(2), bs = s.innerStride(3);
        Object ca = Strided.array(cond);
        Object aa = Strided.array(a), ba = Strided.array(b), oa = Strided.array(w);
        // float32 with unit-stride condition and a, b unit-stride or broadcast (ReLU's backward): vector blend.
        boolean fastWhere = t == DType.FLOAT32 && ca instanceof float[] && cs == 1 && as == 1 && (bs == 0 || bs == 1);
        s.forEachBlock(2, () -> {
            boolean[] c = new boolean[Strided.BLOCK];
            return (off, len) -> {
                if (fastWhere) {
                    whereF((float[]) ca, off[1], (float[]) aa, off[2], (float[]) ba, off[3], bs, (float[]) oa, off[0], len);
                    return;
                }
                condBlock(ca, off[1], cs, c, len);
                int oo = off[0], ao = off[2], bo = off[3];
                switch (t) {
                    case FLOAT32 -> {
                        float[] x = (float[]) aa, y = (float[]) ba, o = (float[]) oa;
                        for (int i = 0; i < len; i++) o[oo + i] = c[i] ? x[ao + i * as] : y[bo + i * bs];
                    }
                    case FLOAT64 -> {
                        double[] x = (double[]) aa, y = (double[]) ba, o = (double[]) oa;
                        for (int i = 0; i < len; i++) o[oo + i] = c[i] ? x[ao + i * as] : y[bo + i * bs];
                    }
                    case INT64 -> {
                        long[] x = (long[]) aa, y = (long[]) ba, o = (long[]) oa;
                        for (int i = 0; i < len; i++) o[oo + i] = c[i] ? x[ao + i * as] : y[bo + i * bs];
                    }
                    case INT32 -> {
                        int[] x = (int[]) aa, y = (int[]) ba, o = (int[]) oa;
                        for (int i = 0; i < len; i++) o[oo + i] = c[i] ? x[ao + i * as] : y[bo + i * bs];
                    }
                }
            };
        });
        Strided.finish(w, out);
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** o = c != 0 ? a : b over a run (b[bo] repeated when bs == 0); NaN conditions count as true, as in condBlock. */
    private static void whereF(float[] c, int co, float[] a, int ao, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        if (bs == 0) {
            FloatVector bv = FloatVector.broadcast(F, b[bo]);
            for (int up = F.loopBound(n); i < up; i += F.length()) {
                VectorMask<Float> m = FloatVector.fromArray(F, c, co + i).compare(VectorOperators.NE, 0f);
                bv.blend(FloatVector.fromArray(F, a, ao + i), m).intoArray(o, oo + i);
            }
            for (; i < n; i++) o[oo + i] = c[co + i] != 0f ? a[ao + i] : b[bo];
        } else {
            for (int up = F.loopBound(n); i < up; i += F.length()) {
                VectorMask<Float> m = FloatVector.fromArray(F, c, co + i).compare(VectorOperators.NE, 0f);
                FloatVector.fromArray(F, b, bo + i).blend(FloatVector.fromArray(F, a, ao + i), m).intoArray(o, oo + i);
            }
            for (; i < n; i++) o[oo + i] = c[co + i] != 0f ? a[ao + i] : b[bo + i];
        }
    }

    /** o = x > p ? 1 : 0 (the JIT does not vectorise the conditional). */
    private static void gtScalarF(float[] x, int xo, float p, float[] o, int oo, int n) {
        int i = 0;
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        for (int up = F.loopBound(n); i < up; i += F.length()) {
            VectorMask<Float> m = FloatVector.fromArray(F, x, xo + i).compare(VectorOperators.GT, p);
            zero.blend(one, m).intoArray(o, oo + i);
        }
        for (; i < n; i++) o[oo + i] = x[xo + i] > p ? 1f : 0f;
    }

    /** Reads a run of conditions of any dtype as booleans (nonzero is true; NaN counts as nonzero). */
    private static void condBlock(Object ca, int co, int cs, boolean[] c, int len) {
        switch (ca) {
            case float[] f -> { for (int i = 0; i < len; i++) c[i] = f[co + i * cs] != 0f; }
            case double[] d -> { for (int i = 0; i < len; i++) c[i] = d[co + i * cs] != 0.0; }
            case long[] l -> { for (int i = 0; i < len; i++) c[i] = l[co + i * cs] != 0L; }
            case int[] n -> { for (int i = 0; i < len; i++) c[i] = n[co + i * cs] != 0; }
            default -> throw new IllegalStateException("where: unexpected condition storage " + ca.getClass());
        }
    }

    static void checkShape(String op, Tensor in, Tensor out) {
        if (!Arrays.equals(in.shape(), out.shape())) {
            throw new IllegalArgumentException(op + ": input shape " + Shapes.str(in.shape()) + " differs from output shape " + Shapes.str(out.shape()));
        }
    }
}
