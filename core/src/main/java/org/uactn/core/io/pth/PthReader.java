package org.uactn.core.io.pth;

import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the state_dict in a PyTorch {@code .pth}/{@code .pt} file as written by {@code torch.save}
 * (a zip archive holding {@code data.pkl} and one raw little-endian record per storage). The pickle
 * goes through {@link PickleReader}, which accepts only what state_dicts contain. Half and bfloat16
 * tensors become float32; 8- and 16-bit integer and bool tensors become int32.
 */
public final class PthReader {
    private PthReader() {}

    public static Map<String, Tensor> read(Path file) throws IOException {
        byte[] magic = new byte[4];
        try (InputStream s = Files.newInputStream(file)) {
            if (s.readNBytes(magic, 0, 4) < 4 || magic[0] != 'P' || magic[1] != 'K') {
                throw new IllegalArgumentException(file + ": not a zip-format PyTorch file; the legacy (pre-1.6) format is not supported,"
                        + " re-save it with torch.save(state_dict, path) from a recent PyTorch");
            }
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = null;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry z = e.nextElement();
                if (z.getName().endsWith("/data.pkl") || z.getName().equals("data.pkl")) {
                    if (pkl != null) throw new IllegalArgumentException(file + ": more than one data.pkl in the archive");
                    pkl = z;
                }
            }
            if (pkl == null) throw new IllegalArgumentException(file + ": no data.pkl in the archive; is this a TorchScript or other file?");
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            byte[] pickle = readEntry(zip, pkl, 256L << 20, file);
            Object root = new PickleReader(pickle, file + ":" + pkl.getName()).load();
            Map<String, Tensor> out = new LinkedHashMap<>();
            Map<String, ByteBuffer> storages = new LinkedHashMap<>();
            collect(root, "", out, storages, zip, prefix, file);
            if (out.isEmpty()) throw new IllegalArgumentException(file + ": holds no tensors");
            return out;
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(file + ": corrupt zip archive: " + e.getMessage());
        }
    }

    private static void collect(Object node, String prefix, Map<String, Tensor> out, Map<String, ByteBuffer> storages,
                                ZipFile zip, String archivePrefix, Path file) throws IOException {
        if (node instanceof PickleReader.TensorRef t) {
            out.put(prefix, materialise(t, prefix, storages, zip, archivePrefix, file));
        } else if (node instanceof Map<?, ?> m) {
            // A training checkpoint often wraps the weights: {'state_dict': ..., 'epoch': ...}.
            Object inner = prefix.isEmpty() ? (m.containsKey("state_dict") ? m.get("state_dict") : m.get("model")) : null;
            if (inner instanceof Map<?, ?>) {
                collect(inner, "", out, storages, zip, archivePrefix, file);
                return;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
                collect(e.getValue(), key, out, storages, zip, archivePrefix, file);
            }
        }
        // Other values (epochs, strings, hyper-parameters) carry no weights and are skipped.
    }

    private static Tensor materialise(PickleReader.TensorRef t, String name, Map<String, ByteBuffer> storages,
                                      ZipFile zip, String archivePrefix, Path file) throws IOException {
        String type = t.storage().storageType();
        int elem = switch (type) {
            case "torch.FloatStorage", "torch.IntStorage" -> 4;
            case "torch.DoubleStorage", "torch.LongStorage" -> 8;
            case "torch.HalfStorage", "torch.BFloat16Storage", "torch.ShortStorage" -> 2;
            case "torch.CharStorage", "torch.ByteStorage", "torch.BoolStorage" -> 1;
            default -> throw new IllegalArgumentException(file + ": tensor '" + name + "' has unsupported storage " + type);
        };
        long numel = t.storage().numel();
        if (numel < 0 || numel * elem > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' storage of " + numel + " elements is too large");
        }
        ByteBuffer data = storages.get(t.storage().key());
        if (data == null) {
            String entryName = archivePrefix + "data/" + t.storage().key();
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null) throw new IllegalArgumentException(file + ": storage record '" + entryName + "' of tensor '" + name + "' is missing");
            byte[] bytes = readEntry(zip, entry, numel * elem, file);
            if (bytes.length < numel * elem) {
                throw new IllegalArgumentException(file + ": storage '" + entryName + "' holds " + bytes.length + " bytes, tensor '" + name
                        + "' needs " + numel * elem);
            }
            data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            storages.put(t.storage().key(), data);
        }
        int rank = t.shape().length;
        if (t.stride().length != rank) throw new IllegalArgumentException(file + ": tensor '" + name + "' has mismatched size and stride");
        int[] shape = new int[rank];
        long last = t.offset();
        for (int i = 0; i < rank; i++) {
            if (t.shape()[i] < 0 || t.shape()[i] > Integer.MAX_VALUE || t.stride()[i] < 0) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' has an invalid shape or stride");
            }
            shape[i] = (int) t.shape()[i];
            if (shape[i] > 0) last += (shape[i] - 1) * t.stride()[i];
        }
        int n = Shapes.numel(shape);
        if (t.offset() < 0 || (n > 0 && last >= numel)) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' reaches past the end of its storage (" + numel + " elements)");
        }
        int[] index = new int[rank];
        long[] stride = t.stride();
        boolean isFloat = type.equals("torch.FloatStorage") || type.equals("torch.HalfStorage") || type.equals("torch.BFloat16Storage");
        boolean isDouble = type.equals("torch.DoubleStorage");
        boolean isLong = type.equals("torch.LongStorage");
        float[] f = isFloat ? new float[n] : null;
        double[] d = isDouble ? new double[n] : null;
        long[] l = isLong ? new long[n] : null;
        int[] i32 = !isFloat && !isDouble && !isLong ? new int[n] : null;
        for (int k = 0; k < n; k++) {
            long pos = t.offset();
            for (int j = 0; j < rank; j++) pos += index[j] * stride[j];
            int at = (int) (pos * elem);
            switch (type) {
                case "torch.FloatStorage" -> f[k] = data.getFloat(at);
                case "torch.HalfStorage" -> f[k] = Float.float16ToFloat(data.getShort(at));
                case "torch.BFloat16Storage" -> f[k] = Float.intBitsToFloat((data.getShort(at) & 0xffff) << 16);
                case "torch.DoubleStorage" -> d[k] = data.getDouble(at);
                case "torch.LongStorage" -> l[k] = data.getLong(at);
                case "torch.IntStorage" -> i32[k] = data.getInt(at);
                case "torch.ShortStorage" -> i32[k] = data.getShort(at);
                case "torch.CharStorage" -> i32[k] = data.get(at);
                default -> i32[k] = data.get(at) & 0xff; // ByteStorage, BoolStorage
            }
            for (int j = rank - 1; j >= 0; j--) {
                if (++index[j] < shape[j]) break;
                index[j] = 0;
            }
        }
        if (f != null) return Tensor.of(f, shape);
        if (d != null) return Tensor.of(d, shape);
        if (l != null) return Tensor.ofLong(l, shape);
        return Tensor.ofInt(i32, shape);
    }

    private static byte[] readEntry(ZipFile zip, ZipEntry entry, long limit, Path file) throws IOException {
        if (entry.getSize() > limit) {
            throw new IllegalArgumentException(file + ": archive entry '" + entry.getName() + "' is " + entry.getSize() + " bytes, more than the " + limit + " expected");
        }
        try (InputStream s = zip.getInputStream(entry)) {
            byte[] b = s.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
            return b;
        }
    }
}
