package org.uactn.core.backend.cpu;

import org.uactn.core.backend.Storage;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;

/** Host memory: one Java primitive array (float[], double[], long[] or int[]) matching the dtype. */
public final class CpuStorage implements Storage {
    private final DType dtype;
    private final Object array;
    private final int numel;

    CpuStorage(DType dtype, Object array) {
        this.dtype = dtype;
        this.array = array;
        this.numel = switch (array) {
            case float[] f when dtype == DType.FLOAT32 -> f.length;
            case double[] d when dtype == DType.FLOAT64 -> d.length;
            case long[] l when dtype == DType.INT64 -> l.length;
            case int[] i when dtype == DType.INT32 -> i.length;
            default -> throw new IllegalArgumentException("host array " + array.getClass().getSimpleName() + " does not hold " + dtype);
        };
    }

    static CpuStorage allocate(DType dtype, int numel) {
        return new CpuStorage(dtype, switch (dtype) {
            case FLOAT32 -> new float[numel];
            case FLOAT64 -> new double[numel];
            case INT64 -> new long[numel];
            case INT32 -> new int[numel];
        });
    }

    @Override public DType dtype() { return dtype; }

    @Override public int numel() { return numel; }

    @Override public Device device() { return Device.CPU; }

    /** The backing array itself (not a copy). */
    public Object array() { return array; }

    public float[] f32() { return (float[]) array; }

    public double[] f64() { return (double[]) array; }

    public long[] i64() { return (long[]) array; }

    public int[] i32() { return (int[]) array; }
}
