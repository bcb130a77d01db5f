// Named ranges for profilers: NVTX (libnvToolsExt.so.1 through FFM) when it loads, so Nsight Systems
// shows layers and training phases; otherwise cuProfilerStart/Stop around the outermost range,
// so `nsys --capture-range=cudaProfilerApi` captures exactly the marked work.
package org.uactn.kernels;

import org.uactn.core.backend.Backends;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

public final class Profiling {
    /** Enabled by -Duactn.profile=true or UACTN_PROFILE=1 (ranges cost a native call each). */
    private static final boolean ENABLED = Boolean.getBoolean("uactn.profile") || "1".equals(System.getenv("UACTN_PROFILE"));
    private static MethodHandle push, pop;
    private static String mode = "off";
    private static int depth;

    static {
        if (ENABLED) {
            StringBuilder why = new StringBuilder();
            Optional<CudaLibraries.Loaded> nvtx = CudaLibraries.load(List.of("libnvToolsExt.so.1", "libnvToolsExt.so"),
                    List.of("nvtxRangePushA", "nvtxRangePop"), why);
            if (nvtx.isPresent()) {
                Linker l = Linker.nativeLinker();
                push = l.downcallHandle(nvtx.get().symbol("nvtxRangePushA"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
                pop = l.downcallHandle(nvtx.get().symbol("nvtxRangePop"), FunctionDescriptor.of(JAVA_INT));
                mode = "nvtx (" + nvtx.get().origin() + ")";
            } else {
                mode = "cuProfilerStart/Stop (no NVTX: " + why + ")";
            }
        }
    }

    private Profiling() {}

    /** How ranges are reported: "off", "nvtx (...)" or "cuProfilerStart/Stop (...)". */
    public static String mode() { return mode; }

    /** An open range; close it (try-with-resources) to end it. */
    public interface Range extends AutoCloseable {
        @Override void close();
    }

    private static final Range NOTHING = () -> {};

    public static Range range(String name) {
        if (!ENABLED) return NOTHING;
        synchronized (Profiling.class) {
            if (push != null) {
                try (Arena a = Arena.ofConfined()) {
                    int ignored = (int) push.invokeExact(a.allocateFrom(name));
                } catch (Throwable t) {
                    throw new IllegalStateException("nvtxRangePushA failed", t);
                }
                return () -> {
                    try {
                        int ignored = (int) pop.invokeExact();
                    } catch (Throwable t) {
                        throw new IllegalStateException("nvtxRangePop failed", t);
                    }
                };
            }
            if (depth++ == 0 && cudaUp()) jcuda.driver.JCudaDriver.cuProfilerStart();
            return () -> {
                synchronized (Profiling.class) {
                    if (--depth == 0 && cudaUp()) jcuda.driver.JCudaDriver.cuProfilerStop();
                }
            };
        }
    }

    /** cuProfiler calls need a working driver; never touch JCuda otherwise. */
    private static boolean cudaUp() {
        var p = Backends.provider("cuda");
        return p != null && p.isAvailable();
    }

}
