// One CUDA device as the backend uses it through JCuda's driver API: its primary context (shared
// with cuBLAS/cuDNN), the kernel modules loaded from the jar's fatbins, launches, and host<->device
// copies through a pinned staging buffer. Everything runs on the legacy default stream.
package org.uactn.kernels;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.uactn.core.tensor.Device;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

final class CudaContext {
    /** Threads per block of every element-wise launch (kernels that reduce in blocks assume it too). */
    static final int BLOCK = 256;
    /** Grid-stride kernels never need more blocks than this. */
    static final int MAX_GRID = 1 << 20;
    private static final long STAGING_BYTES = 16L << 20;

    private final Device device;
    private final CUdevice cuDevice = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
    private final String name;
    private final int ccMajor, ccMinor;
    private final long totalMem;
    private Pointer staging;
    private ByteBuffer stagingBuffer;

    CudaContext(int index, KernelCatalog catalog) {
        this.device = Device.cuda(index);
        check(JCudaDriver.cuDeviceGet(cuDevice, index), "cuDeviceGet(" + index + ")");
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, cuDevice), "cuDevicePrimaryCtxRetain");
        makeCurrent();
        byte[] nm = new byte[256];
        check(JCudaDriver.cuDeviceGetName(nm, nm.length, cuDevice), "cuDeviceGetName");
        int len = 0;
        while (len < nm.length && nm[len] != 0) len++;
        name = new String(nm, 0, len, java.nio.charset.StandardCharsets.US_ASCII);
        int[] v = new int[1];
        check(JCudaDriver.cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, cuDevice), "cuDeviceGetAttribute");
        ccMajor = v[0];
        check(JCudaDriver.cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, cuDevice), "cuDeviceGetAttribute");
        ccMinor = v[0];
        long[] mem = new long[1];
        check(JCudaDriver.cuDeviceTotalMem(mem, cuDevice), "cuDeviceTotalMem");
        totalMem = mem[0];
        loadModules(catalog);
    }

    Device device() { return device; }

    String name() { return name; }

    String computeCapability() { return ccMajor + "." + ccMinor; }

    long totalMemory() { return totalMem; }

    /** Makes the primary context current on the calling thread (once per thread). */
    void makeCurrent() {
        if (current.get()) return;
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        current.set(true);
    }

    private void loadModules(KernelCatalog catalog) {
        for (String family : catalog.families()) {
            CUmodule module = new CUmodule();
            int rc = JCudaDriver.cuModuleLoadData(module, catalog.fatbin(family));
            if (rc != CUresult.CUDA_SUCCESS) {
                // No SASS for this card: JIT the packed PTX (needs a driver that knows its ISA version).
                byte[] ptx = catalog.ptx(family);
                byte[] z = java.util.Arrays.copyOf(ptx, ptx.length + 1);
                int rc2 = JCudaDriver.cuModuleLoadData(module, z);
                if (rc2 != CUresult.CUDA_SUCCESS) {
                    throw new IllegalStateException("cannot load CUDA kernels '" + family + "' on " + name + " (sm_" + ccMajor + ccMinor
                            + "): fatbin gave " + CUresult.stringFor(rc) + ", PTX JIT gave " + CUresult.stringFor(rc2));
                }
            }
            for (String entry : catalog.entries(family)) {
                CUfunction f = new CUfunction();
                check(JCudaDriver.cuModuleGetFunction(f, module, entry), "cuModuleGetFunction(" + entry + ")");
                functions.put(entry, f);
            }
        }
    }

    boolean hasKernel(String name) { return functions.containsKey(name); }

    /**
     * Launches a kernel on the default stream. Arguments: Long = device address or i64, Integer,
     * Float, Double, int[] = a struct passed by value (Geo).
     */
    void launch(String kernel, int gridX, int gridY, int gridZ, int block, Object... args) {
        CUfunction f = functions.get(kernel);
        if (f == null) throw new IllegalStateException("CUDA kernel '" + kernel + "' is missing from the loaded modules");
        Pointer[] ps = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            ps[i] = switch (args[i]) {
                case Long l -> Pointer.to(new long[] {l});
                case Integer n -> Pointer.to(new int[] {n});
                case Float x -> Pointer.to(new float[] {x});
                case Double d -> Pointer.to(new double[] {d});
                case int[] s -> Pointer.to(s);
                default -> throw new IllegalArgumentException("kernel " + kernel + ": unsupported argument " + args[i].getClass());
            };
        }
        makeCurrent();
        check(JCudaDriver.cuLaunchKernel(f, gridX, gridY, gridZ, block, 1, 1, 0, null, Pointer.to(ps), null), "cuLaunchKernel(" + kernel + ")");
        if (DEBUG_SYNC) check(JCudaDriver.cuCtxSynchronize(), "kernel " + kernel);
    }

    /** Set -Duactn.cuda.sync=true to synchronise after every launch, so errors name their kernel. */
    private static final boolean DEBUG_SYNC = Boolean.getBoolean("uactn.cuda.sync");

    /** Launches an element-wise kernel over n items with a grid-stride loop. */
    void launch1d(String kernel, int n, Object... args) {
        if (n <= 0) return;
        int grid = (int) Math.min(MAX_GRID, (n + (long) BLOCK - 1) / BLOCK);
        launch(kernel, grid, 1, 1, BLOCK, args);
    }

    void synchronize() {
        makeCurrent();
        check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    void memsetZero(long address, long bytes) {
        if (bytes == 0) return;
        makeCurrent();
        check(JCudaDriver.cuMemsetD8(ptr(address), (byte) 0, bytes), "cuMemsetD8");
    }

    void copyDeviceToDevice(long dst, long src, long bytes) {
        if (bytes == 0) return;
        makeCurrent();
        check(JCudaDriver.cuMemcpyDtoD(ptr(dst), ptr(src), bytes), "cuMemcpyDtoD");
    }

    /** A throwaway JCuda pointer object for a raw device address. */
    private static jcuda.driver.CUdeviceptr ptr(long address) {
        return new jcuda.driver.CUdeviceptr().withByteOffset(address);
    }

    private ByteBuffer staging() {
        if (staging == null) {
            makeCurrent();
            staging = new Pointer();
            check(JCudaDriver.cuMemAllocHost(staging, STAGING_BYTES), "cuMemAllocHost(" + STAGING_BYTES + ")");
            stagingBuffer = staging.getByteBuffer(0, STAGING_BYTES).order(ByteOrder.nativeOrder());
        }
        return stagingBuffer;
    }

    /** Copies a host array (float[], double[], long[], int[]) to device memory through pinned staging. */
    synchronized void upload(Object array, long dstAddress, int elemBytes, int numel) {
        ByteBuffer buf = staging();
        int chunk = (int) (STAGING_BYTES / elemBytes);
        for (int start = 0; start < numel; start += chunk) {
            int n = Math.min(chunk, numel - start);
            buf.clear();
            switch (array) {
                case float[] f -> buf.asFloatBuffer().put(f, start, n);
                case double[] d -> buf.asDoubleBuffer().put(d, start, n);
                case long[] l -> buf.asLongBuffer().put(l, start, n);
                case int[] i -> buf.asIntBuffer().put(i, start, n);
                default -> throw new IllegalArgumentException("upload: unsupported host array " + array.getClass());
            }
            // Synchronous on the default stream: the staging buffer is reused by the next chunk.
            check(JCudaDriver.cuMemcpyHtoD(ptr(dstAddress + (long) start * elemBytes), staging, (long) n * elemBytes), "cuMemcpyHtoD");
        }
    }

    /** Copies device memory into a host array through pinned staging (waits for all queued work). */
    synchronized void download(long srcAddress, Object array, int elemBytes, int numel) {
        ByteBuffer buf = staging();
        int chunk = (int) (STAGING_BYTES / elemBytes);
        for (int start = 0; start < numel; start += chunk) {
            int n = Math.min(chunk, numel - start);
            check(JCudaDriver.cuMemcpyDtoH(staging, ptr(srcAddress + (long) start * elemBytes), (long) n * elemBytes), "cuMemcpyDtoH");
            buf.clear();
            switch (array) {
                case float[] f -> buf.asFloatBuffer().get(f, start, n);
                case double[] d -> buf.asDoubleBuffer().get(d, start, n);
                case long[] l -> buf.asLongBuffer().get(l, start, n);
                case int[] i -> buf.asIntBuffer().get(i, start, n);
                default -> throw new IllegalArgumentException("download: unsupported host array " + array.getClass());
            }
        }
    }

    static void check(int rc, String what) {
        if (rc != CUresult.CUDA_SUCCESS) throw new IllegalStateException("CUDA error " + CUresult.stringFor(rc) + " in " + what);
    }
}
