package org.uactn.core.backend.cpu;

import org.junit.jupiter.api.Test;
import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.uactn.core.backend.cpu.KernelRef.*;

/** Unary, binary and where kernels against per-element double references, over every layout and dtype. */
class CpuKernelsPointwiseTest {
    private static final int[][] SHAPES = {{7, 33}, {1}, {3, 1, 5}, {65, 600}};

    private static double unaryRef(UnaryOp op, double x, double p0, double p1) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> x > 0 ? 1 : x < 0 ? -1 : 0;
            case RECIPROCAL -> 1 / x;
            case RELU -> x > 0 ? x : 0;
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case POW_SCALAR -> Math.pow(x, p0);
            case CLAMP -> Math.min(Math.max(x, p0), p1);
            case IN_RANGE -> x >= p0 && x <= p1 ? 1 : 0;
            case ADD_SCALAR -> x + p0;
            case MUL_SCALAR -> x * p0;
            case GT_SCALAR -> x > p0 ? 1 : 0;
        };
    }

    @Test
    void unaryMatchesReference() {
        Random r = new Random(1);
        for (UnaryOp op : UnaryOp.values()) {
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW_SCALAR;
            double[][] params = op == UnaryOp.POW_SCALAR ? new double[][] {{2, 0}, {1.5, 0}, {1, 0}, {-0.5, 0}}
                    : op == UnaryOp.CLAMP || op == UnaryOp.IN_RANGE ? new double[][] {{-0.3, 0.5}, {Double.NEGATIVE_INFINITY, 0.1}}
                    : new double[][] {{0.25, 0}};
            for (DType t : FLOATS) {
                for (int[] shape : SHAPES) {
                    for (String kind : LAYOUTS) {
                        for (double[] p : params) {
                            Tensor x = layout(r, t, positive ? 0.1 : -3, 3, kind, shape);
                            Tensor out = zeros(t, shape);
                            B.unary(op, x, out, p[0], p[1]);
                            double[] ref = reference(shape, i -> unaryRef(op, at(x, i), round(t, p[0]), round(t, p[1])));
                            assertClose(op + " " + t + " " + kind + " " + java.util.Arrays.toString(shape), ref, out, 4 * tol(t));
                        }
                    }
                }
            }
        }
    }

    @Test
    void unaryNaNHandlingFollowsPyTorch() {
        Tensor x = Tensor.of(new float[] {Float.NaN, -2f, 0f, 3f}, 4);
        Tensor out = zeros(DType.FLOAT32, 4);
        B.unary(UnaryOp.SIGN, x, out, 0, 0);
        assertClose("sign", new double[] {0, -1, 0, 1}, out, 0);
        B.unary(UnaryOp.RELU, x, out, 0, 0);
        assertClose("relu", new double[] {Double.NaN, 0, 0, 3}, out, 0);
        B.unary(UnaryOp.CLAMP, x, out, -1, 1);
        assertClose("clamp", new double[] {Double.NaN, -1, 0, 1}, out, 0);
    }

    private static double binaryRef(BinaryOp op, DType t, double a, double b) {
        boolean ints = !t.isFloating();
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> ints ? (double) ((long) a / (long) b) : a / b;
            case POW -> Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
        };
    }

    @Test
    void binaryMatchesReferenceForAllDtypesAndLayouts() {
        Random r = new Random(2);
        for (BinaryOp op : BinaryOp.values()) {
            for (DType t : ALL) {
                boolean ints = !t.isFloating();
                for (int[] shape : SHAPES) {
                    for (String ka : LAYOUTS) {
                        String kb = LAYOUTS[(java.util.Arrays.asList(LAYOUTS).indexOf(ka) + 1 + shape.length) % LAYOUTS.length];
                        // Few distinct values so comparisons see ties; positive divisors and bases where needed.
                        double lo = op == BinaryOp.POW ? (ints ? 0 : 0.1) : -4, hi = 4;
                        Tensor a = layout(r, t, lo, hi, ka, shape);
                        Tensor b = op == BinaryOp.POW ? layout(r, t, ints ? 0 : -2, ints ? 4 : 2, kb, shape)
                                : op == BinaryOp.DIV ? layout(r, t, 1, 5, kb, shape) : layout(r, t, lo, hi, kb, shape);
                        if (!ints && op.isComparison()) {
                            // Force exact ties on some elements.
                            Tensor bb = b;
                            b = zeros(t, shape);
                            B.copy(bb, b);
                            B.copy(a.narrow(0, 0, 1), b.narrow(0, 0, 1));
                        }
                        Tensor out = zeros(t, shape);
                        B.binary(op, a, b, out);
                        Tensor fa = a, fb = b;
                        double[] ref = reference(shape, i -> round(t, binaryRef(op, t, at(fa, i), at(fb, i))));
                        assertClose(op + " " + t + " " + ka + "/" + kb + " " + java.util.Arrays.toString(shape), ref, out, 4 * tol(t));
                    }
                }
            }
        }
    }

    @Test
    void binaryInPlaceUpdatesTheFirstOperand() {
        Random r = new Random(3);
        for (DType t : ALL) {
            for (int[] shape : SHAPES) {
                Tensor a = random(r, t, -5, 5, shape);
                double[] before = a.toDoubleArray();
                Tensor b = layout(r, t, 1, 4, "broadcast", shape);
                double[] ref = reference(shape, i -> 0);
                int[] k = {0};
                forEach(shape, i -> { ref[k[0]] = round(t, before[k[0]] * at(b, i)); k[0]++; });
                B.binary(BinaryOp.MUL, a, b, a);
                assertClose("in-place mul " + t, ref, a, tol(t));
            }
        }
    }

    @Test
    void integerDivisionTruncatesAndRejectsZero() {
        Tensor a = Tensor.ofLong(new long[] {7, -7, 7, -7}, 4), b = Tensor.ofLong(new long[] {2, 2, -2, -2}, 4);
        Tensor out = zeros(DType.INT64, 4);
        B.binary(BinaryOp.DIV, a, b, out);
        assertExact("div", new long[] {3, -3, -3, 3}, out);
        Tensor z = Tensor.ofLong(new long[] {1, 0, 1, 1}, 4);
        assertThrows(ArithmeticException.class, () -> B.binary(BinaryOp.DIV, a, z, out));
    }

    @Test
    void whereTakesAnyConditionDtype() {
        Random r = new Random(4);
        for (DType t : ALL) {
            for (DType ct : ALL) {
                for (int[] shape : SHAPES) {
                    Tensor cond = layout(r, ct, -1, 2, "transposed", shape); // values -1, 0, 1 (or fractions for floats)
                    Tensor a = layout(r, t, -9, 9, "broadcast", shape), b = layout(r, t, -9, 9, "offset", shape);
                    Tensor out = zeros(t, shape);
                    B.where(cond, a, b, out);
                    double[] ref = reference(shape, i -> at(cond, i) != 0 ? at(a, i) : at(b, i));
                    assertClose("where " + t + " cond " + ct, ref, out, 0);
                }
            }
        }
    }

    @Test
    void mismatchedShapesAreRejected() {
        Tensor a = zeros(DType.FLOAT32, 2, 3), out = zeros(DType.FLOAT32, 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> B.binary(BinaryOp.ADD, a, a, out));
        assertEquals(true, e.getMessage().contains("[2, 3]"));
    }
}
