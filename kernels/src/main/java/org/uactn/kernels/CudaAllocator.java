// The caching device allocator: freed blocks go to size-binned free lists and are reused; on
// out-of-memory the cache is released and the allocation retried once before a clear error.
package org.uactn.kernels;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Blocks are rounded up to a bin size (512 B steps below 1 MiB, 2 MiB steps above) and cached per
 * bin. Release may come from the garbage collector's cleaner thread: it only moves the block to
 * its free list (no CUDA call), which is safe because every kernel runs on one stream, so a reuse
 * is ordered after the last use. Real frees synchronise the context first.
 */
final class CudaAllocator {
    static final long SMALL_STEP = 512, LARGE_STEP = 2L << 20, SMALL_LIMIT = 1L << 20;

    /** One device allocation of {@code size} bytes. */
    static final class Block {
        final DevicePointer ptr;
        final long size;

        Block(DevicePointer ptr, long size) {
            this.ptr = ptr;
            this.size = size;
        }
    }

    private final CudaContext ctx;
    private final Map<Long, ArrayDeque<Block>> free = new HashMap<>();
    private long inUse, cached, peak, deviceAllocs, cacheHits, cacheFlushes;

    CudaAllocator(CudaContext ctx) {
        this.ctx = ctx;
    }

    static long binSize(long bytes) {
        long b = Math.max(bytes, 1);
        long step = b < SMALL_LIMIT ? SMALL_STEP : LARGE_STEP;
        return (b + step - 1) / step * step;
    }

    synchronized Block allocate(long bytes) {
        long size = binSize(bytes);
        ArrayDeque<Block> list = free.get(size);
        Block b = list == null ? null : list.pollLast();
        if (b != null) {
            cached -= size;
            cacheHits++;
        } else {
            b = deviceAlloc(size, bytes);
        }
        inUse += size;
        peak = Math.max(peak, inUse);
        return b;
    }

    private Block deviceAlloc(long size, long requested) {
        ctx.makeCurrent();
        DevicePointer p = new DevicePointer();
        int rc = JCudaDriver.cuMemAlloc(p, size);
        if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            releaseCache();
            p = new DevicePointer();
            rc = JCudaDriver.cuMemAlloc(p, size);
            if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
                long[] freeB = new long[1], total = new long[1];
                JCudaDriver.cuMemGetInfo(freeB, total);
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "CUDA out of memory on %s: requested %d bytes (%.1f MiB), %d bytes (%.1f MiB) free of %d total; "
                                + "%d bytes in use by uactn tensors (the allocator's cache was freed and the allocation retried)",
                        ctx.device(), requested, requested / 1048576.0, freeB[0], freeB[0] / 1048576.0, total[0], inUse));
            }
        }
        CudaContext.check(rc, "cuMemAlloc(" + size + ")");
        deviceAllocs++;
        return new Block(p, size);
    }

    /** Returns a block to its bin; called by tensor cleaners and by kernels' scratch buffers. */
    synchronized void release(Block b) {
        inUse -= b.size;
        cached += b.size;
        free.computeIfAbsent(b.size, k -> new ArrayDeque<>()).addLast(b);
    }

    /** Frees every cached block back to the driver. */
    synchronized void releaseCache() {
        if (cached == 0) return;
        ctx.makeCurrent();
        CudaContext.check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
        for (ArrayDeque<Block> list : free.values()) {
            for (Block b : list) CudaContext.check(JCudaDriver.cuMemFree(b.ptr), "cuMemFree");
        }
        free.clear();
        cached = 0;
        cacheFlushes++;
    }

    /** Allocator statistics, one line. */
    synchronized String stats() {
        return String.format(Locale.ROOT, "in use %.1f MiB, cached %.1f MiB, peak %.1f MiB, %d device allocations, %d cache hits, %d cache flushes",
                inUse / 1048576.0, cached / 1048576.0, peak / 1048576.0, deviceAllocs, cacheHits, cacheFlushes);
    }

    synchronized long bytesInUse() { return inUse; }

    synchronized long bytesCached() { return cached; }
}
