package org.uactn.core.backend;

/**
 * Element-wise kernels of one input. Two scalar parameters (p0, p1) are passed alongside;
 * their meaning is given per constant. Results have the input's floating type.
 */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, ABS,
    /** -1, 0 or +1. */
    SIGN,
    RECIPROCAL,
    RELU, SIGMOID, TANH,
    /** x^p0. */
    POW_SCALAR,
    /** min(max(x, p0), p1); pass infinities for a one-sided clamp. */
    CLAMP,
    /** 1 where p0 <= x <= p1, else 0: the gradient mask of CLAMP. */
    IN_RANGE,
    /** x + p0. */
    ADD_SCALAR,
    /** x * p0. */
    MUL_SCALAR,
    /** 1 where x > p0, else 0. */
    GT_SCALAR
}
