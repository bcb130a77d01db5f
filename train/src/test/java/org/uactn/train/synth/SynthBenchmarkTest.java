// The synthetic benchmark: layout read back by DatasetReader, manifest contents, determinism across thread counts, and the pixel baseline at defaults.
package org.uactn.train.synth;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uactn.render.mesh.Mesh;
import org.uactn.render.mesh.MeshReaders;
import org.uactn.train.data.DatasetReader;
import org.uactn.train.data.SbsrDataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class SynthBenchmarkTest {
    @TempDir
    static Path tmp;
    static SynthBenchmark.Result defaults;
    static Path defaultsDir;

    @BeforeAll
    static void generateDefaults() {
        defaultsDir = tmp.resolve("default");
        defaults = SynthBenchmark.generate(SynthBenchmark.Config.defaults(), defaultsDir, new SynthBenchmark.Listener() {});
    }

    @Test
    void defaultBenchmarkIsReadBackWithoutProblems() {
        SbsrDataset d = DatasetReader.read(defaultsDir);
        assertEquals(SbsrDataset.Format.SYNTHETIC, d.format());
        assertEquals(15, d.classes().size());
        assertEquals(150, d.models().size());
        assertEquals(300, d.sketches(SbsrDataset.Split.TRAIN).size());
        assertEquals(150, d.sketches(SbsrDataset.Split.TEST).size());
        assertEquals(List.of(), d.problems());
        for (SbsrDataset.Model m : d.models()) {
            assertEquals(12, m.views().size(), m.id());
            assertNotNull(m.mesh(), m.id());
        }
        Mesh mesh = MeshReaders.read(d.models().getFirst().mesh());
        assertTrue(mesh.triangleCount() > 50, mesh.toString());
    }

    @Test
    void pixelBaselineStaysLowAndIsRecomputedFromDisk() {
        assertTrue(defaults.baselineMap() <= 0.35, "baseline mAP " + defaults.baselineMap());
        assertTrue(defaults.baselineMap() > 0.1, "baseline mAP " + defaults.baselineMap() + " (chance is ~0.1: the images carry class information)");
        double again = PixelBaseline.evaluate(DatasetReader.read(defaultsDir));
        assertEquals(defaults.baselineMap(), again, 1e-4);
    }

    @Test
    void manifestRecordsEachSketchsQuality() throws Exception {
        JsonObject m = JsonParser.parseString(Files.readString(defaultsDir.resolve("manifest.json"))).getAsJsonObject();
        var sketches = m.getAsJsonArray("sketches");
        assertEquals(450, sketches.size());
        int low = 0, lowTest = 0;
        for (var e : sketches) {
            JsonObject s = e.getAsJsonObject();
            String q = s.get("quality").getAsString();
            assertTrue(q.equals("clean") || q.equals("low"), q);
            assertEquals(q.equals("low"), !s.getAsJsonArray("corruptions").isEmpty(), s.toString());
            assertTrue(Files.isRegularFile(defaultsDir.resolve(s.get("file").getAsString())), s.toString());
            if (q.equals("low")) { low++; if (s.get("split").getAsString().equals("test")) lowTest++; }
        }
        assertEquals(90, low); // round(0.2 * 20) = 4 train + round(0.2 * 10) = 2 test, in each of 15 classes
        assertEquals(30, lowTest);
        assertEquals(defaults.baselineMap(), m.getAsJsonObject("pixelBaseline").get("mAP").getAsDouble(), 1e-4);
    }

    @Test
    void sameSeedSameFilesWhateverTheThreads() throws Exception {
        SynthBenchmark.Config c = SynthBenchmark.Config.defaults().withClasses(4).withShapes(2).withSketches(3, 2).withSize(48).withViews(3).withNoise(0.5);
        Path a = tmp.resolve("a"), b = tmp.resolve("b"), other = tmp.resolve("other");
        SynthBenchmark.generate(c.withThreads(1), a, new SynthBenchmark.Listener() {});
        SynthBenchmark.generate(c.withThreads(3), b, new SynthBenchmark.Listener() {});
        SynthBenchmark.generate(c.withSeed(99), other, new SynthBenchmark.Listener() {});
        List<Path> files = list(a);
        assertEquals(files, list(b));
        assertTrue(files.size() > 40, files.toString());
        for (Path f : files) assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
        assertFalse(Arrays.equals(Files.readAllBytes(a.resolve("sketches/chair/train/1.png")), Files.readAllBytes(other.resolve("sketches/chair/train/1.png"))));
        assertFalse(Arrays.equals(Files.readAllBytes(a.resolve("models/chair/m1.off")), Files.readAllBytes(other.resolve("models/chair/m1.off"))));
    }

    @Test
    void familiesVaryWithinAClass() {
        for (ShapeFamilies.Family f : ShapeFamilies.ALL) {
            // Aspect (height over horizontal radius, blind to the turn about Y) over a few seeds must spread.
            double lo = Double.MAX_VALUE, hi = 0;
            for (int seed = 1; seed <= 5; seed++) {
                float[] e = extent(f.create(new SplittableRandom(seed), "x"));
                double aspect = e[0] / e[1];
                lo = Math.min(lo, aspect);
                hi = Math.max(hi, aspect);
            }
            assertTrue(hi / lo > 1.05, f.name() + ": aspect ratios over 5 seeds within " + lo + ".." + hi);
        }
        assertTrue(ShapeFamilies.ALL.size() >= 15);
    }

    @Test
    void lowQualityCountIsExact() {
        boolean[] l = SynthBenchmark.lowQuality(3, 0, 0, 20, 0.25);
        int n = 0;
        for (boolean b : l) if (b) n++;
        assertEquals(5, n);
        assertArrayEquals(l, SynthBenchmark.lowQuality(3, 0, 0, 20, 0.25));
    }

    /** Height (y extent) and horizontal extents, independent of the random turn about Y: bounding radius in XZ and height. */
    private static float[] extent(Mesh m) {
        float[] p = m.positions();
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE, r = 0;
        for (int i = 0; i < p.length; i += 3) {
            lo = Math.min(lo, p[i + 1]);
            hi = Math.max(hi, p[i + 1]);
            r = Math.max(r, (float) Math.hypot(p[i], p[i + 2]));
        }
        return new float[]{hi - lo, r, m.vertexCount()};
    }

    private static List<Path> list(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
