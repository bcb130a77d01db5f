package org.uactn.core.io.pth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Tensor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Reads files written by torch.save (fixtures from core/src/test/python/make_pth_fixtures.py) and refuses hostile ones. */
class PthReaderTest {
    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(PthReaderTest.class.getResource("/fixtures/pth/" + name).toURI());
    }

    @Test
    void readsEveryTensorWithPyTorchValues() throws Exception {
        Map<String, Tensor> state = PthReader.read(fixture("tiny_state.pth"));
        List<String> lines = Files.readAllLines(fixture("tiny_state_expected.txt"));
        assertEquals(lines.size(), state.size());
        int i = 0;
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String[] parts = lines.get(i++).split("\t", -1);
            assertEquals(parts[0], e.getKey(), "key order follows the state_dict");
            int[] shape = parts[2].isEmpty() ? new int[0] : Arrays.stream(parts[2].split(",")).mapToInt(Integer::parseInt).toArray();
            assertArrayEquals(shape, e.getValue().shape(), parts[0]);
            double[] expected = parts[3].isEmpty() ? new double[0] : Arrays.stream(parts[3].split(",")).mapToDouble(Double::parseDouble).toArray();
            assertArrayEquals(expected, e.getValue().toDoubleArray(), 0, parts[0]);
        }
        assertEquals(DType.INT64, state.get("1.num_batches_tracked").dtype());
        assertEquals(1, state.get("1.num_batches_tracked").item());
        assertEquals(DType.FLOAT32, state.get("extra.half").dtype());
        assertEquals(DType.FLOAT64, state.get("extra.double").dtype());
        assertEquals(DType.INT32, state.get("extra.int").dtype());
    }

    @Test
    void unwrapsATrainingCheckpoint() throws Exception {
        Map<String, Tensor> state = PthReader.read(fixture("checkpoint.pth"));
        assertTrue(state.containsKey("0.weight"));
        assertTrue(state.containsKey("4.bias"));
        assertFalse(state.containsKey("epoch"));
    }

    @Test
    void refusesToCallArbitraryGlobals() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PthReader.read(fixture("evil.pth")));
        assertTrue(e.getMessage().contains("refusing to load global") && e.getMessage().contains("system"), e.getMessage());
    }

    @Test
    void refusesTheLegacyFormatClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PthReader.read(fixture("legacy.pth")));
        assertTrue(e.getMessage().contains("legacy"), e.getMessage());
    }

    @Test
    void truncatedAndCorruptArchivesGiveClearErrors(@TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(fixture("tiny_state.pth"));
        Path cut = dir.resolve("cut.pth");
        Files.write(cut, Arrays.copyOf(good, good.length / 2));
        assertThrows(IllegalArgumentException.class, () -> PthReader.read(cut));

        Path noPickle = dir.resolve("nopkl.pth");
        writeZip(noPickle, "a/version", "3\n".getBytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PthReader.read(noPickle));
        assertTrue(e.getMessage().contains("no data.pkl"), e.getMessage());

        Path truncatedPickle = dir.resolve("tp.pth");
        writeZip(truncatedPickle, "a/data.pkl", new byte[] {(byte) 0x80, 2, '}', 'q'});
        e = assertThrows(IllegalArgumentException.class, () -> PthReader.read(truncatedPickle));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    private static void writeZip(Path p, String name, byte[] data) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            z.putNextEntry(new ZipEntry(name));
            z.write(data);
            z.closeEntry();
        }
    }
}
