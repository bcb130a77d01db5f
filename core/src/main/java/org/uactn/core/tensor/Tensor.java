package org.uactn.core.tensor;

import org.uactn.core.autograd.Engine;
import org.uactn.core.autograd.GradMode;
import org.uactn.core.autograd.Node;
import org.uactn.core.backend.Backend;
import org.uactn.core.backend.Backends;
import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.Storage;
import org.uactn.core.ops.Activations;
import org.uactn.core.ops.Indexing;
import org.uactn.core.ops.Joining;
import org.uactn.core.ops.LinearAlgebra;
import org.uactn.core.ops.Pointwise;
import org.uactn.core.ops.Reductions;
import org.uactn.core.ops.Views;
import org.uactn.core.random.Generator;

import java.util.Arrays;

/**
 * A dense N-d array: a strided view (shape, strides, offset) over a backend {@link Storage},
 * plus its place in the autograd graph. Methods here are conveniences over the op families in
 * {@code org.uactn.core.ops}; the ops themselves are declared there, once.
 *
 * <p>Lifetime: storages are ordinary Java objects freed by the garbage collector (device
 * backends attach a cleaner). The graph holds intermediate tensors only until {@link #backward()}
 * consumes it, so a training loop's memory stays flat.
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private Backend backend;

    /** A view over a storage. Ops and backends build tensors through this; users use the factories. */
    public Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape " + Shapes.str(shape) + " and strides " + Shapes.str(strides) + " differ in rank");
        }
        this.storage = storage;
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.offset = offset;
    }

    // ---- factories --------------------------------------------------------------------------

    /** A zero-filled contiguous tensor (PyTorch's {@code zeros}; there is no uninitialised memory here). */
    public static Tensor zeros(DType dtype, Device device, int... shape) {
        Backend b = Backends.get(device);
        return new Tensor(b.allocate(dtype, Shapes.numel(shape)), shape, Shapes.contiguousStrides(shape), 0);
    }

    public static Tensor zeros(int... shape) { return zeros(DType.FLOAT32, Device.CPU, shape); }

    public static Tensor full(int[] shape, double value, DType dtype, Device device) {
        Tensor t = zeros(dtype, device, shape);
        if (value != 0) t.backend().fill(t, value);
        return t;
    }

    public static Tensor ones(int... shape) { return full(shape, 1.0, DType.FLOAT32, Device.CPU); }

    public static Tensor zerosLike(Tensor t) { return zeros(t.dtype(), t.device(), t.shape); }

    public static Tensor onesLike(Tensor t) { return full(t.shape, 1.0, t.dtype(), t.device()); }

    public static Tensor fullLike(Tensor t, double value) { return full(t.shape, value, t.dtype(), t.device()); }

    /** A float32 CPU tensor holding a copy of data in row-major order. */
    public static Tensor of(float[] data, int... shape) { return fromHost(data, data.length, DType.FLOAT32, shape); }

    public static Tensor of(double[] data, int... shape) { return fromHost(data, data.length, DType.FLOAT64, shape); }

    public static Tensor ofLong(long[] data, int... shape) { return fromHost(data, data.length, DType.INT64, shape); }

    public static Tensor ofInt(int[] data, int... shape) { return fromHost(data, data.length, DType.INT32, shape); }

    /** A 0-d float32 tensor. */
    public static Tensor scalar(double value) { return of(new float[] {(float) value}); }

    /** A 0-d tensor of a given type and device. */
    public static Tensor scalar(double value, DType dtype, Device device) { return full(new int[0], value, dtype, device); }

    private static Tensor fromHost(Object data, int length, DType dtype, int[] shape) {
        if (Shapes.numel(shape) != length) {
            throw new IllegalArgumentException("tensor: " + length + " values do not fill shape " + Shapes.str(shape));
        }
        Backend b = Backends.get(Device.CPU);
        return new Tensor(b.upload(data.getClass() == float[].class || data.getClass() == double[].class
                || data.getClass() == long[].class || data.getClass() == int[].class ? cloneArray(data) : data, dtype),
                shape, Shapes.contiguousStrides(shape), 0);
    }

    private static Object cloneArray(Object a) {
        return switch (a) {
            case float[] f -> f.clone();
            case double[] d -> d.clone();
            case long[] l -> l.clone();
            case int[] i -> i.clone();
            default -> throw new IllegalArgumentException("unsupported host array " + a.getClass());
        };
    }

    /** 0, 1, ..., n-1 as int64. */
    public static Tensor arange(int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return ofLong(v, n);
    }

    /** Uniform [0, 1) float32 values from a generator. */
    public static Tensor rand(Generator gen, int... shape) {
        float[] v = new float[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) gen.nextDouble();
        return of(v, shape);
    }

    /** Standard normal float32 values from a generator. */
    public static Tensor randn(Generator gen, int... shape) {
        float[] v = new float[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) gen.nextGaussian();
        return of(v, shape);
    }

    /** Uniform integers in [0, high) as int64. */
    public static Tensor randint(Generator gen, int high, int... shape) {
        long[] v = new long[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = gen.nextInt(high);
        return ofLong(v, shape);
    }

    // ---- metadata ---------------------------------------------------------------------------

    public Storage storage() { return storage; }

    public int[] shape() { return shape.clone(); }

    /** Size of one dimension; negative dims count from the end. */
    public int size(int dim) { return shape[Shapes.wrapDim("size", dim, shape.length)]; }

    public int[] strides() { return strides.clone(); }

    public int stride(int dim) { return strides[Shapes.wrapDim("stride", dim, shape.length)]; }

    public int offset() { return offset; }

    public int dim() { return shape.length; }

    public int numel() { return Shapes.numel(shape); }

    public DType dtype() { return storage.dtype(); }

    public Device device() { return storage.device(); }

    /** The backend that owns this tensor's storage. */
    public Backend backend() {
        Backend b = backend;
        if (b == null) backend = b = Backends.get(device());
        return b;
    }

    /** True when elements are laid out row-major without gaps (size-1 dims may have any stride). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    // ---- host access ------------------------------------------------------------------------

    /** The elements in row-major order, converted to float. */
    public float[] toFloatArray() {
        return (float[]) contiguousHost(DType.FLOAT32);
    }

    public double[] toDoubleArray() {
        return (double[]) contiguousHost(DType.FLOAT64);
    }

    public long[] toLongArray() {
        return (long[]) contiguousHost(DType.INT64);
    }

    public int[] toIntArray() {
        return (int[]) contiguousHost(DType.INT32);
    }

    private Object contiguousHost(DType type) {
        Tensor t = this;
        if (t.dtype() != type || !t.isContiguous() || t.offset != 0 || t.storage.numel() != t.numel()) {
            Tensor c = zeros(type, device(), shape);
            backend().copy(this, c);
            t = c;
        }
        return t.backend().download(t.storage);
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) throw new IllegalArgumentException("item: tensor of shape " + Shapes.str(shape) + " has " + numel() + " elements, not 1");
        return toDoubleArray()[0];
    }

    /** One element by index (slow; for tests and debugging). */
    public double get(int... index) {
        if (index.length != shape.length) throw new IllegalArgumentException("get: " + index.length + " indices for a tensor of rank " + shape.length);
        Tensor t = this;
        for (int d = index.length - 1; d >= 0; d--) t = t.narrow(d, index[d], 1);
        return t.item();
    }

    // ---- devices and types ------------------------------------------------------------------

    /** A copy on another device (this tensor when already there); differentiable. */
    public Tensor to(Device device) { return Views.toDevice(this, device); }

    /** A copy converted to another element type (this tensor when already of it); differentiable between floating types. */
    public Tensor to(DType dtype) { return Views.toDType(this, dtype); }

    public Tensor contiguous() { return Views.contiguous(this); }

    /** A contiguous copy that stays in the graph. */
    public Tensor copy() { return Views.clone(this); }

    // ---- autograd ---------------------------------------------------------------------------

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf as needing a gradient (PyTorch's {@code requires_grad_}). Returns this. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) throw new IllegalStateException("requiresGrad(false) on a non-leaf tensor; use detach()");
        if (value && !dtype().isFloating()) throw new IllegalArgumentException("only floating-point tensors can require gradients, got " + dtype());
        requiresGrad = value;
        return this;
    }

    public Tensor grad() { return grad; }

    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shapes.str(g.shape) + " differs from tensor shape " + Shapes.str(shape));
        }
        grad = g;
    }

    /** Drops the accumulated gradient (PyTorch's zero_grad with set_to_none=True). */
    public void zeroGrad() { grad = null; }

    public Node gradFn() { return gradFn; }

    public boolean isLeaf() { return gradFn == null; }

    /** Called by {@link org.uactn.core.autograd.Graph} only. */
    public void attachGradFn(Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
    }

    public void backward() { Engine.backward(this, null, false); }

    public void backward(Tensor gradient) { Engine.backward(this, gradient, false); }

    public void backward(Tensor gradient, boolean retainGraph) { Engine.backward(this, gradient, retainGraph); }

    /** The same data, cut from the graph. */
    public Tensor detach() { return new Tensor(storage, shape, strides, offset); }

    // ---- in-place updates (not recorded; for optimisers and initialisation) --------------------

    private void checkInPlace(String op) {
        if (requiresGrad && GradMode.isEnabled()) {
            throw new IllegalStateException(op + ": a tensor that requires grad is being modified in place; wrap the update in GradMode.noGrad()");
        }
    }

    /** Copies src (broadcast to this shape, converted to this dtype) into this tensor. Returns this. */
    public Tensor copyFrom(Tensor src) {
        checkInPlace("copy_");
        if (!src.device().equals(device())) src = src.to(device());
        backend().copy(Views.expand(src.detach(), shape), this);
        return this;
    }

    /** Sets every element to value. Returns this. */
    public Tensor fill(double value) {
        checkInPlace("fill_");
        backend().fill(this, value);
        return this;
    }

    /** this += alpha * other (other broadcast to this shape). Returns this. */
    public Tensor addInPlace(Tensor other, double alpha) {
        checkInPlace("add_");
        Tensor o = other.detach();
        if (alpha != 1.0) o = Pointwise.mul(o, alpha);
        inPlace(BinaryOp.ADD, o);
        return this;
    }

    /** this *= other (other broadcast to this shape). Returns this. */
    public Tensor mulInPlace(Tensor other) {
        checkInPlace("mul_");
        inPlace(BinaryOp.MUL, other.detach());
        return this;
    }

    /** this *= factor. Returns this. */
    public Tensor mulInPlace(double factor) {
        checkInPlace("mul_");
        inPlace(BinaryOp.MUL, scalar(factor, dtype(), device()));
        return this;
    }

    private void inPlace(BinaryOp op, Tensor other) {
        Tensor o = Views.expand(other.dtype() == dtype() ? other : other.to(dtype()), shape);
        if (isContiguous()) {
            backend().binary(op, this, o, this);
        } else {
            Tensor tmp = zeros(dtype(), device(), shape);
            backend().binary(op, this, o, tmp);
            backend().copy(tmp, this);
        }
    }

    // ---- pointwise --------------------------------------------------------------------------

    public Tensor add(Tensor o) { return Pointwise.add(this, o); }
    public Tensor add(double v) { return Pointwise.add(this, v); }
    public Tensor sub(Tensor o) { return Pointwise.sub(this, o); }
    public Tensor sub(double v) { return Pointwise.add(this, -v); }
    public Tensor mul(Tensor o) { return Pointwise.mul(this, o); }
    public Tensor mul(double v) { return Pointwise.mul(this, v); }
    public Tensor div(Tensor o) { return Pointwise.div(this, o); }
    public Tensor div(double v) { return Pointwise.mul(this, 1.0 / v); }
    public Tensor pow(double e) { return Pointwise.pow(this, e); }
    public Tensor pow(Tensor e) { return Pointwise.pow(this, e); }
    public Tensor neg() { return Pointwise.neg(this); }
    public Tensor exp() { return Pointwise.exp(this); }
    public Tensor log() { return Pointwise.log(this); }
    public Tensor sqrt() { return Pointwise.sqrt(this); }
    public Tensor abs() { return Pointwise.abs(this); }
    public Tensor clamp(double min, double max) { return Pointwise.clamp(this, min, max); }
    public Tensor relu() { return Pointwise.relu(this); }
    public Tensor sigmoid() { return Pointwise.sigmoid(this); }
    public Tensor tanh() { return Pointwise.tanh(this); }
    public Tensor eq(Tensor o) { return Pointwise.compare(BinaryOp.EQ, this, o); }
    public Tensor gt(Tensor o) { return Pointwise.compare(BinaryOp.GT, this, o); }
    public Tensor lt(Tensor o) { return Pointwise.compare(BinaryOp.LT, this, o); }

    // ---- reductions -------------------------------------------------------------------------

    public Tensor sum() { return Reductions.sum(this); }
    public Tensor sum(int dim, boolean keepDim) { return Reductions.sum(this, new int[] {dim}, keepDim); }
    public Tensor sum(int[] dims, boolean keepDim) { return Reductions.sum(this, dims, keepDim); }
    public Tensor mean() { return Reductions.mean(this); }
    public Tensor mean(int dim, boolean keepDim) { return Reductions.mean(this, new int[] {dim}, keepDim); }
    public Tensor mean(int[] dims, boolean keepDim) { return Reductions.mean(this, dims, keepDim); }
    public Tensor max() { return Reductions.max(this); }
    public Reductions.MaxResult max(int dim, boolean keepDim) { return Reductions.max(this, dim, keepDim); }
    public Tensor argmax(int dim, boolean keepDim) { return Reductions.argmax(this, dim, keepDim); }

    // ---- linear algebra ---------------------------------------------------------------------

    public Tensor matmul(Tensor o) { return LinearAlgebra.matmul(this, o); }

    // ---- views ------------------------------------------------------------------------------

    public Tensor reshape(int... newShape) { return Views.reshape(this, newShape); }
    public Tensor view(int... newShape) { return Views.view(this, newShape); }
    public Tensor permute(int... dims) { return Views.permute(this, dims); }
    public Tensor transpose(int d0, int d1) { return Views.transpose(this, d0, d1); }
    /** Transpose of a 2-D tensor. */
    public Tensor t() { return Views.transpose(this, 0, 1); }
    public Tensor narrow(int dim, int start, int length) { return Views.narrow(this, dim, start, length); }
    public Tensor expand(int... newShape) { return Views.expand(this, newShape); }
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }
    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }
    public Tensor flatten(int startDim, int endDim) { return Views.flatten(this, startDim, endDim); }
    public Tensor flatten() { return Views.flatten(this, 0, -1); }

    // ---- activations and indexing -------------------------------------------------------------

    public Tensor softmax(int dim) { return Activations.softmax(this, dim); }
    public Tensor logSoftmax(int dim) { return Activations.logSoftmax(this, dim); }
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }
    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }

    /** Concatenation helper: {@code Joining.cat}. */
    public static Tensor cat(java.util.List<Tensor> tensors, int dim) { return Joining.cat(tensors, dim); }

    public static Tensor stack(java.util.List<Tensor> tensors, int dim) { return Joining.stack(tensors, dim); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("tensor(shape=").append(Shapes.str(shape)).append(", dtype=").append(dtype());
        if (!device().isCpu()) sb.append(", device=").append(device());
        if (gradFn != null) sb.append(", grad_fn=").append(gradFn.opName());
        else if (requiresGrad) sb.append(", requires_grad=true");
        int n = numel();
        if (n <= 16) sb.append(", values=").append(Arrays.toString(toDoubleArray()));
        return sb.append(')').toString();
    }
}
