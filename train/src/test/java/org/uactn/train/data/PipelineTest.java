// The data pipeline: decoding, antialiased resize, augmentation ranges, normalisation, batching, determinism, balance and prefetch.
package org.uactn.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class PipelineTest {
    @TempDir
    Path tmp;

    static final Path FIX = Path.of("src/test/resources/datasets");

    @Test
    void decodesGreyColourAndTransparency() throws Exception {
        FloatImage g = ImageDecoder.read(FIX.resolve("imagefolder/cat/cat_0.png"));
        assertEquals(1, g.channels());
        assertEquals(8, g.width());
        assertEquals(0f, g.get(0, 0, 0)); // the fixture's diagonal stroke passes (0, 0) for seed 0
        assertEquals(1f, g.get(0, 0, 1));

        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x00000000); // transparent black reads as white paper
        rgba.setRGB(1, 0, 0xffff0000);
        Path f = tmp.resolve("c.png");
        ImageIO.write(rgba, "png", f.toFile());
        FloatImage c = ImageDecoder.read(f);
        assertEquals(3, c.channels());
        assertArrayEquals(new float[]{1, 1, 1, 0, 1, 0}, c.data(), 1e-6f); // R plane, G plane, B plane
        assertThrows(IllegalArgumentException.class, () -> ImageDecoder.read(FIX.resolve("cla/good.cla")));
    }

    @Test
    void resizeIsBilinearUpAndAntialiasedDown() {
        // 8x8 checkerboard halved: antialiasing averages to 0.5 everywhere; plain bilinear would alias to 0 or 1.
        float[] d = new float[64];
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) d[y * 8 + x] = (x + y) % 2;
        FloatImage half = ImageOps.resize(new FloatImage(1, 8, 8, d), 4, 4);
        for (float v : half.data()) assertEquals(0.5f, v, 0.08f);
        // Upscaling a 2-pixel ramp 0..1 to 4 pixels: bilinear at pixel centres (clamped at the borders).
        FloatImage up = ImageOps.resize(new FloatImage(1, 1, 2, new float[]{0, 1}), 1, 4);
        assertArrayEquals(new float[]{0, 0.25f, 0.75f, 1}, up.data(), 1e-5f);
        // A constant image stays constant at any size.
        FloatImage k = ImageOps.resize(FloatImage.blank(3, 37, 53, 0.3f), 16, 16);
        for (float v : k.data()) assertEquals(0.3f, v, 1e-5f);
        // A one-pixel line survives a 4x shrink (its ink is spread, not dropped).
        float[] line = new float[64 * 64];
        Arrays.fill(line, 1f);
        for (int x = 0; x < 64; x++) line[33 * 64 + x] = 0f;
        FloatImage small = ImageOps.resize(new FloatImage(1, 64, 64, line), 16, 16);
        float min = 1;
        for (float v : small.data()) min = Math.min(min, v);
        assertTrue(min < 0.85f, "thin line lost: darkest " + min);
    }

    @Test
    void rotationFlipAndJitter() {
        float[] d = new float[9 * 9];
        Arrays.fill(d, 1f);
        d[4 * 9 + 7] = 0f; // a dark dot right of the centre
        FloatImage img = new FloatImage(1, 9, 9, d);
        FloatImage r = ImageOps.rotate(img, 90, 1f);
        assertEquals(0f, r.get(0, 1, 4), 1e-5f, "counter-clockwise: right of centre moves above it");
        assertEquals(1f, r.get(0, 0, 0), 1e-5f);
        assertArrayEquals(d, ImageOps.rotate(img, 0, 1f).data(), 1e-6f);
        assertEquals(0f, ImageOps.flipHorizontal(img).get(0, 4, 1));
        FloatImage j = ImageOps.colorJitter(FloatImage.blank(1, 2, 2, 0.5f), 1.5, 1, 1);
        assertEquals(0.75f, j.get(0, 0, 0), 1e-6f);
        float[] two = {0.2f, 0.8f};
        FloatImage con = ImageOps.colorJitter(new FloatImage(1, 1, 2, two), 1, 0.5, 1);
        assertArrayEquals(new float[]{0.35f, 0.65f}, con.data(), 1e-6f);
    }

    @Test
    void augmentationParametersStayInRange() {
        Transform t = Transform.sketchTrain(32).withCrop(0.5);
        SplittableRandom r = new SplittableRandom(1);
        double minA = 0, maxA = 0;
        int flips = 0;
        for (int i = 0; i < 4000; i++) {
            Transform.Params p = t.sample(r);
            assertTrue(Math.abs(p.angle()) <= 15, "angle " + p.angle());
            minA = Math.min(minA, p.angle());
            maxA = Math.max(maxA, p.angle());
            for (double f : new double[]{p.brightness(), p.contrast(), p.saturation()}) assertTrue(f >= 0.6 && f <= 1.4, "jitter " + f);
            assertTrue(p.cropArea() >= 0.5 && p.cropArea() <= 1, "crop " + p.cropArea());
            assertTrue(p.cropAspect() >= 0.75 - 1e-9 && p.cropAspect() <= 4.0 / 3 + 1e-9, "aspect " + p.cropAspect());
            if (p.flip()) flips++;
        }
        assertTrue(minA < -14 && maxA > 14, "angles cover the range: " + minA + ".." + maxA);
        assertTrue(flips > 1800 && flips < 2200, "flips " + flips);
        Transform.Params none = Transform.plain(32).sample(r);
        assertEquals(0, none.angle());
        assertFalse(none.flip());
    }

    @Test
    void outputIsNormalisedThreeChannels() {
        FloatImage white = FloatImage.blank(1, 20, 20, 1f);
        FloatImage out = Transform.sketchTrain(16).apply(white, new SplittableRandom(3));
        assertEquals(3, out.channels());
        assertEquals(16, out.height());
        for (float v : out.data()) assertTrue(v >= -1 - 1e-6 && v <= 1 + 1e-6, "value " + v);
        FloatImage plain = Transform.plain(16).apply(white, new SplittableRandom(3));
        for (float v : plain.data()) assertEquals(1f, v, 1e-6f); // white -> (1 - 0.5) / 0.5
        FloatImage black = Transform.plain(4).apply(FloatImage.blank(1, 4, 4, 0f), new SplittableRandom(3));
        for (float v : black.data()) assertEquals(-1f, v, 1e-6f);
    }

    private static SampleSource sketches(Transform t) {
        SbsrDataset d = DatasetReader.read(FIX.resolve("shrec13"));
        List<SbsrDataset.Sketch> s = d.sketches();
        return SampleSource.images(s.stream().map(SbsrDataset.Sketch::file).toList(), s.stream().mapToInt(x -> d.label(x.className())).toArray(), t);
    }

    @Test
    void batchesAreDeterministicForAnyNumberOfWorkers() {
        SampleSource src = sketches(Transform.sketchTrain(16));
        List<float[]> a = collect(src, DataLoader.Options.of(4, 7).withWorkers(0, 0), 2);
        List<float[]> b = collect(src, DataLoader.Options.of(4, 7).withWorkers(3, 2), 2);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), "batch " + i);
        List<float[]> c = collect(src, DataLoader.Options.of(4, 8), 2);
        assertFalse(Arrays.equals(a.getFirst(), c.getFirst()));
        try (DataLoader l = new DataLoader(src, DataLoader.Options.of(4, 7))) {
            assertFalse(Arrays.equals(l.order(0), l.order(1)), "epochs are reshuffled");
            int[] sorted = l.order(0).clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8}, sorted, "an epoch visits every sample once");
            int n = 0;
            for (DataLoader.Batch batch : l.epoch(0)) {
                assertEquals(List.of(batch.indices().length, 3, 16, 16), Arrays.stream(batch.images().shape()).boxed().toList());
                assertEquals(batch.indices().length, batch.labels().shape()[0]);
                n += batch.indices().length;
            }
            assertEquals(9, n);
        }
    }

    private static List<float[]> collect(SampleSource src, DataLoader.Options o, int epochs) {
        List<float[]> out = new ArrayList<>();
        try (DataLoader l = new DataLoader(src, o)) {
            for (int e = 0; e < epochs; e++)
                for (DataLoader.Batch b : l.epoch(e)) {
                    out.add(b.images().toFloatArray());
                    float[] lab = new float[b.indices().length];
                    for (int i = 0; i < lab.length; i++) lab[i] = b.indices()[i];
                    out.add(lab);
                }
        }
        return out;
    }

    @Test
    void multiViewBatchesAreBxVxCxHxW() {
        SbsrDataset d = DatasetReader.read(FIX.resolve("shrec13"));
        SampleSource src = SampleSource.multiView(d.models().stream().map(SbsrDataset.Model::views).toList(),
                d.models().stream().mapToInt(m -> d.label(m.className())).toArray(), Transform.plain(12));
        try (DataLoader l = new DataLoader(src, DataLoader.Options.of(2, 1).withDropLast(true))) {
            assertEquals(2, l.batchesPerEpoch());
            for (DataLoader.Batch b : l.epoch(0)) assertArrayEquals(new int[]{2, 2, 3, 12, 12}, b.images().shape());
        }
    }

    @Test
    void classBalancedSamplingEvensOutClasses() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) labels[i] = i < 900 ? 0 : i < 990 ? 1 : 2; // 900 / 90 / 10
        SampleSource src = fake(labels, 0);
        try (DataLoader l = new DataLoader(src, DataLoader.Options.of(10, 3).withBalanced(true))) {
            int[] count = new int[3];
            for (int i : l.order(0)) count[labels[i]]++;
            for (int c : count) assertTrue(c > 280 && c < 390, Arrays.toString(count));
        }
    }

    /** Samples of shape [1] holding the index; loading sleeps sleepMs to stand in for decoding. */
    private static SampleSource fake(int[] labels, int sleepMs) {
        return new SampleSource() {
            public int size() { return labels.length; }
            public int label(int i) { return labels[i]; }
            public int[] sampleShape() { return new int[]{1}; }
            public void load(int i, SplittableRandom r, float[] out, int off) {
                if (sleepMs > 0) try { Thread.sleep(sleepMs); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                out[off] = i;
            }
        };
    }

    @Test
    void prefetchHidesLoadingBehindCompute() throws Exception {
        // Each batch takes ~40 ms to load (8 samples x 5 ms); the consumer "computes" 60 ms per batch.
        SampleSource src = fake(new int[96], 5);
        try (DataLoader l = new DataLoader(src, DataLoader.Options.of(8, 1).withWorkers(2, 3))) {
            double load = 0;
            int n = 0;
            for (DataLoader.Batch b : l.epoch(0)) {
                load += b.loadSeconds();
                n++;
                Thread.sleep(60);
            }
            assertEquals(12, n);
            assertTrue(load > 0.3, "load time " + load);
            // Only the first batch is waited for in full; with prefetch the rest arrive while computing.
            assertTrue(l.waitSeconds() < 0.35 * load, "waited " + l.waitSeconds() + " s of " + load + " s of loading");
        }
    }
}
