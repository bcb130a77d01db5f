// Registers the CUDA backend with the core (ServiceLoader). Probes once, never throws: kernels in the
// jar, libcuda.so.1 with every driver symbol we call, JCuda's native binding, cuInit, device count.
package org.uactn.kernels;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.uactn.core.backend.Backend;
import org.uactn.core.backend.BackendProvider;
import org.uactn.core.backend.Profiler;

import java.util.List;
import java.util.Optional;

public final class CudaBackendProvider implements BackendProvider, Profiler.Source {
    /**
     * Every driver entry point JCuda will call for us (the _v2 names are what cuda.h maps to). JCuda
     * binds lazily, so a symbol missing from an old driver would kill the JVM at its first call.
     */
    static final List<String> DRIVER_SYMBOLS = List.of("cuInit", "cuDriverGetVersion", "cuDeviceGetCount", "cuDeviceGet",
            "cuDeviceGetName", "cuDeviceTotalMem_v2", "cuDeviceGetAttribute", "cuDevicePrimaryCtxRetain", "cuCtxSetCurrent",
            "cuCtxSynchronize", "cuModuleLoadData", "cuModuleGetFunction", "cuLaunchKernel", "cuMemAlloc_v2", "cuMemFree_v2",
            "cuMemAllocHost_v2", "cuMemGetInfo_v2", "cuMemcpyHtoD_v2", "cuMemcpyDtoH_v2", "cuMemcpyDtoD_v2", "cuMemsetD8_v2",
            "cuProfilerStart", "cuProfilerStop");

    /** The outcome of the one probe per JVM. */
    private record Probe(String reason, int devices, String driver, KernelCatalog catalog) {}

    private static volatile Probe probe;
    private static final CudaBackend[] BACKENDS = new CudaBackend[64];

    private static Probe probe() {
        Probe p = probe;
        if (p != null) return p;
        synchronized (CudaBackendProvider.class) {
            if (probe == null) probe = runProbe();
            return probe;
        }
    }

    private static Probe runProbe() {
        KernelCatalog catalog;
        try {
            catalog = KernelCatalog.load();
        } catch (RuntimeException e) {
            return new Probe("cannot read the CUDA kernels packed in the jar: " + e.getMessage(), 0, "", null);
        }
        if (Boolean.getBoolean("uactn.cuda.disable") || "1".equals(System.getenv("UACTN_NO_CUDA"))) {
            return new Probe("disabled by -Duactn.cuda.disable / UACTN_NO_CUDA=1", 0, "", catalog);
        }
        if (!catalog.hasKernels()) return new Probe(catalog.reason(), 0, "", catalog);
        StringBuilder why = new StringBuilder();
        Optional<CudaLibraries.Loaded> libcuda = CudaLibraries.load(List.of("libcuda.so.1"), DRIVER_SYMBOLS, why);
        if (libcuda.isEmpty()) {
            return new Probe("the NVIDIA driver library libcuda.so.1 could not be loaded (is an NVIDIA driver installed?): " + why, 0, "", catalog);
        }
        // From here on JCuda's native library is touched: any failure is recorded once and JCuda is never touched again.
        try {
            JCudaDriver.setExceptionsEnabled(false);
            int rc = JCudaDriver.cuInit(0);
            if (rc != CUresult.CUDA_SUCCESS) {
                return new Probe("cuInit failed with " + CUresult.stringFor(rc) + " (driver at " + libcuda.get().origin() + ")", 0, "", catalog);
            }
            int[] v = new int[1];
            JCudaDriver.cuDriverGetVersion(v);
            String driver = "CUDA driver API " + v[0] / 1000 + "." + (v[0] % 1000) / 10;
            int[] count = new int[1];
            rc = JCudaDriver.cuDeviceGetCount(count);
            if (rc != CUresult.CUDA_SUCCESS) return new Probe("cuDeviceGetCount failed with " + CUresult.stringFor(rc), 0, driver, catalog);
            if (count[0] == 0) return new Probe("no CUDA device found (" + driver + ")", 0, driver, catalog);
            return new Probe("", count[0], driver, catalog);
        } catch (Throwable t) {
            StringBuilder msg = new StringBuilder("JCuda's driver binding failed: ").append(t);
            for (Throwable c = t.getCause(); c != null; c = c.getCause()) msg.append("; caused by ").append(c);
            return new Probe(msg.toString(), 0, "", catalog);
        }
    }

    @Override public String deviceType() { return "cuda"; }

    @Override public boolean isAvailable() { return probe().devices > 0; }

    @Override public String unavailableReason() { return probe().reason; }

    @Override public int deviceCount() { return probe().devices; }

    @Override
    public Backend backend(int index) {
        return cudaBackend(index);
    }

    /** The CUDA backend of a device, created (context, kernel modules, cuBLAS, cuDNN) on first use. */
    public static CudaBackend cudaBackend(int index) {
        Probe p = probe();
        if (p.devices == 0) throw new IllegalStateException("cuda is unavailable: " + p.reason);
        if (index < 0 || index >= p.devices) throw new IllegalArgumentException("cuda:" + index + " does not exist: " + p.devices + " device(s) present");
        synchronized (BACKENDS) {
            if (BACKENDS[index] == null) BACKENDS[index] = new CudaBackend(new CudaContext(index, p.catalog));
            return BACKENDS[index];
        }
    }

    /** The kernels packed into this jar. */
    public static KernelCatalog catalog() {
        Probe p = probe();
        return p.catalog != null ? p.catalog : KernelCatalog.load();
    }

    @Override
    public String describe() {
        Probe p = probe();
        if (p.devices == 0) return "cuda: not available: " + p.reason;
        StringBuilder sb = new StringBuilder(p.driver).append("; kernels: ").append(p.catalog.describe());
        for (int i = 0; i < p.devices; i++) {
            try {
                sb.append("; cuda:").append(i).append(' ').append(cudaBackend(i).describe());
            } catch (RuntimeException e) {
                sb.append("; cuda:").append(i).append(" failed to start: ").append(e.getMessage());
            }
        }
        return sb.toString();
    }

    /** Profiler ranges: NVTX, or cuProfilerStart/Stop range control (see {@link Profiling}). */
    @Override
    public Profiler.Hook profilerHook(String mode, StringBuilder why) {
        if (!"nvtx".equals(mode)) {
            why.append("unsupported profiling mode '").append(mode).append("'");
            return null;
        }
        return Profiling.hook(why);
    }
}
