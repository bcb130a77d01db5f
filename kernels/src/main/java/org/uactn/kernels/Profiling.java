// The CUDA side of the core's Profiler ranges: NVTX (libnvToolsExt.so.1 through FFM) when it loads,
// so Nsight Systems shows layers and training phases; otherwise cuProfilerStart/Stop around the
// outermost range, so `nsys --capture-range=cudaProfilerApi` captures exactly the marked work.
package org.uactn.kernels;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.uactn.core.backend.Backends;
import org.uactn.core.backend.BackendProvider;
import org.uactn.core.backend.Profiler;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Turned on through the core: {@code -Duactn.profile=nvtx} or {@code UACTN_PROFILE=nvtx} makes
 * {@link Profiler} ask {@link CudaBackendProvider} for a hook, which comes from {@link #hook}.
 * Layers (Module.call), optimiser steps and the phases code marks with {@link Profiler#range}
 * are then reported.
 */
public final class Profiling {
    private Profiling() {}

    /** How ranges are reported: "off", "off (why)", "nvtx (...)" or "cuProfilerStart/Stop (...)". */
    public static String mode() { return Profiler.describe(); }

    /** Same as {@link Profiler#range}. */
    public static Profiler.Range range(String name) { return Profiler.range(name); }

    /** NVTX when libnvToolsExt loads (no GPU needed: CPU-side ranges still show), else cuProfiler range control on a working device, else null. */
    static Profiler.Hook hook(StringBuilder why) {
        StringBuilder noNvtx = new StringBuilder();
        Optional<CudaLibraries.Loaded> nvtx = CudaLibraries.load(List.of("libnvToolsExt.so.1", "libnvToolsExt.so"),
                List.of("nvtxRangePushA", "nvtxRangePop"), noNvtx);
        if (nvtx.isPresent()) return new Nvtx(nvtx.get());
        BackendProvider cuda = Backends.provider("cuda");
        if (cuda != null && cuda.isAvailable()) return new CuProfiler("no NVTX: " + noNvtx);
        why.append("no NVTX library (").append(noNvtx).append(") and no usable CUDA device for cuProfilerStart/Stop (")
                .append(cuda == null ? "no cuda provider" : cuda.unavailableReason()).append(')');
        return null;
    }

    /** nvtxRangePushA / nvtxRangePop; NVTX keeps one range stack per thread, as Profiler requires. */
    private static final class Nvtx implements Profiler.Hook {
        /** Range names are mostly layer labels, a bounded set: keep their C strings instead of allocating per call. */
        private static final int MAX_CACHED = 4096;
        private final Map<String, MemorySegment> names = new ConcurrentHashMap<>();
        private final Arena arena = Arena.ofAuto();
        private final MethodHandle push, pop;
        private final String origin;

        Nvtx(CudaLibraries.Loaded lib) {
            Linker l = Linker.nativeLinker();
            push = l.downcallHandle(lib.symbol("nvtxRangePushA"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            pop = l.downcallHandle(lib.symbol("nvtxRangePop"), FunctionDescriptor.of(JAVA_INT));
            origin = lib.origin();
        }

        @Override
        public void push(String name) {
            try {
                MemorySegment s = names.get(name);
                if (s == null && names.size() < MAX_CACHED) s = names.computeIfAbsent(name, arena::allocateFrom);
                if (s != null) {
                    int ignored = (int) push.invokeExact(s);
                } else {
                    try (Arena a = Arena.ofConfined()) {
                        int ignored = (int) push.invokeExact(a.allocateFrom(name));
                    }
                }
            } catch (Throwable t) {
                throw new IllegalStateException("nvtxRangePushA(\"" + name + "\") failed", t);
            }
        }

        @Override
        public void pop() {
            try {
                int ignored = (int) pop.invokeExact();
            } catch (Throwable t) {
                throw new IllegalStateException("nvtxRangePop failed", t);
            }
        }

        @Override
        public String describe() { return "nvtx (" + origin + ")"; }
    }

    /** Profiler collection on while any range is open (process-wide: the driver's switch is global). */
    private static final class CuProfiler implements Profiler.Hook {
        private final String note;
        private int depth;
        private boolean warned;

        CuProfiler(String note) { this.note = note; }

        @Override
        public synchronized void push(String name) {
            if (depth++ == 0) call(true);
        }

        @Override
        public synchronized void pop() {
            if (depth == 0) return;
            if (--depth == 0) call(false);
        }

        private void call(boolean start) {
            // The calls need a current context on this thread; the primary context of device 0 is the one we use.
            CudaBackendProvider.cudaBackend(0).makeCurrent();
            int rc = start ? JCudaDriver.cuProfilerStart() : JCudaDriver.cuProfilerStop();
            if (rc != CUresult.CUDA_SUCCESS && !warned) {
                warned = true;
                System.err.println("uactn: " + (start ? "cuProfilerStart" : "cuProfilerStop") + " failed with " + CUresult.stringFor(rc));
            }
        }

        @Override
        public String describe() { return "cuProfilerStart/Stop around the outermost range (" + note + ")"; }
    }
}
