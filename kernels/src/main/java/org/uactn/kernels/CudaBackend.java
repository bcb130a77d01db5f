// The CUDA backend: every Backend kernel on one GPU. Element-wise, reduction, softmax, pooling,
// batch-norm and indexing kernels are our own (src/main/cuda); GEMM goes to cuBLAS when a libcublas
// loads (JCublas2, else FFM; else our tiled kernel) and convolution to cuDNN when present (JCudnn for
// cuDNN 8, else FFM for cuDNN 9; else im2col + GEMM).
package org.uactn.kernels;

import org.uactn.core.backend.Backend;
import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.backend.KernelArgs;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.backend.Storage;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Conventions: kernels receive raw device addresses (Long) plus either a packed {@link Geo} (for
 * arbitrarily strided operands) or plain sizes of contiguous operands; strided inputs of the
 * latter kind are made contiguous first, and strided outputs are computed in a contiguous
 * stand-in and copied back, as the CPU backend does. All work is queued on the default stream.
 */
public final class CudaBackend implements Backend {
    private final CudaContext ctx;
    private final CudaAllocator allocator;
    private final BlasLibrary cublas;
    private final LibraryChoice.Choice<BlasLibrary> blasChoice;
    private final DnnLibrary cudnn;
    private final LibraryChoice.Choice<DnnLibrary> dnnChoice;
    private volatile boolean tf32 = Boolean.getBoolean("uactn.cuda.tf32") || "1".equals(System.getenv("UACTN_TF32"));
    private volatile boolean ownGemm = "own".equals(System.getProperty("uactn.cuda.gemm"));
    private volatile boolean ownConv = "own".equals(System.getProperty("uactn.cuda.conv"));

    CudaBackend(CudaContext ctx) {
        this.ctx = ctx;
        this.allocator = new CudaAllocator(ctx);
        ctx.makeCurrent();
        this.blasChoice = LibraryChoice.choose(blasOptions(), "own kernels");
        this.cublas = blasChoice.library();
        this.dnnChoice = LibraryChoice.choose(dnnOptions(allocator), "own kernels");
        this.cudnn = dnnChoice.library();
    }

    /**
     * GEMM, in order of preference: JCublas2 (needs libcublas.so.12 and JCublas2's natives), cuBLAS
     * 13 or 12 through FFM, then our tiled kernels. Each attempt probes what it needs before it
     * touches anything that could crash, and is only made when every earlier one failed.
     */
    static List<LibraryChoice.Option<BlasLibrary>> blasOptions() {
        return List.of(
                new LibraryChoice.Option<>("JCublas2", why -> noCublas(why) ? null : JCublasBlas.start(why)),
                new LibraryChoice.Option<>("FFM cuBLAS 13/12", why -> Cublas.load(why).orElse(null)));
    }

    /** Convolution: JCudnn (cuDNN 8, libcudnn.so.8), cuDNN 9 through FFM, then our im2col + GEMM kernels. */
    static List<LibraryChoice.Option<DnnLibrary>> dnnOptions(CudaAllocator allocator) {
        return List.of(
                new LibraryChoice.Option<>("JCudnn 8", why -> noCudnn(why) ? null : JCudnnDnn.start(why, allocator)),
                new LibraryChoice.Option<>("FFM cuDNN 9", why -> Cudnn.load(why, allocator).orElse(null)));
    }

    private static boolean noCublas(StringBuilder why) {
        if (!disabled("uactn.cuda.nocublas", "UACTN_NO_CUBLAS")) return false;
        why.append("disabled by uactn.cuda.nocublas / UACTN_NO_CUBLAS");
        return true;
    }

    private static boolean noCudnn(StringBuilder why) {
        if (!disabled("uactn.cuda.nocudnn", "UACTN_NO_CUDNN")) return false;
        why.append("disabled by uactn.cuda.nocudnn / UACTN_NO_CUDNN");
        return true;
    }

    /** A switch set by -D{property}=true or {env}=1. */
    static boolean disabled(String property, String env) {
        return Boolean.getBoolean(property) || "1".equals(System.getenv(env));
    }

    @Override public Device device() { return ctx.device(); }

    /**
     * One line: card, memory, and for GEMM and convolution the path in use (JCublas2 / FFM cuBLAS 13 /
     * own kernels; JCudnn 8 / FFM cuDNN 9 / own kernels) with the library found and why each
     * preferred path was skipped.
     */
    public String describe() {
        return ctx.name() + " (compute capability " + ctx.computeCapability() + ", "
                + String.format(java.util.Locale.ROOT, "%.1f GiB", ctx.totalMemory() / 1073741824.0) + "); GEMM: "
                + note(blasChoice, cublas == null ? "" : cublas.path(), cublas == null ? "" : cublas.describe())
                + "; conv: " + note(dnnChoice, cudnn == null ? "" : cudnn.path(), cudnn == null ? "" : cudnn.describe())
                + "; TF32 " + (tf32 ? "on" : "off");
    }

    private static String note(LibraryChoice.Choice<?> c, String path, String library) {
        String head = c.usesFallback() ? c.label() : path + " [" + library + "]";
        return c.skipped().isEmpty() ? head : head + " (skipped: " + String.join("; ", c.skipped()) + ")";
    }

    /** The GEMM binding in use: "JCublas2", "FFM cuBLAS 13" (or 12), or "own kernels". */
    public String gemmLibrary() { return cublas != null ? cublas.path() : blasChoice.label(); }

    /** The convolution binding in use: "JCudnn 8", "FFM cuDNN 9", or "own kernels". */
    public String convLibrary() { return cudnn != null ? cudnn.path() : dnnChoice.label(); }

    /** Which GEMM path runs: "cublas" or "own". */
    public String gemmPath() { return cublas != null && !ownGemm ? "cublas" : "own"; }

    /** Which convolution path runs: "cudnn" or "im2col". */
    public String convPath() { return cudnn != null && !ownConv ? "cudnn" : "im2col"; }

    /** TF32 tensor-core math for float32 GEMM/convolution (cuBLAS/cuDNN only); off by default. */
    public void setTf32(boolean on) { tf32 = on; }

    /** Forces our own GEMM kernel even when cuBLAS is loaded (for cross-checks). */
    public void setOwnGemm(boolean on) { ownGemm = on; }

    /** Forces im2col + GEMM even when cuDNN is loaded (for cross-checks). */
    public void setOwnConv(boolean on) { ownConv = on; }

    /** Allocator statistics. */
    public String memoryStats() { return allocator.stats(); }

    /** Frees the allocator's cached blocks. */
    public void emptyCache() { allocator.releaseCache(); }

    /** Waits for every queued kernel (for timing). */
    public void synchronize() { ctx.synchronize(); }

    /** Makes this device's context current on the calling thread (for driver calls made outside a kernel launch). */
    void makeCurrent() { ctx.makeCurrent(); }

    // ---- memory ---------------------------------------------------------------------------------

    @Override
    public Storage allocate(DType dtype, int numel) {
        if (numel < 0) throw new IllegalArgumentException("allocate: negative element count " + numel);
        CudaStorage s = new CudaStorage(allocator, dtype, numel, ctx.device());
        ctx.memsetZero(s.address(0), s.bytes());
        return s;
    }

    @Override
    public Storage upload(Object hostArray, DType dtype) {
        int n = switch (hostArray) {
            case float[] f when dtype == DType.FLOAT32 -> f.length;
            case double[] d when dtype == DType.FLOAT64 -> d.length;
            case long[] l when dtype == DType.INT64 -> l.length;
            case int[] i when dtype == DType.INT32 -> i.length;
            default -> throw new IllegalArgumentException("upload: host array " + hostArray.getClass().getSimpleName() + " does not hold " + dtype);
        };
        CudaStorage s = new CudaStorage(allocator, dtype, n, ctx.device());
        ctx.upload(hostArray, s.address(0), dtype.byteSize(), n);
        return s;
    }

    @Override
    public Object download(Storage storage) {
        CudaStorage s = cuda(storage);
        int n = s.numel();
        Object a = switch (s.dtype()) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case INT32 -> new int[n];
        };
        ctx.download(s.address(0), a, s.dtype().byteSize(), n);
        return a;
    }

    private CudaStorage cuda(Storage s) {
        if (s instanceof CudaStorage c && c.device().equals(ctx.device())) return c;
        throw new IllegalArgumentException("cuda backend of " + ctx.device() + ": got a storage on " + s.device());
    }

    /** Device address of a tensor's storage start (kernels that take Geo offsets). */
    private long base(Tensor t) { return cuda(t.storage()).address(0); }

    /** Device address of a tensor's first element. */
    private long addr(Tensor t) { return cuda(t.storage()).address(t.offset()); }

    private static Long nullable(CudaBackend b, Tensor t) { return t == null ? 0L : b.addr(t); }

    private Tensor onDevice(Tensor t) {
        return t.storage() instanceof CudaStorage && t.device().equals(ctx.device()) ? t : t.detach().to(ctx.device());
    }

    private Tensor contiguous(Tensor t) {
        t = onDevice(t);
        if (t.isContiguous()) return t;
        Tensor c = Tensor.zeros(t.dtype(), ctx.device(), t.shape());
        copy(t, c);
        return c;
    }

    /** A contiguous tensor of the given dtype with t's values (t itself when it already is one). */
    private Tensor contiguousAs(Tensor t, DType dt) {
        if (t == null) return null;
        t = onDevice(t);
        if (t.isContiguous() && t.dtype() == dt) return t;
        Tensor c = Tensor.zeros(dt, ctx.device(), t.shape());
        copy(t, c);
        return c;
    }

    /** A contiguous stand-in holding out's current values (out itself when contiguous). */
    private Tensor writable(Tensor out) { return contiguous(out); }

    private void finish(Tensor work, Tensor out) {
        if (work != out) copy(work, out);
    }

    private static String sfx(DType t) { return KernelCatalog.suffix(t); }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes " + Shapes.str(a.shape()) + " and " + Shapes.str(b.shape()) + " differ");
        }
    }

    private static void floating(String op, DType t) {
        if (!t.isFloating()) throw new IllegalArgumentException(op + ": expected float32 or float64, got " + t);
    }

    // ---- data movement ----------------------------------------------------------------------------

    @Override
    public void copy(Tensor src, Tensor dst) {
        sameShape("copy", src, dst);
        int n = dst.numel();
        if (n == 0) return;
        src = onDevice(src);
        if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous()) {
            ctx.copyDeviceToDevice(addr(dst), addr(src), (long) n * dst.dtype().byteSize());
            return;
        }
        ctx.launch1d("copy_" + sfx(src.dtype()) + "_to_" + sfx(dst.dtype()), n, Geo.of(dst.shape(), dst, src), n, base(src), base(dst));
    }

    @Override
    public void fill(Tensor dst, double value) {
        int n = dst.numel();
        if (n == 0) return;
        ctx.launch1d("fill_" + sfx(dst.dtype()), n, Geo.of(dst.shape(), dst), n, base(dst), value);
    }

    // ---- pointwise --------------------------------------------------------------------------------

    private static Object scalar(DType t, double v) { return t == DType.FLOAT32 ? (Object) (float) v : (Object) v; }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1) {
        DType t = out.dtype();
        if (x.dtype() != t || !t.isFloating()) {
            throw new IllegalArgumentException("unary " + op + ": expected matching floating dtypes, got input " + x.dtype() + " and output " + t);
        }
        sameShape("unary " + op, x, out);
        x = onDevice(x);
        int n = out.numel();
        ctx.launch1d(KernelCatalog.unaryKernel(op, sfx(t)), n, Geo.of(out.shape(), out, x), n, base(x), base(out), scalar(t, p0), scalar(t, p1));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        DType t = out.dtype();
        if (a.dtype() != t || b.dtype() != t) {
            throw new IllegalArgumentException("binary " + op + ": operand dtypes " + a.dtype() + " and " + b.dtype() + " differ from output " + t);
        }
        sameShape("binary " + op, a, out);
        sameShape("binary " + op, b, out);
        a = onDevice(a);
        b = onDevice(b);
        int n = out.numel();
        if (n == 0) return;
        if (op == BinaryOp.DIV && !t.isFloating()) {
            // The CPU backend raises on integer division by zero; a GPU would return garbage.
            Tensor bc = contiguous(b);
            Object host = download(bc.storage());
            boolean zero = false;
            if (host instanceof long[] l) { for (long v : l) zero |= v == 0; }
            else for (int v : (int[]) host) zero |= v == 0;
            if (zero) throw new ArithmeticException("div: integer division by zero");
        }
        ctx.launch1d(KernelCatalog.binaryKernel(op, sfx(t)), n, Geo.of(out.shape(), out, a, b), n, base(a), base(b), base(out));
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        DType t = out.dtype();
        if (a.dtype() != t || b.dtype() != t) {
            throw new IllegalArgumentException("where: operand dtypes " + a.dtype() + " and " + b.dtype() + " differ from output " + t);
        }
        sameShape("where", cond, out);
        sameShape("where", a, out);
        sameShape("where", b, out);
        cond = onDevice(cond);
        a = onDevice(a);
        b = onDevice(b);
        int n = out.numel();
        ctx.launch1d("where_" + sfx(cond.dtype()) + "_" + sfx(t), n, Geo.of(out.shape(), out, cond, a, b), n,
                base(cond), base(a), base(b), base(out));
    }

    // ---- reductions -------------------------------------------------------------------------------

    @Override
    public void sum(Tensor x, int[] dims, Tensor out) {
        x = onDevice(x);
        int r = x.dim();
        int[] xs = x.shape();
        boolean[] reduced = KernelArgs.sumDims(x, dims, out);
        int[] os = out.shape();
        if (!x.dtype().isFloating()) {
            // Integer sums go through float64, exact below 2^53, as on the CPU.
            Tensor xd = contiguousAs(x, DType.FLOAT64);
            Tensor od = Tensor.zeros(DType.FLOAT64, ctx.device(), os);
            sum(xd, dims, od);
            copy(od, out);
            return;
        }
        Tensor w = writable(out);
        int[] xst = x.strides(), wst = w.strides();
        int nk = r - dims.length;
        int[] kShape = new int[nk], kX = new int[nk], kW = new int[nk];
        int[] rShape = new int[dims.length], rX = new int[dims.length];
        for (int d = 0, a = 0, b = 0; d < r; d++) {
            if (reduced[d]) {
                rShape[b] = xs[d];
                rX[b++] = xst[d];
            } else {
                kShape[a] = xs[d];
                kX[a] = xst[d];
                kW[a++] = wst[d];
            }
        }
        int nOut = Shapes.numel(kShape), nRed = Shapes.numel(rShape);
        if (nOut == 0) return;
        int[] kept = Geo.pack(kShape, new int[][] {kX, kW}, new int[] {x.offset(), w.offset()});
        int[] red = Geo.pack(rShape, new int[][] {rX}, new int[] {0});
        ctx.launch("sum_" + sfx(x.dtype()), Math.min(nOut, CudaContext.MAX_GRID), 1, 1, CudaContext.BLOCK,
                kept, red, nOut, nRed, base(x), base(w));
        finish(w, out);
    }

    @Override
    public void maxDim(Tensor x, int dim, Tensor values, Tensor indices) {
        x = onDevice(x);
        int r = x.dim();
        if (dim < 0 || dim >= Math.max(r, 1)) throw new IllegalArgumentException("max: dim " + dim + " out of range for rank " + r);
        if (values.dtype() != x.dtype() || !x.dtype().isFloating() || indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("max: expected floating values of the input dtype and int64 indices, got " + x.dtype() + ", " + values.dtype() + ", " + indices.dtype());
        }
        if (r == 0) {
            copy(x, values);
            fill(indices, 0);
            return;
        }
        int[] xs = x.shape();
        int[] expect = xs.clone();
        expect[dim] = 1;
        if (!Arrays.equals(values.shape(), expect) || !Arrays.equals(indices.shape(), expect)) {
            throw new IllegalArgumentException("max: outputs " + Shapes.str(values.shape()) + " / " + Shapes.str(indices.shape()) + " do not match input " + Shapes.str(xs) + " reduced over dim " + dim);
        }
        int len = xs[dim];
        if (len == 0 && values.numel() > 0) {
            throw new IllegalArgumentException("max: cannot reduce dimension " + dim + " of size 0 in shape " + Shapes.str(xs));
        }
        int nOut = values.numel();
        if (nOut == 0) return;
        Tensor v = writable(values), ix = writable(indices);
        int[] kShape = dropDim(xs, dim);
        int[] kept = Geo.pack(kShape, new int[][] {dropDim(x.strides(), dim), dropDim(v.strides(), dim), dropDim(ix.strides(), dim)},
                new int[] {x.offset(), v.offset(), ix.offset()});
        ctx.launch1d("max_dim_" + sfx(x.dtype()), nOut, kept, nOut, len, x.stride(dim), base(x), base(v), base(ix));
        finish(v, values);
        finish(ix, indices);
    }

    private static int[] dropDim(int[] a, int dim) {
        int[] r = new int[a.length - 1];
        for (int d = 0, k = 0; d < a.length; d++) if (d != dim) r[k++] = a[d];
        return r;
    }

    // ---- GEMM ---------------------------------------------------------------------------------------

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        int[] as = a.shape(), bs = b.shape(), os = out.shape();
        if (as.length != 3 || bs.length != 3 || os.length != 3 || as[0] != bs[0] || as[0] != os[0]
                || as[2] != bs[1] || os[1] != as[1] || os[2] != bs[2]) {
            throw new IllegalArgumentException("matmul kernel: expected a [B, M, K], b [B, K, N], out [B, M, N], got a "
                    + Shapes.str(as) + ", b " + Shapes.str(bs) + ", out " + Shapes.str(os));
        }
        DType dt = out.dtype();
        if (a.dtype() != dt || b.dtype() != dt || !dt.isFloating()) {
            throw new IllegalArgumentException("matmul kernel: expected matching float32 or float64 tensors, got a "
                    + a.dtype() + ", b " + b.dtype() + ", out " + dt);
        }
        a = onDevice(a);
        b = onDevice(b);
        int[] sa = a.strides(), sb = b.strides(), so = out.strides();
        gemm(dt, as[0], as[1], bs[2], as[2], addr(a), sa[0], sa[1], sa[2], addr(b), sb[0], sb[1], sb[2],
                addr(out), so[0], so[1], so[2], 0.0);
    }

    /**
     * C[i] = A[i] (m x k) * B[i] (k x n) + beta * C[i] for i < batch, every matrix given by a device
     * address and element strides (row, column; batch). Row-major and transposed operands go to
     * cuBLAS as they are; other layouts (and no cuBLAS) use the tiled kernel, which takes any strides.
     */
    void gemm(DType dt, int batch, int m, int n, int k, long a, long sAb, int sAm, int sAk, long b, long sBb, int sBk, int sBn,
              long c, long sCb, int sCm, int sCn, double beta) {
        if (batch == 0 || m == 0 || n == 0) return;
        boolean f64 = dt == DType.FLOAT64;
        if (cublas != null && !ownGemm && cublasGemm(f64, batch, m, n, k, a, sAb, sAm, sAk, b, sBb, sBk, sBn, c, sCb, sCm, sCn, beta)) return;
        String kernel = "gemm_tiled_" + (f64 ? "f64" : "f32");
        for (int b0 = 0; b0 < batch; b0 += 65535) {
            int nb = Math.min(65535, batch - b0);
            ctx.launch(kernel, (n + 63) / 64, (m + 63) / 64, nb, CudaContext.BLOCK,
                    m, n, k, b0, a, sAb, sAm, sAk, b, sBb, sBk, sBn, c, sCb, sCm, sCn,
                    f64 ? (Object) 1.0 : (Object) 1f, f64 ? (Object) beta : (Object) (float) beta);
        }
    }

    /** Row-major C = A B is column-major C^T = B^T A^T; returns false when a layout does not fit cuBLAS. */
    private boolean cublasGemm(boolean f64, int batch, int m, int n, int k, long a, long sAb, int sAm, int sAk,
                               long b, long sBb, int sBk, int sBn, long c, long sCb, int sCm, int sCn, double beta) {
        if (!(sCn == 1 && (sCm == n || m == 1))) return false;
        int ldc = Math.max(1, n);
        int opB, ldB; // the first cuBLAS operand: our B seen column-major as n x k
        if (sBn == 1 && (k == 1 || sBk >= Math.max(1, n))) { opB = BlasLibrary.OP_N; ldB = k == 1 ? Math.max(1, n) : sBk; }
        else if (sBk == 1 && (n == 1 || sBn >= Math.max(1, k))) { opB = BlasLibrary.OP_T; ldB = n == 1 ? Math.max(1, k) : sBn; }
        else return false;
        int opA, ldA; // the second: our A seen column-major as k x m
        if (sAk == 1 && (m == 1 || sAm >= Math.max(1, k))) { opA = BlasLibrary.OP_N; ldA = m == 1 ? Math.max(1, k) : sAm; }
        else if (sAm == 1 && (k == 1 || sAk >= Math.max(1, m))) { opA = BlasLibrary.OP_T; ldA = k == 1 ? Math.max(1, m) : sAk; }
        else return false;
        ctx.makeCurrent();
        synchronized (cublas) {
            cublas.setTf32(tf32 && !f64);
            cublas.gemm(f64, opB, opA, n, m, k, 1.0, b, ldB, sBb, a, ldA, sAb, beta, c, ldc, batch == 1 ? (long) m * n : sCb, batch);
        }
        return true;
    }

    // ---- convolution --------------------------------------------------------------------------------

    /** Checked geometry of one convolution call. */
    record ConvShape(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow, int groups, DType dtype) {
        int cg() { return c / groups; }
        int og() { return o / groups; }
        int k() { return cg() * kh * kw; }
        int p() { return oh * ow; }
    }

    static ConvShape convShape(String op, int[] xs, int[] ws, int[] os, DType xt, DType wt, DType ot, Conv2dParams p) {
        if (xs.length != 4 || ws.length != 4 || os.length != 4) {
            throw new IllegalArgumentException(op + ": expected 4-D input, weight and output, got input " + Shapes.str(xs)
                    + ", weight " + Shapes.str(ws) + ", output " + Shapes.str(os));
        }
        if (!xt.isFloating() || wt != xt || ot != xt) {
            throw new IllegalArgumentException(op + ": expected matching float32 or float64 tensors, got input " + xt + ", weight " + wt + ", output " + ot);
        }
        int groups = p.groups();
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3], o = ws[0], kh = ws[2], kw = ws[3];
        if (c % groups != 0 || o % groups != 0 || ws[1] * groups != c) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(xs) + " and weight " + Shapes.str(ws) + " do not fit groups=" + groups);
        }
        int oh = p.outH(h, kh), ow = p.outW(w, kw);
        if (oh < 1 || ow < 1) throw new IllegalArgumentException(op + ": kernel " + kh + "x" + kw + " does not fit input " + Shapes.str(xs) + " with " + p);
        if (os[0] != n || os[1] != o || os[2] != oh || os[3] != ow) {
            throw new IllegalArgumentException(op + ": output " + Shapes.str(os) + " does not match input " + Shapes.str(xs)
                    + " and weight " + Shapes.str(ws) + " (expected [" + n + ", " + o + ", " + oh + ", " + ow + "])");
        }
        return new ConvShape(n, c, h, w, o, kh, kw, oh, ow, groups, xt);
    }

    /** Last cuDNN failure (the call then ran on our own kernels); empty when none. */
    private volatile String cudnnFailure = "";

    /**
     * Runs a cuDNN call when cuDNN is loaded and selected; false when the caller must use its own
     * kernels (no cuDNN, or cuDNN rejected this geometry/dtype, which is then remembered and reported).
     */
    private boolean useCudnn(Runnable call) {
        if (cudnn == null || ownConv) return false;
        ctx.makeCurrent();
        synchronized (cudnn) {
            cudnn.setTf32(tf32);
            try {
                call.run();
                return true;
            } catch (IllegalStateException e) {
                cudnnFailure = e.getMessage();
                return false;
            }
        }
    }

    /** The last cuDNN error that made a convolution fall back to our kernels, or "". */
    public String cudnnFailure() { return cudnnFailure; }

    private static boolean pointwise(ConvShape s, Conv2dParams p) {
        return s.kh() == 1 && s.kw() == 1 && p.strideH() == 1 && p.strideW() == 1 && p.padH() == 0 && p.padW() == 0;
    }

    /** A scratch buffer for one image's im2col columns, returned to the allocator cache by the caller. */
    private CudaAllocator.Block scratch(ConvShape s) {
        return allocator.allocate((long) s.c() * s.kh() * s.kw() * s.p() * s.dtype().byteSize());
    }

    /** im2col (one image into columns) or col2im (columns added into one image's gradient). */
    private void im2col(ConvShape s, Conv2dParams p, long src, long dst, String kernel) {
        int total = kernel.equals("im2col") ? s.c() * s.kh() * s.kw() * s.p() : s.c() * s.h() * s.w();
        ctx.launch1d(kernel + "_" + sfx(s.dtype()), total, src, dst, s.c(), s.h(), s.w(), s.kh(), s.kw(), s.oh(), s.ow(),
                p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW());
    }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor bias, Tensor out, Conv2dParams p) {
        ConvShape s = convShape("conv2d", x.shape(), w.shape(), out.shape(), x.dtype(), w.dtype(), out.dtype(), p);
        if (bias != null && (bias.dim() != 1 || bias.size(0) != s.o() || bias.dtype() != s.dtype())) {
            throw new IllegalArgumentException("conv2d: bias " + Shapes.str(bias.shape()) + " " + bias.dtype()
                    + " does not match " + s.o() + " output channels of " + s.dtype());
        }
        Tensor xc = contiguous(x), wc = contiguous(w), bc = bias == null ? null : contiguous(bias), oc = writable(out);
        if (s.n() > 0) {
            if (!useCudnn(() -> cudnn.forward(s, p, addr(xc), addr(wc), addr(oc)))) convForwardOwn(s, p, xc, wc, oc);
            if (bc != null) {
                int total = s.n() * s.o() * s.p();
                ctx.launch1d("conv_bias_add_" + sfx(s.dtype()), total, addr(oc), addr(bc), total, s.o(), s.p());
            }
        }
        finish(oc, out);
    }

    private void convForwardOwn(ConvShape s, Conv2dParams p, Tensor xc, Tensor wc, Tensor oc) {
        int es = s.dtype().byteSize();
        int K = s.k(), P = s.p(), og = s.og(), G = s.groups();
        boolean pw = pointwise(s, p);
        CudaAllocator.Block col = pw ? null : scratch(s);
        try {
            for (int i = 0; i < s.n(); i++) {
                long xi = addr(xc) + (long) i * s.c() * s.h() * s.w() * es;
                long oi = addr(oc) + (long) i * s.o() * P * es;
                long cols = xi;
                if (!pw) {
                    cols = col.ptr.address();
                    im2col(s, p, xi, cols, "im2col");
                }
                // out[i, g] (og x P) = W[g] (og x K) * cols[g] (K x P)
                gemm(s.dtype(), G, og, P, K, addr(wc), (long) og * K, K, 1, cols, (long) K * P, P, 1, oi, (long) og * P, P, 1, 0.0);
            }
        } finally {
            if (col != null) allocator.release(col);
        }
    }

    @Override
    public void conv2dBackwardInput(Tensor gradOut, Tensor w, Tensor gradIn, Conv2dParams p) {
        ConvShape s = convShape("conv2d_backward_input", gradIn.shape(), w.shape(), gradOut.shape(), gradIn.dtype(), w.dtype(), gradOut.dtype(), p);
        Tensor gc = contiguous(gradOut), wc = contiguous(w), gi = writable(gradIn);
        if (s.n() > 0) {
            if (!useCudnn(() -> cudnn.backwardData(s, p, addr(wc), addr(gc), addr(gi)))) {
                int es = s.dtype().byteSize();
                int K = s.k(), P = s.p(), og = s.og(), G = s.groups();
                boolean pw = pointwise(s, p);
                CudaAllocator.Block col = pw ? null : scratch(s);
                try {
                    for (int i = 0; i < s.n(); i++) {
                        long gin = addr(gi) + (long) i * s.c() * s.h() * s.w() * es;
                        long goi = addr(gc) + (long) i * s.o() * P * es;
                        // cols[g] (K x P) = W[g]^T (K x og) * gradOut[i, g] (og x P); W^T is W with swapped strides.
                        if (pw) {
                            gemm(s.dtype(), G, K, P, og, addr(wc), (long) og * K, 1, K, goi, (long) og * P, P, 1, gin, (long) K * P, P, 1, 1.0);
                        } else {
                            long cols = col.ptr.address();
                            gemm(s.dtype(), G, K, P, og, addr(wc), (long) og * K, 1, K, goi, (long) og * P, P, 1, cols, (long) K * P, P, 1, 0.0);
                            im2col(s, p, cols, gin, "col2im");
                        }
                    }
                } finally {
                    if (col != null) allocator.release(col);
                }
            }
        }
        finish(gi, gradIn);
    }

    @Override
    public void conv2dBackwardWeight(Tensor gradOut, Tensor x, Tensor gradW, Conv2dParams p) {
        ConvShape s = convShape("conv2d_backward_weight", x.shape(), gradW.shape(), gradOut.shape(), x.dtype(), gradW.dtype(), gradOut.dtype(), p);
        Tensor gc = contiguous(gradOut), xc = contiguous(x), gw = writable(gradW);
        if (s.n() > 0) {
            if (!useCudnn(() -> cudnn.backwardFilter(s, p, addr(xc), addr(gc), addr(gw)))) {
                int es = s.dtype().byteSize();
                int K = s.k(), P = s.p(), og = s.og(), G = s.groups();
                boolean pw = pointwise(s, p);
                CudaAllocator.Block col = pw ? null : scratch(s);
                try {
                    for (int i = 0; i < s.n(); i++) {
                        long xi = addr(xc) + (long) i * s.c() * s.h() * s.w() * es;
                        long goi = addr(gc) + (long) i * s.o() * P * es;
                        long cols = xi;
                        if (!pw) {
                            cols = col.ptr.address();
                            im2col(s, p, xi, cols, "im2col");
                        }
                        // gradW[g] (og x K) += gradOut[i, g] (og x P) * cols[g]^T (P x K)
                        gemm(s.dtype(), G, og, K, P, goi, (long) og * P, P, 1, cols, (long) K * P, 1, P, addr(gw), (long) og * K, K, 1, 1.0);
                    }
                } finally {
                    if (col != null) allocator.release(col);
                }
            }
        }
        finish(gw, gradW);
    }

    // ---- pooling ------------------------------------------------------------------------------------

    private static int[] check4d(String op, Tensor t) {
        int[] s = t.shape();
        if (s.length != 4) throw new IllegalArgumentException(op + ": expected a 4-D NCHW tensor, got shape " + Shapes.str(s));
        floating(op, t.dtype());
        return s;
    }

    private static void checkPoolOut(String op, Tensor in, Tensor out, int oh, int ow) {
        int[] s = in.shape(), o = out.shape();
        if (o.length != 4 || o[0] != s[0] || o[1] != s[1] || o[2] != oh || o[3] != ow) {
            throw new IllegalArgumentException(op + ": output shape " + Shapes.str(o) + " does not match input " + Shapes.str(s)
                    + " (expected [" + s[0] + ", " + s[1] + ", " + oh + ", " + ow + "])");
        }
        if (out.dtype() != in.dtype()) throw new IllegalArgumentException(op + ": output dtype " + out.dtype() + " differs from input " + in.dtype());
    }

    @Override
    public void maxPool2d(Tensor x, Tensor out, Tensor indices, Pool2dParams p) {
        int[] s = check4d("max_pool2d", x);
        int h = s[2], w = s[3], oh = p.outH(h), ow = p.outW(w);
        checkPoolOut("max_pool2d", x, out, oh, ow);
        if (indices.dtype() != DType.INT64 || !Arrays.equals(indices.shape(), out.shape())) {
            throw new IllegalArgumentException("max_pool2d: indices must be int64 of shape " + Shapes.str(out.shape()) + ", got " + indices.dtype() + " " + Shapes.str(indices.shape()));
        }
        Tensor xc = contiguous(x), oc = writable(out), ic = writable(indices);
        int planes = s[0] * s[1];
        ctx.launch1d("max_pool2d_forward_" + sfx(x.dtype()), planes * oh * ow, addr(xc), addr(oc), addr(ic), planes, h, w, oh, ow,
                p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW());
        finish(oc, out);
        finish(ic, indices);
    }

    @Override
    public void maxPool2dBackward(Tensor gradOut, Tensor indices, Tensor gradIn) {
        int[] gs = check4d("max_pool2d_backward", gradIn);
        int[] os = check4d("max_pool2d_backward", gradOut);
        if (os[0] != gs[0] || os[1] != gs[1] || !Arrays.equals(indices.shape(), os) || indices.dtype() != DType.INT64
                || gradOut.dtype() != gradIn.dtype()) {
            throw new IllegalArgumentException("max_pool2d_backward: gradOut " + Shapes.str(os) + " " + gradOut.dtype() + ", indices "
                    + Shapes.str(indices.shape()) + " " + indices.dtype() + " and gradIn " + Shapes.str(gs) + " " + gradIn.dtype() + " do not match");
        }
        Tensor g = contiguous(gradOut), ic = contiguous(indices), gi = writable(gradIn);
        int planes = gs[0] * gs[1];
        ctx.launch1d("max_pool2d_backward_" + sfx(gradIn.dtype()), planes, addr(g), addr(ic), addr(gi), planes, gs[2] * gs[3], os[2] * os[3]);
        finish(gi, gradIn);
    }

    private static void checkAvg(Pool2dParams p) {
        if (p.dilationH() != 1 || p.dilationW() != 1) {
            throw new IllegalArgumentException("avg_pool2d: dilation must be 1, got " + p.dilationH() + "x" + p.dilationW());
        }
    }

    @Override
    public void avgPool2d(Tensor x, Tensor out, Pool2dParams p) {
        checkAvg(p);
        int[] s = check4d("avg_pool2d", x);
        int h = s[2], w = s[3], oh = p.outH(h), ow = p.outW(w);
        checkPoolOut("avg_pool2d", x, out, oh, ow);
        Tensor xc = contiguous(x), oc = writable(out);
        int planes = s[0] * s[1];
        ctx.launch1d("avg_pool2d_forward_" + sfx(x.dtype()), planes * oh * ow, addr(xc), addr(oc), planes, h, w, oh, ow,
                p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(), p.padW(), p.countIncludePad() ? 1 : 0);
        finish(oc, out);
    }

    @Override
    public void avgPool2dBackward(Tensor gradOut, Tensor gradIn, Pool2dParams p) {
        checkAvg(p);
        int[] s = check4d("avg_pool2d_backward", gradIn);
        int h = s[2], w = s[3], oh = p.outH(h), ow = p.outW(w);
        checkPoolOut("avg_pool2d_backward", gradIn, gradOut, oh, ow);
        Tensor g = contiguous(gradOut), gi = writable(gradIn);
        int planes = s[0] * s[1];
        ctx.launch1d("avg_pool2d_backward_" + sfx(gradIn.dtype()), planes * h * w, addr(g), addr(gi), planes, h, w, oh, ow,
                p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(), p.padW(), p.countIncludePad() ? 1 : 0);
        finish(gi, gradIn);
    }

    @Override
    public void adaptiveAvgPool2d(Tensor x, Tensor out) {
        int[] s = check4d("adaptive_avg_pool2d", x);
        int[] o = out.shape();
        if (o.length != 4) throw new IllegalArgumentException("adaptive_avg_pool2d: output must be 4-D, got " + Shapes.str(o));
        checkPoolOut("adaptive_avg_pool2d", x, out, o[2], o[3]);
        Tensor xc = contiguous(x), oc = writable(out);
        int planes = s[0] * s[1];
        ctx.launch1d("adaptive_avg_pool2d_forward_" + sfx(x.dtype()), planes * o[2] * o[3], addr(xc), addr(oc), planes, s[2], s[3], o[2], o[3]);
        finish(oc, out);
    }

    @Override
    public void adaptiveAvgPool2dBackward(Tensor gradOut, Tensor gradIn) {
        int[] s = check4d("adaptive_avg_pool2d_backward", gradIn);
        int[] o = check4d("adaptive_avg_pool2d_backward", gradOut);
        checkPoolOut("adaptive_avg_pool2d_backward", gradIn, gradOut, o[2], o[3]);
        Tensor g = contiguous(gradOut), gi = writable(gradIn);
        int planes = s[0] * s[1];
        ctx.launch1d("adaptive_avg_pool2d_backward_" + sfx(gradIn.dtype()), planes * s[2] * s[3], addr(g), addr(gi), planes, s[2], s[3], o[2], o[3]);
        finish(gi, gradIn);
    }

    // ---- normalisation ------------------------------------------------------------------------------

    private static int[] bnGeometry(String op, Tensor x) {
        int[] s = x.shape();
        if (s.length < 2) throw new IllegalArgumentException(op + ": expected input of shape [N, C] or [N, C, *], got " + Shapes.str(s));
        floating(op, x.dtype());
        int inner = 1;
        for (int d = 2; d < s.length; d++) inner *= s[d];
        return new int[] {s[0], s[1], inner};
    }

    private static void checkVec(String op, String name, Tensor t, int c) {
        if (t == null) return;
        if (t.dim() != 1 || t.size(0) != c) throw new IllegalArgumentException(op + ": " + name + " must have shape [" + c + "], got " + Shapes.str(t.shape()));
        floating(op + " " + name, t.dtype());
    }

    private static void sameAs(String op, String name, Tensor t, Tensor x) {
        if (!Arrays.equals(t.shape(), x.shape()) || t.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": " + name + " " + Shapes.str(t.shape()) + " " + t.dtype() + " does not match input " + Shapes.str(x.shape()) + " " + x.dtype());
        }
    }

    @Override
    public void batchNorm(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                          boolean training, double momentum, double eps, Tensor out, Tensor saveMean, Tensor saveInvStd) {
        String op = "batch_norm";
        int[] g = bnGeometry(op, x);
        int n = g[0], c = g[1], s = g[2];
        sameAs(op, "output", out, x);
        long m = (long) n * s;
        if (training && m <= 1) {
            throw new IllegalArgumentException(op + ": expected more than 1 value per channel when training, got input of shape " + Shapes.str(x.shape()));
        }
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException(op + ": evaluation mode needs running_mean and running_var");
        }
        checkVec(op, "weight", weight, c);
        checkVec(op, "bias", bias, c);
        checkVec(op, "running_mean", runningMean, c);
        checkVec(op, "running_var", runningVar, c);
        if (training) {
            checkVec(op, "save_mean", saveMean, c);
            checkVec(op, "save_invstd", saveInvStd, c);
        }
        DType dt = x.dtype();
        Tensor xc = contiguous(x), oc = writable(out);
        Tensor w = contiguousAs(weight, dt), b = contiguousAs(bias, dt);
        Tensor rm = contiguousAs(runningMean, dt), rv = contiguousAs(runningVar, dt);
        if (training) {
            Tensor sm = contiguousAs(saveMean, dt), si = contiguousAs(saveInvStd, dt);
            if (c > 0) {
                ctx.launch("batch_norm_forward_train_" + sfx(dt), c, 1, 1, CudaContext.BLOCK, addr(xc), addr(oc),
                        nullable(this, w), nullable(this, b), nullable(this, rm), nullable(this, rv), nullable(this, sm), nullable(this, si),
                        n, c, s, momentum, eps);
            }
            if (sm != null) finish(sm, saveMean);
            if (si != null) finish(si, saveInvStd);
            if (rm != null) finish(rm, runningMean);
            if (rv != null) finish(rv, runningVar);
        } else {
            int total = n * c * s;
            ctx.launch1d("batch_norm_forward_eval_" + sfx(dt), total, addr(xc), addr(oc), nullable(this, w), nullable(this, b),
                    addr(rm), addr(rv), total, c, s, eps);
        }
        finish(oc, out);
    }

    @Override
    public void batchNormBackward(Tensor gradOut, Tensor x, Tensor weight, Tensor saveMean, Tensor saveInvStd,
                                  Tensor gradIn, Tensor gradWeight, Tensor gradBias) {
        String op = "batch_norm_backward";
        int[] g = bnGeometry(op, x);
        int n = g[0], c = g[1], s = g[2];
        sameAs(op, "grad_output", gradOut, x);
        if (gradIn != null) sameAs(op, "grad_input", gradIn, x);
        if (saveMean == null || saveInvStd == null) throw new IllegalArgumentException(op + ": save_mean and save_invstd are required");
        checkVec(op, "weight", weight, c);
        checkVec(op, "save_mean", saveMean, c);
        checkVec(op, "save_invstd", saveInvStd, c);
        checkVec(op, "grad_weight", gradWeight, c);
        checkVec(op, "grad_bias", gradBias, c);
        DType dt = x.dtype();
        Tensor xc = contiguous(x), gc = contiguous(gradOut);
        Tensor w = contiguousAs(weight, dt), sm = contiguousAs(saveMean, dt), si = contiguousAs(saveInvStd, dt);
        Tensor gi = gradIn == null ? null : writable(gradIn);
        Tensor gw = contiguousAs(gradWeight, dt), gb = contiguousAs(gradBias, dt);
        if (c > 0) {
            ctx.launch("batch_norm_backward_" + sfx(dt), c, 1, 1, CudaContext.BLOCK, addr(gc), addr(xc), nullable(this, w), addr(sm), addr(si),
                    nullable(this, gi), nullable(this, gw), nullable(this, gb), n, c, s);
        }
        if (gi != null) finish(gi, gradIn);
        if (gw != null) finish(gw, gradWeight);
        if (gb != null) finish(gb, gradBias);
    }

    // ---- softmax ------------------------------------------------------------------------------------

    private static int[] softmaxGeometry(String op, Tensor x, int dim) {
        int[] s = x.shape();
        floating(op, x.dtype());
        if (s.length == 0) return new int[] {1, 1, 1};
        if (dim < 0 || dim >= s.length) throw new IllegalArgumentException(op + ": dim " + dim + " out of range for shape " + Shapes.str(s));
        int outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) outer *= s[d];
        for (int d = dim + 1; d < s.length; d++) inner *= s[d];
        return new int[] {outer, s[dim], inner};
    }

    private static void sameTensor(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape()) || a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": tensors " + Shapes.str(a.shape()) + " " + a.dtype() + " and " + Shapes.str(b.shape()) + " " + b.dtype() + " differ");
        }
    }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor out) {
        String op = log ? "log_softmax" : "softmax";
        sameTensor(op, x, out);
        int[] g = softmaxGeometry(op, x, dim);
        if (x.numel() == 0) return;
        Tensor xc = contiguous(x), oc = writable(out);
        ctx.launch1d("softmax_forward_" + sfx(x.dtype()), g[0] * g[2], addr(xc), addr(oc), g[0], g[1], g[2], log ? 1 : 0);
        finish(oc, out);
    }

    @Override
    public void softmaxBackward(Tensor gradOut, Tensor out, int dim, boolean log, Tensor gradIn) {
        String op = log ? "log_softmax_backward" : "softmax_backward";
        sameTensor(op, gradOut, out);
        sameTensor(op, gradIn, out);
        int[] g = softmaxGeometry(op, out, dim);
        if (out.numel() == 0) return;
        Tensor gc = contiguous(gradOut), yc = contiguous(out), ic = writable(gradIn);
        ctx.launch1d("softmax_backward_" + sfx(out.dtype()), g[0] * g[2], addr(gc), addr(yc), addr(ic), g[0], g[1], g[2], log ? 1 : 0);
        finish(ic, gradIn);
    }

    // ---- indexing -----------------------------------------------------------------------------------

    private static Tensor atLeast1d(Tensor t) {
        return t.dim() > 0 ? t : new Tensor(t.storage(), new int[] {1}, new int[] {1}, t.offset());
    }

    /** Index values are checked on the host (one download) so a bad index is a clear error, not a fault. */
    private void checkRange(String op, Tensor index, int dim, int size) {
        if (index.dtype() != DType.INT64) throw new IllegalArgumentException(op + ": index must be int64, got " + index.dtype());
        if (index.numel() == 0) return;
        Tensor ic = contiguousAs(index, DType.INT64);
        long[] v = (long[]) download(ic.storage());
        int start = ic.offset();
        for (int i = 0; i < index.numel(); i++) {
            long x = v[start + i];
            if (x < 0 || x >= size) throw new IllegalArgumentException(op + ": index " + x + " out of range for dimension " + dim + " of size " + size);
        }
    }

    private static int checkDim(String op, Tensor t, int dim) {
        if (dim < 0 || dim >= t.dim()) throw new IllegalArgumentException(op + ": dim " + dim + " out of range for shape " + Shapes.str(t.shape()));
        return dim;
    }

    private static void checkFits(String op, Tensor index, Tensor other, int dim, boolean includingDim) {
        int[] is = index.shape(), os = other.shape();
        boolean ok = is.length == os.length;
        for (int d = 0; d < is.length && ok; d++) if (d != dim || includingDim) ok = is[d] <= os[d];
        if (!ok) throw new IllegalArgumentException(op + ": index shape " + Shapes.str(is) + " does not fit tensor shape " + Shapes.str(os) + " (dim " + dim + ")");
    }

    /** GATHER: val = tgt[index]; SCATTER(_ADD): tgt[index] (+)= val, along dim. */
    private void alongDim(String kernel, Tensor index, int dim, Tensor val, Tensor tgt) {
        int nKept = index.numel() / Math.max(1, index.size(dim));
        if (index.numel() == 0) return;
        int[] kept = Geo.pack(dropDim(index.shape(), dim),
                new int[][] {dropDim(index.strides(), dim), dropDim(val.strides(), dim), dropDim(tgt.strides(), dim)},
                new int[] {index.offset(), val.offset(), tgt.offset()});
        ctx.launch1d(kernel + "_" + sfx(tgt.dtype()), nKept, kept, nKept, index.size(dim), index.stride(dim), val.stride(dim), tgt.stride(dim),
                base(index), base(val), base(tgt));
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        x = atLeast1d(onDevice(x));
        index = atLeast1d(onDevice(index));
        Tensor o1 = atLeast1d(out);
        checkDim("gather", x, dim);
        checkFits("gather", index, x, dim, false);
        if (!Arrays.equals(index.shape(), o1.shape()) || out.dtype() != x.dtype()) {
            throw new IllegalArgumentException("gather: output " + Shapes.str(out.shape()) + " " + out.dtype() + " must match index shape " + Shapes.str(index.shape()) + " and input dtype " + x.dtype());
        }
        checkRange("gather", index, dim, x.size(dim));
        Tensor w = writable(o1);
        alongDim("gather", index, dim, w, x);
        finish(w, o1);
    }

    @Override
    public void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) { scatterImpl("scatter_add", out, dim, index, src); }

    @Override
    public void scatter(Tensor out, int dim, Tensor index, Tensor src) { scatterImpl("scatter", out, dim, index, src); }

    private void scatterImpl(String op, Tensor out, int dim, Tensor index, Tensor src) {
        Tensor o1 = atLeast1d(out);
        index = atLeast1d(onDevice(index));
        src = atLeast1d(onDevice(src));
        checkDim(op, o1, dim);
        checkFits(op, index, o1, dim, false);
        checkFits(op, index, src, dim, true);
        if (src.dtype() != out.dtype()) throw new IllegalArgumentException(op + ": src dtype " + src.dtype() + " differs from output " + out.dtype());
        checkRange(op, index, dim, o1.size(dim));
        Tensor w = writable(o1);
        alongDim(op, index, dim, src, w);
        finish(w, o1);
    }

    private void checkIndex1d(String op, Tensor index, int dim, int size) {
        if (index.dim() > 1) throw new IllegalArgumentException(op + ": index must be 0-d or 1-D, got shape " + Shapes.str(index.shape()));
        checkRange(op, index, dim, size);
    }

    private static int[] around(int[] s, int dim) {
        int outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) outer *= s[d];
        for (int d = dim + 1; d < s.length; d++) inner *= s[d];
        return new int[] {outer, s[dim], inner};
    }

    private static void checkAround(String op, Tensor big, Tensor small, int dim, int n) {
        int[] b = big.shape(), s = small.shape();
        boolean ok = b.length == s.length && s[dim] == n && big.dtype() == small.dtype();
        for (int d = 0; d < b.length && ok; d++) if (d != dim) ok = b[d] == s[d];
        if (!ok) {
            throw new IllegalArgumentException(op + ": shapes " + Shapes.str(b) + " " + big.dtype() + " and " + Shapes.str(s) + " " + small.dtype()
                    + " must agree outside dim " + dim + ", with " + n + " entries along it");
        }
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        x = atLeast1d(onDevice(x));
        index = onDevice(index);
        Tensor o1 = out.dim() == 0 ? atLeast1d(out) : out;
        checkDim("index_select", x, dim);
        checkIndex1d("index_select", index, dim, x.size(dim));
        int n = index.numel();
        checkAround("index_select", x, o1, dim, n);
        Tensor xc = contiguous(x), w = writable(o1), ic = contiguousAs(index, DType.INT64);
        int[] g = around(xc.shape(), dim);
        ctx.launch1d("index_select_" + sfx(x.dtype()), g[0] * n * g[2], addr(xc), addr(w), addr(ic), g[0], g[1], n, g[2]);
        finish(w, o1);
    }

    @Override
    public void indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        Tensor o1 = atLeast1d(out);
        index = onDevice(index);
        Tensor s1 = onDevice(src.dim() == 0 ? atLeast1d(src) : src);
        checkDim("index_add", o1, dim);
        checkIndex1d("index_add", index, dim, o1.size(dim));
        int n = index.numel();
        checkAround("index_add", o1, s1, dim, n);
        Tensor sc = contiguous(s1), w = writable(o1), ic = contiguousAs(index, DType.INT64);
        int[] g = around(w.shape(), dim);
        if (n > 0) ctx.launch1d("index_add_" + sfx(out.dtype()), g[0] * g[2], addr(w), addr(sc), addr(ic), g[0], g[1], n, g[2]);
        finish(w, o1);
    }

    // ---- optimiser updates ----------------------------------------------------------------------------

    /** The fused updates work in place on contiguous device tensors of the parameter's shape and dtype. */
    private void checkOptimOperand(String op, String name, Tensor param, Tensor t) {
        floating(op, param.dtype());
        if (t == null) throw new IllegalArgumentException(op + ": " + name + " must not be null");
        if (t.dtype() != param.dtype() || !Arrays.equals(t.shape(), param.shape())) {
            throw new IllegalArgumentException(op + ": " + name + " " + Shapes.str(t.shape()) + " " + t.dtype()
                    + " does not match the parameter " + Shapes.str(param.shape()) + " " + param.dtype());
        }
        if (!param.isContiguous() || !t.isContiguous()) {
            throw new IllegalArgumentException(op + ": parameter and " + name + " must be contiguous, got strides "
                    + Shapes.str(param.strides()) + " and " + Shapes.str(t.strides()));
        }
        cuda(param.storage());
        cuda(t.storage());
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, double lr, double momentum, double dampening,
                        double weightDecay, boolean nesterov, boolean maximize, boolean firstStep) {
        String op = "sgd_step";
        checkOptimOperand(op, "grad", param, grad);
        boolean useBuf = momentum != 0;
        if (useBuf) {
            if (momentumBuf == null) throw new IllegalArgumentException(op + ": momentum " + momentum + " needs a momentum buffer, got null");
            checkOptimOperand(op, "momentum_buffer", param, momentumBuf);
        }
        DType t = param.dtype();
        int n = param.numel();
        ctx.launch1d("sgd_step_" + sfx(t), n, sgdStepArgs(t, n, addr(param), addr(grad), useBuf ? addr(momentumBuf) : 0L,
                lr, momentum, dampening, weightDecay, nesterov, maximize, firstStep));
    }

    /** The argument list of sgd_step_{f32,f64} (optim.cu), in its order and C types; the SPI test checks it against the PTX. */
    static Object[] sgdStepArgs(DType t, int n, long param, long grad, long buf, double lr, double momentum, double dampening,
                                double weightDecay, boolean nesterov, boolean maximize, boolean firstStep) {
        return new Object[] {n, param, grad, buf, scalar(t, -lr), scalar(t, momentum), scalar(t, 1 - dampening), scalar(t, weightDecay),
                nesterov ? 1 : 0, maximize ? 1 : 0, firstStep ? 1 : 0};
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                         double lr, double beta1, double beta2, double eps, double weightDecay,
                         boolean decoupled, boolean amsgrad, boolean maximize, long step) {
        String op = decoupled ? "adamw_step" : "adam_step";
        checkOptimOperand(op, "grad", param, grad);
        checkOptimOperand(op, "exp_avg", param, expAvg);
        checkOptimOperand(op, "exp_avg_sq", param, expAvgSq);
        if (amsgrad) {
            if (maxExpAvgSq == null) throw new IllegalArgumentException(op + ": amsgrad needs max_exp_avg_sq, got null");
            checkOptimOperand(op, "max_exp_avg_sq", param, maxExpAvgSq);
        }
        if (step < 1) throw new IllegalArgumentException(op + ": step must be >= 1, got " + step);
        DType t = param.dtype();
        int n = param.numel();
        ctx.launch1d("adam_step_" + sfx(t), n, adamStepArgs(t, n, addr(param), addr(grad), addr(expAvg), addr(expAvgSq),
                amsgrad ? addr(maxExpAvgSq) : 0L, lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize, step));
    }

    /** The argument list of adam_step_{f32,f64} (optim.cu), in its order and C types; the SPI test checks it against the PTX. */
    static Object[] adamStepArgs(DType t, int n, long param, long grad, long expAvg, long expAvgSq, long maxExpAvgSq,
                                 double lr, double beta1, double beta2, double eps, double weightDecay,
                                 boolean decoupled, boolean amsgrad, boolean maximize, long step) {
        // Bias corrections in double on the host, then rounded to the dtype, as the CPU backend does.
        double bc1 = 1 - Math.pow(beta1, step), bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        return new Object[] {n, param, grad, expAvg, expAvgSq, maxExpAvgSq, scalar(t, beta1), scalar(t, 1 - beta1), scalar(t, beta2),
                scalar(t, 1 - beta2), scalar(t, eps), scalar(t, weightDecay), scalar(t, 1 - lr * weightDecay), scalar(t, bc2Sqrt),
                scalar(t, -(lr / bc1)), decoupled ? 1 : 0, amsgrad ? 1 : 0, maximize ? 1 : 0};
    }
}
