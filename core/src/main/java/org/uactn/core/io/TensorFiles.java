package org.uactn.core.io;

import org.uactn.core.backend.Backends;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Plumbing shared by the tensor file formats: bounded element reads and writes over a FileChannel,
 * atomic replacement of a target file, and wrapping host arrays as CPU tensors without a copy.
 */
final class TensorFiles {
    private TensorFiles() {}

    /** Element encodings found in files; F16 and BF16 exist only on disk and widen to float32. */
    enum Encoding {
        F16(2, DType.FLOAT32), BF16(2, DType.FLOAT32), F32(4, DType.FLOAT32), F64(8, DType.FLOAT64),
        I32(4, DType.INT32), I64(8, DType.INT64);

        final int bytes;
        final DType dtype;

        Encoding(int bytes, DType dtype) {
            this.bytes = bytes;
            this.dtype = dtype;
        }

        static Encoding of(DType dtype) {
            return switch (dtype) {
                case FLOAT32 -> F32;
                case FLOAT64 -> F64;
                case INT32 -> I32;
                case INT64 -> I64;
            };
        }
    }

    /** Bytes moved per read/write call; a multiple of every element size so no element straddles two chunks. */
    private static final int CHUNK = 1 << 20;

    /**
     * Element count of a shape declared in a file, or -1 when the product exceeds what a tensor
     * may hold. Callers have already checked every dimension is in [0, Integer.MAX_VALUE].
     */
    static long numelOrMinusOne(long[] shape) {
        for (long d : shape) if (d == 0) return 0;
        long n = 1;
        for (long d : shape) {
            if (n > Shapes.MAX_NUMEL / d) return -1;
            n *= d;
        }
        return n;
    }

    static int[] toIntShape(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = (int) shape[i];
        return s;
    }

    /**
     * Reads numel elements starting at byte pos into a fresh host array of enc's dtype. The
     * caller has validated that numel * enc.bytes lies inside the file; running out of bytes
     * anyway (the file shrank) is reported as truncation.
     */
    static Object readElements(FileChannel ch, long pos, int numel, Encoding enc, ByteOrder order, String what) throws IOException {
        Object dst = switch (enc.dtype) {
            case FLOAT32 -> new float[numel];
            case FLOAT64 -> new double[numel];
            case INT32 -> new int[numel];
            case INT64 -> new long[numel];
        };
        if (numel == 0) return dst;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, (long) numel * enc.bytes)).order(order);
        int perChunk = buf.capacity() / enc.bytes;
        int done = 0;
        while (done < numel) {
            int count = Math.min(perChunk, numel - done);
            buf.clear().limit(count * enc.bytes);
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new EOFException(what + ": truncated: data ends at byte " + pos + " before all " + numel + " elements were read");
                }
                pos += n;
            }
            buf.flip();
            switch (enc) {
                case F32 -> buf.asFloatBuffer().get((float[]) dst, done, count);
                case F64 -> buf.asDoubleBuffer().get((double[]) dst, done, count);
                case I32 -> buf.asIntBuffer().get((int[]) dst, done, count);
                case I64 -> buf.asLongBuffer().get((long[]) dst, done, count);
                case F16 -> {
                    float[] f = (float[]) dst;
                    for (int i = 0; i < count; i++) f[done + i] = Float.float16ToFloat(buf.getShort(2 * i));
                }
                case BF16 -> {
                    // bfloat16 is the top half of a float32, so widening is a shift.
                    float[] f = (float[]) dst;
                    for (int i = 0; i < count; i++) f[done + i] = Float.intBitsToFloat((buf.getShort(2 * i) & 0xffff) << 16);
                }
            }
            done += count;
        }
        return dst;
    }

    /** The tensor's elements in C order as a host array of its own dtype (a copy, downloaded if on a device). */
    static Object hostElements(Tensor t) {
        return switch (t.dtype()) {
            case FLOAT32 -> t.toFloatArray();
            case FLOAT64 -> t.toDoubleArray();
            case INT32 -> t.toIntArray();
            case INT64 -> t.toLongArray();
        };
    }

    static void writeElements(FileChannel ch, Object src, Encoding enc, ByteOrder order) throws IOException {
        int numel = switch (src) {
            case float[] f -> f.length;
            case double[] d -> d.length;
            case int[] i -> i.length;
            case long[] l -> l.length;
            default -> throw new IllegalArgumentException("unsupported host array " + src.getClass());
        };
        if (numel == 0) return;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, (long) numel * enc.bytes)).order(order);
        int perChunk = buf.capacity() / enc.bytes;
        for (int done = 0; done < numel; ) {
            int count = Math.min(perChunk, numel - done);
            buf.clear();
            switch (enc) {
                case F32 -> buf.asFloatBuffer().put((float[]) src, done, count);
                case F64 -> buf.asDoubleBuffer().put((double[]) src, done, count);
                case I32 -> buf.asIntBuffer().put((int[]) src, done, count);
                case I64 -> buf.asLongBuffer().put((long[]) src, done, count);
                default -> throw new IllegalArgumentException("writing " + enc + " is not supported");
            }
            buf.limit(count * enc.bytes);
            writeFully(ch, buf);
            done += count;
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** A contiguous CPU tensor that owns the given array (no copy). */
    static Tensor cpuTensor(Object array, DType dtype, int[] shape) {
        return new Tensor(Backends.get(Device.CPU).upload(array, dtype), shape, Shapes.contiguousStrides(shape), 0);
    }

    interface Body {
        void write(FileChannel ch) throws IOException;
    }

    /**
     * Writes a file so that readers see either the old content or the complete new one: the body
     * goes to a temporary file in the same folder (same file system, so the rename is atomic),
     * which is synced and then moved over the target.
     */
    static void writeAtomically(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.write(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
        }
    }
}
