package org.uactn.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .npy round trips, numpy's own output, header versions 1-3, big-endian data, and hostile files. */
class NpyTest {
    @TempDir Path dir;

    @Test
    void roundTripsEveryDtypeAndShape() throws IOException {
        List<Tensor> cases = List.of(
                Tensor.of(new float[] {1.5f, -2f, Float.NaN, Float.NEGATIVE_INFINITY, -0f, 7f}, 2, 3),
                Tensor.of(new double[] {Math.E, -1e-300, 0, 42}, 4),
                Tensor.ofLong(new long[] {Long.MIN_VALUE, 3, Long.MAX_VALUE, -5}, 2, 1, 2),
                Tensor.ofInt(new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, 3),
                Tensor.scalar(-0.125),
                Tensor.zeros(DType.INT32, Device.CPU, 0, 4),
                Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t());
        int k = 0;
        for (Tensor t : cases) {
            Path f = dir.resolve("t" + (k++) + ".npy");
            Npy.write(f, t);
            byte[] bytes = Files.readAllBytes(f);
            assertEquals(1, bytes[6], "version 1.0 for small headers");
            int headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff;
            assertEquals(0, (10 + headerLen) % 64, "data start is 64-byte aligned as numpy does");
            assertEquals('\n', bytes[10 + headerLen - 1]);
            SafetensorsTest.assertSameTensor(t.contiguous(), Npy.read(f), f.getFileName().toString());
        }
        String header = new String(Files.readAllBytes(dir.resolve("t1.npy")), StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }"), header);
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".tmp")), "temporary files left behind");
        }
    }

    @Test
    void switchesToVersion2ForLongHeaders() throws IOException {
        int[] shape = new int[25_000];
        Arrays.fill(shape, 1);
        shape[7] = 2;
        Tensor t = Tensor.of(new float[] {3f, 4f}, shape);
        Path f = dir.resolve("long.npy");
        Npy.write(f, t);
        byte[] bytes = Files.readAllBytes(f);
        assertEquals(2, bytes[6]);
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(8) & 0xffffffffL;
        assertTrue(headerLen > 65535);
        assertEquals(0, (12 + headerLen) % 64);
        Tensor back = Npy.read(f);
        assertArrayEquals(shape, back.shape());
        assertArrayEquals(new float[] {3f, 4f}, back.toFloatArray());
    }

    @Test
    void readsNumpysOwnFile() throws IOException {
        Tensor t = Npy.read(Path.of("src/test/resources/fixtures/parity/numpy_float32_2x3x4.npy"));
        assertEquals(DType.FLOAT32, t.dtype());
        assertArrayEquals(new int[] {2, 3, 4}, t.shape());
        float[] v = t.toFloatArray();
        for (int i = 0; i < 24; i++) assertEquals(i * 0.25f - 1.5f, v[i]);
    }

    @Test
    void readsVersion3AndBigEndianData() throws IOException {
        ByteBuffer be = ByteBuffer.allocate(8 * 3).order(ByteOrder.BIG_ENDIAN);
        be.putDouble(1.25).putDouble(-3.5).putDouble(1e100);
        Tensor d = Npy.read(npy("be_f8", 3, "{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }", be.array()));
        assertArrayEquals(new double[] {1.25, -3.5, 1e100}, d.toDoubleArray());

        ByteBuffer bi = ByteBuffer.allocate(4 * 2).order(ByteOrder.BIG_ENDIAN).putInt(-7).putInt(123456789);
        assertArrayEquals(new int[] {-7, 123456789},
                Npy.read(npy("be_i4", 2, "{\"descr\": \">i4\", \"shape\": (2, 1), \"fortran_order\": False}", bi.array())).toIntArray());

        ByteBuffer bl = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(-1234567890123L);
        assertArrayEquals(new long[] {-1234567890123L},
                Npy.read(npy("be_i8", 1, "{'descr': '>i8', 'fortran_order': False, 'shape': (1L,), }", bl.array())).toLongArray());

        ByteBuffer bf = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putFloat(0.1f);
        Tensor s = Npy.read(npy("be_f4", 1, "{'descr': '>f4', 'fortran_order': False, 'shape': (), }", bf.array()));
        assertEquals(0, s.dim());
        assertEquals(0.1f, s.toFloatArray()[0]);
    }

    @Test
    void rejectsHostileFiles() throws IOException {
        String ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        byte[] eight = new byte[8];
        expectError(raw("tiny", new byte[] {(byte) 0x93, 'N'}), "too short");
        byte[] good = Files.readAllBytes(npy("good", 1, ok, eight));
        good[1] = 'X';
        expectError(raw("magic", good), "bad magic");
        expectError(npy("version", 4, ok, eight), "unsupported npy version 4.0");
        expectError(withLength("longhdr", 2, 1L << 31, ok, eight), "too long");
        expectError(withLength("pasteof", 1, 60000, ok, eight), "runs past the end");
        expectError(npy("fortran", 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", eight), "fortran_order=True");
        expectError(npy("u1", 1, "{'descr': '|u1', 'fortran_order': False, 'shape': (8,), }", eight), "unsupported descr '|u1'");
        expectError(npy("f2", 1, "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }", eight), "unsupported descr '<f2'");
        expectError(npy("struct", 1, "{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (1,), }", eight),
                "not a simple dtype");
        expectError(npy("trunc", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", eight),
                "truncated data: shape [4] of <f4 needs 16 bytes, file holds 8");
        expectError(npy("trail", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", eight), "4 unexpected trailing bytes");
        expectError(npy("neg", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", eight), "non-negative integers");
        expectError(npy("huge", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576), }", eight), "has more than");
        expectError(npy("bigdim", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", eight),
                "invalid dimension 1099511627776");
        expectError(npy("overflow", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,), }", eight),
                "out of range");
        expectError(npy("missing", 1, "{'descr': '<f4', 'shape': (2,), }", eight), "must be exactly descr, fortran_order, shape");
        expectError(npy("extra", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", eight), "malformed header");
        expectError(npy("dupkey", 1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", eight), "duplicate key 'descr'");
        expectError(npy("unterminated", 1, "{'descr': '<f4, 'fortran_order': False", eight), "malformed header");
        expectError(npy("after", 1, ok + " junk", eight), "unexpected text after the header dict");
    }

    private void expectError(Path f, String fragment) {
        IOException e = assertThrows(IOException.class, () -> Npy.read(f), f.toString());
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should contain '" + fragment + "'");
        assertTrue(e.getMessage().contains(f.getFileName().toString()), "message should name the file: " + e.getMessage());
    }

    private Path npy(String name, int major, String header, byte[] data) throws IOException {
        byte[] h = (header + "\n").getBytes(StandardCharsets.UTF_8);
        return withLength(name, major, h.length, header + "\n", data);
    }

    private Path withLength(String name, int major, long declared, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int prefix = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(prefix + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}).put((byte) major).put((byte) 0);
        if (major == 1) b.putShort((short) declared); else b.putInt((int) declared);
        b.put(h).put(data);
        return raw(name, b.array());
    }

    private Path raw(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name + ".npy"), bytes);
    }
}
