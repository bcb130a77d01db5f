package org.uactn.core.backend;

/** Element-wise kernels of two inputs of the same (broadcast) shape. Comparisons write 1 or 0. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM,
    EQ, NE, GT, GE, LT, LE;

    public boolean isComparison() { return ordinal() >= EQ.ordinal(); }
}
