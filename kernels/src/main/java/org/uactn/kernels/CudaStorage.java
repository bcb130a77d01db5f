// Device memory of one tensor storage: a block from the caching allocator, returned to it by a
// cleaner when the storage becomes unreachable.
package org.uactn.kernels;

import jcuda.Pointer;
import org.uactn.core.backend.Storage;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;

import java.lang.ref.Cleaner;

final class CudaStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final DType dtype;
    private final int numel;
    private final Device device;
    final CudaAllocator.Block block;

    CudaStorage(CudaAllocator allocator, DType dtype, int numel, Device device) {
        this.dtype = dtype;
        this.numel = numel;
        this.device = device;
        this.block = allocator.allocate((long) numel * dtype.byteSize());
        CudaAllocator.Block b = block;
        CLEANER.register(this, () -> allocator.release(b));
    }

    @Override public DType dtype() { return dtype; }

    @Override public int numel() { return numel; }

    @Override public Device device() { return device; }

    long bytes() { return (long) numel * dtype.byteSize(); }

    /** A JCuda pointer to element {@code offset}. */
    Pointer pointer(long offset) {
        return offset == 0 ? block.ptr : block.ptr.withByteOffset(offset * dtype.byteSize());
    }

    /** The device address of element {@code offset}. */
    long address(long offset) {
        return block.ptr.address() + offset * dtype.byteSize();
    }
}
