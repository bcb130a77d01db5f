// cuBLAS bound through Java's FFM API by symbol name (libcublas.so.13 or .12), the path where JCublas2
// (cuBLAS 12 only) cannot load: create, set stream, math mode, strided-batched GEMM.
package org.uactn.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** One cuBLAS handle on the context current when {@link #load} ran; calls are serialised by the caller. */
final class Cublas implements BlasLibrary {
    static final int DEFAULT_MATH = 0, TF32_TENSOR_OP_MATH = 3;

    static final List<String> SYMBOLS = List.of("cublasCreate_v2", "cublasSetStream_v2", "cublasSetMathMode",
            "cublasGetVersion_v2", "cublasSgemmStridedBatched", "cublasDgemmStridedBatched");

    private final MethodHandle setMathMode, sgemm, dgemm;
    private final MemorySegment handle;
    private final String description;
    private final int major;
    private int mathMode = -1;

    private Cublas(CudaLibraries.Loaded lib) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle create = linker.downcallHandle(lib.symbol("cublasCreate_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle setStream = linker.downcallHandle(lib.symbol("cublasSetStream_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle version = linker.downcallHandle(lib.symbol("cublasGetVersion_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        setMathMode = linker.downcallHandle(lib.symbol("cublasSetMathMode"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        FunctionDescriptor gemm = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
        sgemm = linker.downcallHandle(lib.symbol("cublasSgemmStridedBatched"), gemm);
        dgemm = linker.downcallHandle(lib.symbol("cublasDgemmStridedBatched"), gemm);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ADDRESS);
            check((int) create.invokeExact(h), "cublasCreate_v2");
            handle = h.get(ADDRESS, 0);
            // The legacy default stream: the backend launches everything there, so ordering is implicit.
            check((int) setStream.invokeExact(handle, MemorySegment.NULL), "cublasSetStream_v2");
            MemorySegment v = a.allocate(JAVA_INT);
            check((int) version.invokeExact(handle, v), "cublasGetVersion_v2");
            int ver = v.get(JAVA_INT, 0);
            major = ver / 10000;
            description = "cuBLAS " + ver / 10000 + "." + (ver / 100) % 100 + "." + ver % 100 + " (" + lib.origin() + ", FFM)";
        }
    }

    /** Loads libcublas and creates a handle on the current context; empty with the reason in why when impossible. */
    static Optional<Cublas> load(StringBuilder why) {
        if (CudaBackend.disabled("uactn.cuda.nocublas", "UACTN_NO_CUBLAS")) {
            why.append("disabled by uactn.cuda.nocublas / UACTN_NO_CUBLAS");
            return Optional.empty();
        }
        preloadLt();
        Optional<CudaLibraries.Loaded> lib = CudaLibraries.load(List.of("libcublas.so.13", "libcublas.so.12"), SYMBOLS, why);
        if (lib.isEmpty()) return Optional.empty();
        try {
            return Optional.of(new Cublas(lib.get()));
        } catch (Throwable t) {
            why.append(lib.get().origin()).append(": ").append(t.getMessage());
            return Optional.empty();
        }
    }

    /** libcublas needs libcublasLt from its own folder; load it first so the dependency resolves by soname. */
    private static void preloadLt() {
        for (Path f : CudaLibraries.searchFolders()) {
            for (String n : new String[] {"libcublasLt.so.13", "libcublasLt.so.12"}) {
                Path p = f.resolve(n);
                if (!Files.exists(p)) continue;
                try {
                    java.lang.foreign.SymbolLookup.libraryLookup(p, Arena.global());
                    return;
                } catch (IllegalArgumentException ignored) {
                    // try the next one
                }
            }
        }
    }

    @Override public String path() { return "FFM cuBLAS " + major; }

    @Override public String describe() { return description; }

    @Override
    public void setTf32(boolean on) {
        int mode = on ? TF32_TENSOR_OP_MATH : DEFAULT_MATH;
        if (mode == mathMode) return;
        try {
            check((int) setMathMode.invokeExact(handle, mode), "cublasSetMathMode");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cublasSetMathMode failed", t);
        }
        mathMode = mode;
    }

    /**
     * Column-major C = op(A) op(B) (* alpha, + beta * C) for a batch; pointers are device addresses.
     */
    @Override
    public void gemm(boolean f64, int transA, int transB, int m, int n, int k, double alpha, long a, int lda, long strideA,
              long b, int ldb, long strideB, double beta, long c, int ldc, long strideC, int batch) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al, be;
            if (f64) {
                al = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, alpha);
                be = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, beta);
            } else {
                al = arena.allocateFrom(ValueLayout.JAVA_FLOAT, (float) alpha);
                be = arena.allocateFrom(ValueLayout.JAVA_FLOAT, (float) beta);
            }
            int rc = f64
                    ? (int) dgemm.invokeExact(handle, transA, transB, m, n, k, al, a, lda, strideA, b, ldb, strideB, be, c, ldc, strideC, batch)
                    : (int) sgemm.invokeExact(handle, transA, transB, m, n, k, al, a, lda, strideA, b, ldb, strideB, be, c, ldc, strideC, batch);
            check(rc, f64 ? "cublasDgemmStridedBatched" : "cublasSgemmStridedBatched");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuBLAS call failed", t);
        }
    }

    private static void check(int status, String what) {
        if (status != 0) throw new IllegalStateException(what + " failed with cublasStatus " + status);
    }
}
