// Binds OpenBLAS's cblas_sgemm and openblas_set_num_threads through the FFM API, for benchmarks
// that compare the engine's SGEMM with OpenBLAS in the same process.
package org.uactn.cli.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** OpenBLAS, loaded from -Duactn.openblas=PATH or Debian's usual locations; {@link #available()} says whether it was found. */
public final class OpenBlas {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111;
    private static final List<String> CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "/usr/lib64/libopenblas.so.0",
            "/usr/lib/libopenblas.so.0");

    private static final String PATH;
    private static final MethodHandle SGEMM;
    private static final MethodHandle SET_THREADS;

    static {
        String found = null;
        MethodHandle sgemm = null, setThreads = null;
        String p = System.getProperty("uactn.openblas");
        for (String c : p != null ? List.of(p) : CANDIDATES) {
            if (!Files.isReadable(Path.of(c))) continue;
            try {
                SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(c), Arena.global());
                Linker l = Linker.nativeLinker();
                ValueLayout i = ValueLayout.JAVA_INT, f = ValueLayout.JAVA_FLOAT, a = ValueLayout.ADDRESS;
                sgemm = l.downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                        FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, a, i, a, i, f, a, i));
                setThreads = l.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(), FunctionDescriptor.ofVoid(i));
                found = c;
                break;
            } catch (RuntimeException e) {
                System.err.println("OpenBLAS: cannot use " + c + ": " + e);
            }
        }
        PATH = found;
        SGEMM = sgemm;
        SET_THREADS = setThreads;
    }

    private OpenBlas() {}

    public static boolean available() { return PATH != null; }

    /** Where the library was loaded from, or null. */
    public static String path() { return PATH; }

    /** Throws with a clear message when OpenBLAS is absent (used to skip the reference benchmark). */
    public static void require() {
        if (!available())
            throw new IllegalStateException("OpenBLAS not found (tried " + CANDIDATES + "; set -Duactn.openblas=PATH); skipping the OpenBLAS reference");
    }

    public static void setThreads(int n) {
        require();
        try {
            SET_THREADS.invokeExact(n);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
    }

    /** C (m x n) = A (m x k) * B (k x n), all row-major in native memory. */
    public static void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        try {
            SGEMM.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1f, a, k, b, n, 0f, c, n);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }
}
