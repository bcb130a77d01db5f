package org.uactn.core.tensor;

/** Element types a tensor can hold. Floating types carry gradients; integer types hold indices and labels. */
public enum DType {
    FLOAT32("float32", 4, true),
    FLOAT64("float64", 8, true),
    INT64("int64", 8, false),
    INT32("int32", 4, false);

    private final String torchName;
    private final int byteSize;
    private final boolean floating;

    DType(String torchName, int byteSize, boolean floating) {
        this.torchName = torchName;
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** The name PyTorch and NumPy use ("float32", "int64", ...). */
    public String torchName() { return torchName; }

    public int byteSize() { return byteSize; }

    public boolean isFloating() { return floating; }

    /** The type of a binary op's result, following PyTorch's promotion for these four types. */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a == FLOAT64 || b == FLOAT64) return FLOAT64;
        if (a == FLOAT32 || b == FLOAT32) return FLOAT32;
        return INT64;
    }

    @Override public String toString() { return torchName; }
}
