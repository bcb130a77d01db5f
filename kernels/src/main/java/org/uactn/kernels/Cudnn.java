// cuDNN 9 (libcudnn.so.9) bound through Java's FFM API by symbol name: 2-D convolution forward,
// backward-data and backward-filter with heuristically chosen algorithms and cached workspaces.
package org.uactn.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** One cuDNN handle on the default stream; the caller serialises calls (synchronized on this). */
final class Cudnn implements DnnLibrary {
    private static final int NCHW = 0, DATA_FLOAT = 0, DATA_DOUBLE = 1, CROSS_CORRELATION = 1;
    private static final int DEFAULT_MATH = 0, FMA_MATH = 3;
    /** Algorithms asking for more workspace than this are skipped. */
    private static final long MAX_WORKSPACE = 1L << 30;
    /** cudnnConvolution{Fwd,BwdData,BwdFilter}AlgoPerf_t: algo, status, time, (pad), memory, determinism, mathType, reserved[3]. */
    private static final long PERF_SIZE = 48, PERF_MEMORY = 16;
    private static final int PERF_COUNT = 16;

    static final List<String> SYMBOLS = List.of("cudnnGetVersion", "cudnnCreate", "cudnnSetStream",
            "cudnnCreateTensorDescriptor", "cudnnSetTensor4dDescriptor", "cudnnCreateFilterDescriptor", "cudnnSetFilter4dDescriptor",
            "cudnnCreateConvolutionDescriptor", "cudnnSetConvolution2dDescriptor", "cudnnSetConvolutionGroupCount",
            "cudnnSetConvolutionMathType", "cudnnGetConvolutionForwardAlgorithm_v7", "cudnnGetConvolutionBackwardDataAlgorithm_v7",
            "cudnnGetConvolutionBackwardFilterAlgorithm_v7", "cudnnConvolutionForward", "cudnnConvolutionBackwardData",
            "cudnnConvolutionBackwardFilter", "cudnnGetErrorString");

    private final CudaAllocator allocator;
    private final MethodHandle setTensor, setFilter, setConv, setGroups, setMath, fwdAlgo, bwdDataAlgo, bwdFilterAlgo;
    private final MethodHandle fwd, bwdData, bwdFilter, errorString;
    private final MemorySegment handle, xDesc, yDesc, wDesc, convDesc;
    private final String description;
    private final long major;
    private final Map<String, Integer> algos = new HashMap<>();
    private boolean tf32;

    private Cudnn(CudaLibraries.Loaded lib, CudaAllocator allocator) throws Throwable {
        this.allocator = allocator;
        Linker l = Linker.nativeLinker();
        MethodHandle version = l.downcallHandle(lib.symbol("cudnnGetVersion"), FunctionDescriptor.of(JAVA_LONG));
        MethodHandle create = l.downcallHandle(lib.symbol("cudnnCreate"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle setStream = l.downcallHandle(lib.symbol("cudnnSetStream"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle createT = l.downcallHandle(lib.symbol("cudnnCreateTensorDescriptor"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle createF = l.downcallHandle(lib.symbol("cudnnCreateFilterDescriptor"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle createC = l.downcallHandle(lib.symbol("cudnnCreateConvolutionDescriptor"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        setTensor = l.downcallHandle(lib.symbol("cudnnSetTensor4dDescriptor"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        setFilter = l.downcallHandle(lib.symbol("cudnnSetFilter4dDescriptor"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        setConv = l.downcallHandle(lib.symbol("cudnnSetConvolution2dDescriptor"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        setGroups = l.downcallHandle(lib.symbol("cudnnSetConvolutionGroupCount"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        setMath = l.downcallHandle(lib.symbol("cudnnSetConvolutionMathType"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        FunctionDescriptor algo = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        fwdAlgo = l.downcallHandle(lib.symbol("cudnnGetConvolutionForwardAlgorithm_v7"), algo);
        bwdDataAlgo = l.downcallHandle(lib.symbol("cudnnGetConvolutionBackwardDataAlgorithm_v7"), algo);
        bwdFilterAlgo = l.downcallHandle(lib.symbol("cudnnGetConvolutionBackwardFilterAlgorithm_v7"), algo);
        // (handle, alpha, desc, ptr, desc, ptr, convDesc, algo, workspace, wsBytes, beta, desc, ptr)
        FunctionDescriptor run = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG,
                ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
        fwd = l.downcallHandle(lib.symbol("cudnnConvolutionForward"), run);
        bwdData = l.downcallHandle(lib.symbol("cudnnConvolutionBackwardData"), run);
        bwdFilter = l.downcallHandle(lib.symbol("cudnnConvolutionBackwardFilter"), run);
        errorString = l.downcallHandle(lib.symbol("cudnnGetErrorString"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        Arena g = Arena.global();
        MemorySegment h = g.allocate(ADDRESS);
        check((int) create.invokeExact(h), "cudnnCreate");
        handle = h.get(ADDRESS, 0);
        check((int) setStream.invokeExact(handle, MemorySegment.NULL), "cudnnSetStream");
        xDesc = descriptor(createT, "cudnnCreateTensorDescriptor");
        yDesc = descriptor(createT, "cudnnCreateTensorDescriptor");
        wDesc = descriptor(createF, "cudnnCreateFilterDescriptor");
        convDesc = descriptor(createC, "cudnnCreateConvolutionDescriptor");
        long v = (long) version.invokeExact();
        major = v / 10000;
        description = "cuDNN " + v / 10000 + "." + (v / 100) % 100 + "." + v % 100 + " (" + lib.origin() + ", FFM)";
    }

    private MemorySegment descriptor(MethodHandle create, String what) throws Throwable {
        MemorySegment p = Arena.global().allocate(ADDRESS);
        check((int) create.invokeExact(p), what);
        return p.get(ADDRESS, 0);
    }

    static Optional<Cudnn> load(StringBuilder why, CudaAllocator allocator) {
        if (CudaBackend.disabled("uactn.cuda.nocudnn", "UACTN_NO_CUDNN")) {
            why.append("disabled by uactn.cuda.nocudnn / UACTN_NO_CUDNN");
            return Optional.empty();
        }
        Optional<CudaLibraries.Loaded> lib = CudaLibraries.load(List.of("libcudnn.so.9"), SYMBOLS, why);
        if (lib.isEmpty()) return Optional.empty();
        preloadSublibraries(lib.get());
        try {
            return Optional.of(new Cudnn(lib.get(), allocator));
        } catch (Throwable t) {
            why.append(lib.get().origin()).append(": ").append(t.getMessage());
            return Optional.empty();
        }
    }

    /**
     * cuDNN 9's libcudnn.so.9 dlopens its sub-libraries by name; pip wheels do not put their folder
     * on the linker path, so load them from libcudnn's own folder first (glibc then finds them by soname).
     */
    private static void preloadSublibraries(CudaLibraries.Loaded lib) {
        CudaLibraries.folderOf(lib).ifPresent(dir -> CudaLibraries.preload(dir, "libcudnn_graph.so.9",
                "libcudnn_engines_runtime_compiled.so.9", "libcudnn_engines_precompiled.so.9", "libcudnn_heuristic.so.9",
                "libcudnn_ops.so.9", "libcudnn_cnn.so.9", "libcudnn_adv.so.9"));
    }

    @Override public String path() { return "FFM cuDNN " + major; }

    @Override public String describe() { return description; }

    @Override public void setTf32(boolean on) { tf32 = on; }

    private void describe(CudaBackend.ConvShape s, org.uactn.core.backend.Conv2dParams p) throws Throwable {
        int dt = s.dtype() == org.uactn.core.tensor.DType.FLOAT64 ? DATA_DOUBLE : DATA_FLOAT;
        check((int) setTensor.invokeExact(xDesc, NCHW, dt, s.n(), s.c(), s.h(), s.w()), "cudnnSetTensor4dDescriptor(x)");
        check((int) setTensor.invokeExact(yDesc, NCHW, dt, s.n(), s.o(), s.oh(), s.ow()), "cudnnSetTensor4dDescriptor(y)");
        check((int) setFilter.invokeExact(wDesc, dt, NCHW, s.o(), s.cg(), s.kh(), s.kw()), "cudnnSetFilter4dDescriptor");
        check((int) setConv.invokeExact(convDesc, p.padH(), p.padW(), p.strideH(), p.strideW(), p.dilationH(), p.dilationW(),
                CROSS_CORRELATION, dt), "cudnnSetConvolution2dDescriptor");
        check((int) setGroups.invokeExact(convDesc, p.groups()), "cudnnSetConvolutionGroupCount");
        // FMA math keeps float32 exact-ish (no TF32 tensor cores) unless TF32 was asked for.
        check((int) setMath.invokeExact(convDesc, tf32 && dt == DATA_FLOAT ? DEFAULT_MATH : FMA_MATH), "cudnnSetConvolutionMathType");
    }

    /** Picks (and caches per geometry) the first algorithm the heuristics rate as usable; returns {algo, workspace bytes}. */
    private long[] algorithm(String kind, MethodHandle query, MemorySegment a, MemorySegment b, MemorySegment c,
                             CudaBackend.ConvShape s, org.uactn.core.backend.Conv2dParams p) throws Throwable {
        String key = kind + s + p + tf32;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            MemorySegment perf = arena.allocate(MemoryLayout.sequenceLayout(PERF_COUNT * PERF_SIZE, ValueLayout.JAVA_BYTE));
            check((int) query.invokeExact(handle, a, b, convDesc, c, PERF_COUNT, count, perf), "cudnnGet" + kind + "Algorithm_v7");
            Integer cached = algos.get(key);
            int n = count.get(JAVA_INT, 0);
            for (int i = 0; i < n; i++) {
                long at = i * PERF_SIZE;
                int algo = perf.get(JAVA_INT, at), status = perf.get(JAVA_INT, at + 4);
                long mem = perf.get(JAVA_LONG, at + PERF_MEMORY);
                if (status != 0 || mem > MAX_WORKSPACE) continue;
                if (cached != null && cached != algo) continue;
                algos.put(key, algo);
                return new long[] {algo, mem};
            }
        }
        throw new IllegalStateException("cuDNN offers no usable " + kind + " algorithm for " + s + " " + p);
    }

    private void run(MethodHandle fn, String what, boolean f64, double beta, MemorySegment d1, long p1, MemorySegment d2, long p2,
                     long[] algo, MemorySegment dOut, long pOut) throws Throwable {
        CudaAllocator.Block ws = algo[1] > 0 ? allocator.allocate(algo[1]) : null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = f64 ? arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 1.0) : arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1f);
            MemorySegment be = f64 ? arena.allocateFrom(ValueLayout.JAVA_DOUBLE, beta) : arena.allocateFrom(ValueLayout.JAVA_FLOAT, (float) beta);
            check((int) fn.invokeExact(handle, al, d1, p1, d2, p2, convDesc, (int) algo[0], ws == null ? 0L : ws.ptr.address(), algo[1], be, dOut, pOut), what);
        } finally {
            // Safe while the call may still run: every later use of the block is queued on the same stream.
            if (ws != null) allocator.release(ws);
        }
    }

    @Override
    public void forward(CudaBackend.ConvShape s, org.uactn.core.backend.Conv2dParams p, long x, long w, long y) {
        invoke(() -> {
            describe(s, p);
            long[] algo = algorithm("ConvolutionForward", fwdAlgo, xDesc, wDesc, yDesc, s, p);
            run(fwd, "cudnnConvolutionForward", s.dtype() == org.uactn.core.tensor.DType.FLOAT64, 0.0, xDesc, x, wDesc, w, algo, yDesc, y);
        });
    }

    @Override
    public void backwardData(CudaBackend.ConvShape s, org.uactn.core.backend.Conv2dParams p, long w, long dy, long dx) {
        invoke(() -> {
            describe(s, p);
            long[] algo = algorithm("ConvolutionBackwardData", bwdDataAlgo, wDesc, yDesc, xDesc, s, p);
            run(bwdData, "cudnnConvolutionBackwardData", s.dtype() == org.uactn.core.tensor.DType.FLOAT64, 1.0, wDesc, w, yDesc, dy, algo, xDesc, dx);
        });
    }

    @Override
    public void backwardFilter(CudaBackend.ConvShape s, org.uactn.core.backend.Conv2dParams p, long x, long dy, long dw) {
        invoke(() -> {
            describe(s, p);
            long[] algo = algorithm("ConvolutionBackwardFilter", bwdFilterAlgo, xDesc, yDesc, wDesc, s, p);
            run(bwdFilter, "cudnnConvolutionBackwardFilter", s.dtype() == org.uactn.core.tensor.DType.FLOAT64, 1.0, xDesc, x, yDesc, dy, algo, wDesc, dw);
        });
    }

    private interface Call { void run() throws Throwable; }

    private static void invoke(Call c) {
        try {
            c.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuDNN call failed: " + t, t);
        }
    }

    private void check(int status, String what) throws Throwable {
        if (status == 0) return;
        MemorySegment msg = (MemorySegment) errorString.invokeExact(status);
        throw new IllegalStateException(what + " failed: " + msg.reinterpret(256).getString(0) + " (status " + status + ")");
    }
}
