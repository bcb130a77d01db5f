package org.uactn.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Safetensors round trips, half-precision reading, a PyTorch-written fixture, and hostile files. */
class SafetensorsTest {
    @TempDir Path dir;

    private static final Path PARITY = Path.of("src/test/resources/fixtures/parity");

    @Test
    void roundTripsEveryDtypeWithMetadataAndOrder() throws IOException {
        LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
        in.put("z_f32", Tensor.of(new float[] {1.5f, -2f, Float.NaN, Float.POSITIVE_INFINITY, -0f, Float.MIN_VALUE}, 2, 3));
        in.put("a_f64", Tensor.of(new double[] {Math.PI, -1e300, Double.MIN_VALUE, 0}, 4));
        in.put("i64", Tensor.ofLong(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, 2, 1, 2));
        in.put("i32", Tensor.ofInt(new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}, 3));
        in.put("scalar", Tensor.scalar(3.25));
        in.put("empty", Tensor.zeros(DType.FLOAT64, org.uactn.core.tensor.Device.CPU, 0, 3));
        in.put("ünïcode \"name\"", Tensor.ofInt(new int[] {1}, 1));
        Path f = dir.resolve("all.safetensors");
        Safetensors.write(f, in, Map.of("format", "pt", "note", "ä \"quoted\""));

        Safetensors.Contents c = Safetensors.readWithMetadata(f);
        assertEquals(List.copyOf(in.keySet()), List.copyOf(c.tensors().keySet()));
        assertEquals(Map.of("format", "pt", "note", "ä \"quoted\""), c.metadata());
        for (String name : in.keySet()) assertSameTensor(in.get(name), c.tensors().get(name), name);
        assertEquals(0, c.tensors().get("scalar").dim());
        assertArrayEquals(new int[] {0, 3}, c.tensors().get("empty").shape());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(c.tensors().get("z_f32").toFloatArray()[4]));
    }

    /** Data moves in 1 MiB chunks; these sizes cross chunk boundaries at odd element counts. */
    @Test
    void roundTripsTensorsSpanningSeveralChunks() throws IOException {
        float[] f = new float[700_001];
        long[] l = new long[300_003];
        for (int i = 0; i < f.length; i++) f[i] = i * 0.5f - 7;
        for (int i = 0; i < l.length; i++) l[i] = (long) i * 1_000_003L - 5;
        LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
        in.put("small", Tensor.ofInt(new int[] {1, 2, 3}, 3)); // shifts the later tensors off 8-byte alignment
        in.put("f", Tensor.of(f, f.length));
        in.put("l", Tensor.ofLong(l, l.length));
        Path file = dir.resolve("big.safetensors");
        Safetensors.write(file, in);
        Map<String, Tensor> back = Safetensors.read(file);
        assertArrayEquals(f, back.get("f").toFloatArray());
        assertArrayEquals(l, back.get("l").toLongArray());
        Path npy = dir.resolve("big.npy");
        Npy.write(npy, in.get("l"));
        assertArrayEquals(l, Npy.read(npy).toLongArray());
    }

    @Test
    void writesNonContiguousViewsInCOrderWithAlignedHeader() throws IOException {
        Tensor base = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = base.t(); // [3, 2] view with strides [1, 3]
        Path f = dir.resolve("t.safetensors");
        Safetensors.write(f, Map.of("t", t));
        Tensor back = Safetensors.read(f).get("t");
        assertArrayEquals(new int[] {3, 2}, back.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.toFloatArray());
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8, "data area should start 8-byte aligned");
        assertEquals('{', bytes[8]);
        assertEquals(8 + n + 24, bytes.length);
    }

    @Test
    void overwritesAtomicallyWithoutLeavingTemporaryFiles() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, Map.of("a", Tensor.of(new float[] {1, 2}, 2)));
        Safetensors.write(f, Map.of("b", Tensor.ofLong(new long[] {9}, 1)));
        Map<String, Tensor> back = Safetensors.read(f);
        assertEquals(List.of("b"), List.copyOf(back.keySet()));
        assertArrayEquals(new long[] {9}, back.get("b").toLongArray());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void rejectsReservedNameOnWrite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(dir.resolve("m.safetensors"), Map.of("__metadata__", Tensor.scalar(1))));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("m.safetensors")));
    }

    @Test
    void readsHalfAndBfloat16AsFloat32() throws IOException {
        // float16: 1, -2, 1/3 rounded, +inf, smallest subnormal; bfloat16: 1, -3, pi rounded.
        short[] f16 = {0x3C00, (short) 0xC000, 0x3555, 0x7C00, 0x0001};
        short[] bf16 = {0x3F80, (short) 0xC040, 0x4049};
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : f16) data.putShort(s);
        for (short s : bf16) data.putShort(s);
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[5],\"data_offsets\":[0,10]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[10,16]}}";
        Path f = file("half.safetensors", header, data.array());
        Map<String, Tensor> t = Safetensors.read(f);
        assertEquals(DType.FLOAT32, t.get("h").dtype());
        assertArrayEquals(new float[] {1f, -2f, 0.333251953125f, Float.POSITIVE_INFINITY, 5.9604645e-8f}, t.get("h").toFloatArray());
        assertArrayEquals(new float[] {1f, -3f, 3.140625f}, t.get("b").toFloatArray());
    }

    /** A file written by the committed PyTorch script; the output is checked against x W^T + b computed here. */
    @Test
    void readsFileWrittenByPyTorchScript() throws IOException {
        Safetensors.Contents c = Safetensors.readWithMetadata(PARITY.resolve("linear.safetensors"));
        assertEquals("linear", c.metadata().get("op"));
        assertEquals(List.of("x", "w", "b", "out", "grad_out", "grad_x", "grad_w", "grad_b"), List.copyOf(c.tensors().keySet()));
        Tensor x = c.tensors().get("x"), w = c.tensors().get("w"), b = c.tensors().get("b"), out = c.tensors().get("out");
        assertArrayEquals(new int[] {2, 4, 5}, x.shape());
        assertArrayEquals(new int[] {3, 5}, w.shape());
        assertArrayEquals(new int[] {2, 4, 3}, out.shape());
        float[] xv = x.toFloatArray(), wv = w.toFloatArray(), bv = b.toFloatArray(), ov = out.toFloatArray();
        for (int r = 0; r < 8; r++) {
            for (int o = 0; o < 3; o++) {
                double s = bv[o];
                for (int k = 0; k < 5; k++) s += (double) xv[r * 5 + k] * wv[o * 5 + k];
                assertEquals(s, ov[r * 3 + o], 1e-5 * (1 + Math.abs(s)));
            }
        }
        Tensor target = Safetensors.read(PARITY.resolve("cross_entropy_mean.safetensors")).get("target");
        assertEquals(DType.INT64, target.dtype());
        for (long v : target.toLongArray()) assertTrue(v >= 0 && v < 5);
    }

    // ---- hostile files ----------------------------------------------------------------------

    private static final String ONE = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test
    void rejectsBadHeaderLengths() throws IOException {
        expectError(raw("empty", new byte[0]), "too short");
        expectError(raw("short", new byte[] {1, 2, 3}), "too short");
        expectError(withLength("past", 4096, ONE, new byte[8]), "runs past the end");
        expectError(withLength("absurd", 1L << 40, ONE, new byte[8]), "absurd");
        expectError(withLength("negative", -1L, ONE, new byte[8]), "absurd");
        expectError(withLength("cut", ONE.length() - 5, ONE, new byte[0]), "invalid header JSON");
    }

    @Test
    void rejectsMalformedJson() throws IOException {
        expectError(file("trunc", "{\"a\": ", new byte[0]), "invalid header JSON");
        expectError(file("array", "[1, 2]", new byte[0]), "invalid header JSON");
        expectError(file("trailing", ONE + " {}", new byte[8]), "invalid header JSON");
        expectError(file("wrongkind", "{\"a\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", new byte[8]), "invalid header JSON");
        expectError(file("missing", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", new byte[8]), "needs dtype, shape and data_offsets");
        expectError(file("frac", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.5]}}", new byte[8]), "not an integer");
        expectError(file("threeoffsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", new byte[8]), "[begin, end]");
        expectError(file("meta", "{\"__metadata__\":{\"k\":3}," + ONE.substring(1), new byte[8]), "must be a string");
        byte[] bad = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        expectError(rawHeader("utf8", bad, new byte[0]), "not valid UTF-8");
    }

    @Test
    void rejectsBadTypesAndShapes() throws IOException {
        expectError(file("dtype", "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]), "unsupported dtype 'U8'");
        expectError(file("negdim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8]), "invalid dimension -2");
        // 2^40 elements, whether declared as one dimension or as a product of two.
        expectError(file("huge1", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1099511627776],\"data_offsets\":[0,8]}}", new byte[8]),
                "invalid dimension 1099511627776");
        expectError(file("huge2", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1048576,1048576],\"data_offsets\":[0,8]}}", new byte[8]),
                "has more than");
        String big = "2147483647,".repeat(5);
        expectError(file("overflow", "{\"a\":{\"dtype\":\"F64\",\"shape\":[" + big + "2],\"data_offsets\":[0,8]}}", new byte[8]), "has more than");
        expectError(file("size", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", new byte[12]),
                "span 12 bytes but F32 shape [2, 2] needs 16");
    }

    @Test
    void rejectsBadOffsets() throws IOException {
        expectError(file("outside", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]),
                "outside the data area of 8 bytes");
        expectError(file("order", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", new byte[8]), "out of order");
        expectError(file("overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]), "'a' and 'b' overlap");
        expectError(file("hole", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]), "belong to no tensor");
        expectError(file("tail", ONE, new byte[12]), "4 trailing bytes");
        expectError(file("dup", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "duplicate tensor name 'a'");
    }

    // ---- helpers ----------------------------------------------------------------------------

    private void expectError(Path f, String fragment) {
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f), f.toString());
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should contain '" + fragment + "'");
        assertTrue(e.getMessage().contains(f.getFileName().toString()), "message should name the file: " + e.getMessage());
    }

    private Path file(String name, String header, byte[] data) throws IOException {
        return rawHeader(name, header.getBytes(StandardCharsets.UTF_8), data);
    }

    private Path rawHeader(String name, byte[] header, byte[] data) throws IOException {
        return build(name, header.length, header, data);
    }

    private Path withLength(String name, long declared, String header, byte[] data) throws IOException {
        return build(name, declared, header.getBytes(StandardCharsets.UTF_8), data);
    }

    private Path build(String name, long declared, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declared).put(header).put(data);
        return raw(name, b.array());
    }

    private Path raw(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name + ".safetensors"), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertSameTensor(Tensor expected, Tensor actual, String name) {
        assertEquals(expected.dtype(), actual.dtype(), name);
        assertArrayEquals(expected.shape(), actual.shape(), name);
        switch (expected.dtype()) {
            case FLOAT32 -> {
                float[] e = expected.toFloatArray(), a = actual.toFloatArray();
                for (int i = 0; i < e.length; i++) assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), name + "[" + i + "]");
            }
            case FLOAT64 -> {
                double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
                for (int i = 0; i < e.length; i++) assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), name + "[" + i + "]");
            }
            case INT64 -> assertArrayEquals(expected.toLongArray(), actual.toLongArray(), name);
            case INT32 -> assertArrayEquals(expected.toIntArray(), actual.toIntArray(), name);
        }
    }
}
