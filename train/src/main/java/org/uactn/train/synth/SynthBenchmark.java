// Generates the synthetic sketch-shape benchmark: procedural meshes (.off), their rendered views, hand-drawn-looking sketches, .cla files and a manifest.
package org.uactn.train.synth;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.uactn.render.Cameras;
import org.uactn.render.Images;
import org.uactn.render.Projection;
import org.uactn.render.RenderMode;
import org.uactn.render.RenderSettings;
import org.uactn.render.Renderer;
import org.uactn.render.Renderers;
import org.uactn.render.View;
import org.uactn.render.batch.BatchRenderer;
import org.uactn.render.mesh.Mesh;
import org.uactn.render.mesh.Normalizer;
import org.uactn.train.data.ClaFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Layout (SHREC-like, read by DatasetReader):
 * <pre>
 * OUT/SYNTH_Model.cla, SYNTH_Sketch_Train.cla, SYNTH_Sketch_Test.cla
 * OUT/models/&lt;class&gt;/m&lt;id&gt;.off
 * OUT/views/&lt;class&gt;/m&lt;id&gt;/view_00.png ...   (= uactn render --input OUT/models --output OUT/views)
 * OUT/sketches/&lt;class&gt;/{train,test}/&lt;id&gt;.png
 * OUT/manifest.json, OUT/sample-sheet.png
 * </pre>
 * Every item draws its randomness from its own stream, seeded from (seed, kind, class, index), so
 * the output does not depend on the number of threads or their timing. Sketches depict other
 * instances of their class than the target models (as real sketches do).
 */
public final class SynthBenchmark {
    public static final String MODEL_CLA = "SYNTH_Model.cla", TRAIN_CLA = "SYNTH_Sketch_Train.cla", TEST_CLA = "SYNTH_Sketch_Test.cla";
    public static final String SHEET = "sample-sheet.png";

    /**
     * @param renderer SOFTWARE is the default: its pixels are the same on every machine, so a seed
     *                 gives the same benchmark everywhere (GL output depends on the driver)
     */
    public record Config(int classes, int shapesPerClass, int sketchesPerClass, int testSketchesPerClass, double noiseFraction,
                         int size, long seed, int views, Renderers.Kind renderer, int threads) {
        public static Config defaults() {
            return new Config(15, 10, 20, 10, 0.2, 128, 1, 12, Renderers.Kind.SOFTWARE, 2);
        }

        public Config {
            if (classes < 2 || classes > ShapeFamilies.ALL.size())
                throw new IllegalArgumentException("classes must be in [2, " + ShapeFamilies.ALL.size() + "], got " + classes);
            if (shapesPerClass < 1 || shapesPerClass > 10_000) throw new IllegalArgumentException("shapes per class must be in [1, 10000], got " + shapesPerClass);
            if (sketchesPerClass < 0 || sketchesPerClass > 10_000) throw new IllegalArgumentException("training sketches per class must be in [0, 10000], got " + sketchesPerClass);
            if (testSketchesPerClass < 0 || testSketchesPerClass > 10_000) throw new IllegalArgumentException("test sketches per class must be in [0, 10000], got " + testSketchesPerClass);
            if (!(noiseFraction >= 0 && noiseFraction <= 1)) throw new IllegalArgumentException("noise fraction must be in [0, 1], got " + noiseFraction);
            if (size < 32 || size > 1024) throw new IllegalArgumentException("image size must be in [32, 1024], got " + size);
            if (views < 1 || views > 100) throw new IllegalArgumentException("views must be in [1, 100], got " + views);
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }

        public Config withClasses(int k) { return new Config(k, shapesPerClass, sketchesPerClass, testSketchesPerClass, noiseFraction, size, seed, views, renderer, threads); }
        public Config withShapes(int n) { return new Config(classes, n, sketchesPerClass, testSketchesPerClass, noiseFraction, size, seed, views, renderer, threads); }
        public Config withSketches(int train, int test) { return new Config(classes, shapesPerClass, train, test, noiseFraction, size, seed, views, renderer, threads); }
        public Config withNoise(double f) { return new Config(classes, shapesPerClass, sketchesPerClass, testSketchesPerClass, f, size, seed, views, renderer, threads); }
        public Config withSize(int s) { return new Config(classes, shapesPerClass, sketchesPerClass, testSketchesPerClass, noiseFraction, s, seed, views, renderer, threads); }
        public Config withSeed(long s) { return new Config(classes, shapesPerClass, sketchesPerClass, testSketchesPerClass, noiseFraction, size, s, views, renderer, threads); }
        public Config withViews(int v) { return new Config(classes, shapesPerClass, sketchesPerClass, testSketchesPerClass, noiseFraction, size, seed, v, renderer, threads); }
        public Config withThreads(int t) { return new Config(classes, shapesPerClass, sketchesPerClass, testSketchesPerClass, noiseFraction, size, seed, views, renderer, t); }
        public Config withRenderer(Renderers.Kind k) { return new Config(classes, shapesPerClass, sketchesPerClass, testSketchesPerClass, noiseFraction, size, seed, views, k, threads); }
    }

    /** Called from worker threads, one call at a time. */
    public interface Listener {
        default void started(int items, String renderer) {}
        default void progress(int done, int total) {}
        default void warning(String message) {}
    }

    public record Result(Path output, int models, int trainSketches, int testSketches, int lowQuality, double baselineMap, String renderer, double seconds) {}

    private record ModelOut(int id, int cls, String file, int triangles, float[][] features, byte[][] thumbs) {}

    private record SketchOut(int id, int cls, boolean test, String file, boolean low, Set<SketchMaker.Corruption> corruptions,
                             double azimuth, double elevation, int strokes, float[] feature, byte[] thumb) {}

    private SynthBenchmark() {}

    /** SplitMix64 finaliser over the item's coordinates: independent streams per item. */
    static long itemSeed(long seed, int kind, int cls, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + kind * 0xBF58476D1CE4E5B9L + cls * 0x94D049BB133111EBL + index * 0x2545F4914F6CDD1DL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Which sketches of one class and split are low quality: exactly round(fraction * n), at seeded positions. */
    static boolean[] lowQuality(long seed, int cls, int split, int n, double fraction) {
        int k = (int) Math.round(fraction * n);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        SplittableRandom r = new SplittableRandom(itemSeed(seed, 3, cls, split));
        for (int i = n - 1; i > 0; i--) { int j = r.nextInt(i + 1); int t = idx[i]; idx[i] = idx[j]; idx[j] = t; }
        boolean[] low = new boolean[n];
        for (int i = 0; i < k; i++) low[idx[i]] = true;
        return low;
    }

    public static Result generate(Config c, Path out, Listener listener) {
        long t0 = System.nanoTime();
        prepareOutput(out);
        int perClassSketches = c.sketchesPerClass() + c.testSketchesPerClass();
        int nModels = c.classes() * c.shapesPerClass(), nSketches = c.classes() * perClassSketches, total = nModels + nSketches;
        ModelOut[] models = new ModelOut[nModels];
        SketchOut[] sketches = new SketchOut[nSketches];
        boolean[][][] low = new boolean[c.classes()][2][];
        for (int k = 0; k < c.classes(); k++) {
            low[k][0] = lowQuality(c.seed(), k, 0, c.sketchesPerClass(), c.noiseFraction());
            low[k][1] = lowQuality(c.seed(), k, 1, c.testSketchesPerClass(), c.noiseFraction());
        }
        String used;
        try (Renderer probe = Renderers.create(c.renderer(), listener::warning)) {
            used = probe.kind();
        }
        listener.started(total, used);
        AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Object lock = new Object();
        Runnable worker = () -> {
            try (Renderer r = Renderers.create(c.renderer(), listener::warning)) {
                int i;
                while (failure.get() == null && (i = next.getAndIncrement()) < total) {
                    if (i < nModels) models[i] = model(c, out, r, i);
                    else sketches[i - nModels] = sketch(c, out, r, i - nModels, low);
                    int d = done.incrementAndGet();
                    synchronized (lock) { listener.progress(d, total); }
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        };
        List<Thread> pool = new ArrayList<>();
        for (int t = 0; t < Math.min(c.threads(), total); t++) {
            Thread th = new Thread(worker, "uactn-synth-" + t);
            pool.add(th);
            th.start();
        }
        for (Thread th : pool) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while generating", e);
            }
        }
        if (failure.get() != null) throw failure.get();

        writeCla(c, out, models, sketches);
        double map = baseline(c, models, sketches);
        int lowCount = 0;
        for (SketchOut s : sketches) if (s.low) lowCount++;
        writeManifest(c, out, models, sketches, map, used);
        writeSheet(c, out, models, sketches);
        return new Result(out, nModels, c.classes() * c.sketchesPerClass(), c.classes() * c.testSketchesPerClass(), lowCount, map, used,
                (System.nanoTime() - t0) / 1e9);
    }

    private static void prepareOutput(Path out) {
        try {
            if (Files.exists(out)) {
                if (!Files.isDirectory(out)) throw new IllegalArgumentException("output " + out + " exists and is not a folder");
                try (var s = Files.list(out)) {
                    if (s.findAny().isPresent()) throw new IllegalArgumentException("output folder " + out + " is not empty; choose a new or empty folder");
                }
            }
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out + ": " + e.getMessage(), e);
        }
    }

    private static String className(int k) { return ShapeFamilies.ALL.get(k).name(); }

    private static ModelOut model(Config c, Path out, Renderer r, int i) {
        int k = i / c.shapesPerClass(), j = i % c.shapesPerClass(), id = i + 1;
        SplittableRandom rng = new SplittableRandom(itemSeed(c.seed(), 1, k, j));
        Mesh mesh = ShapeFamilies.ALL.get(k).create(rng, Integer.toString(id));
        String rel = "models/" + className(k) + "/m" + id + ".off";
        OffWriter.write(mesh, out.resolve(rel));
        Mesh norm = Normalizer.normalize(mesh, Normalizer.Center.BBOX, Normalizer.UpAxis.Y);
        List<View> views = Cameras.ring(c.views(), 30);
        RenderSettings rs = RenderSettings.defaults().withSize(c.size());
        byte[][] imgs = r.render(norm, views, rs);
        float[][] feats = new float[imgs.length][];
        Path dir = out.resolve("views").resolve(className(k)).resolve("m" + id);
        for (int v = 0; v < imgs.length; v++) {
            Images.writePng(imgs[v], c.size(), c.size(), dir.resolve(BatchRenderer.viewName(v, imgs.length)));
            feats[v] = PixelBaseline.feature(imgs[v], c.size(), c.size(), PixelBaseline.FEATURE);
        }
        byte[][] thumbs = j == 0 ? new byte[][]{imgs[0], imgs[imgs.length / 4], imgs[imgs.length / 2]} : null;
        return new ModelOut(id, k, rel, mesh.triangleCount(), feats, thumbs);
    }

    private static SketchOut sketch(Config c, Path out, Renderer r, int i, boolean[][][] low) {
        int per = c.sketchesPerClass() + c.testSketchesPerClass();
        int k = i / per, j = i % per, id = i + 1;
        boolean test = j >= c.sketchesPerClass();
        int js = test ? j - c.sketchesPerClass() : j;
        boolean isLow = low[k][test ? 1 : 0][js];
        SplittableRandom rng = new SplittableRandom(itemSeed(c.seed(), 2, k, j));
        Set<SketchMaker.Corruption> corr = isLow ? SketchMaker.pickCorruptions(rng) : EnumSet.noneOf(SketchMaker.Corruption.class);
        Mesh shape = Normalizer.normalize(ShapeFamilies.ALL.get(k).create(rng.split(), "sketch" + id), Normalizer.Center.BBOX, Normalizer.UpAxis.Y);
        double az = 360 * rng.nextDouble(), el;
        if (corr.contains(SketchMaker.Corruption.WRONG_VIEW)) el = rng.nextBoolean() ? 65 + 25 * rng.nextDouble() : -35 + 20 * rng.nextDouble();
        else el = 5 + 30 * rng.nextDouble();
        RenderSettings rs = new RenderSettings(c.size(), RenderMode.LINES, Projection.PERSPECTIVE, 1.5, RenderSettings.DEFAULT_CREASE_ANGLE, 1);
        byte[] lines = r.render(shape, List.of(new View(az, el)), rs)[0];
        List<double[]> strokes = SketchMaker.trace(lines, c.size());
        SketchMaker.Style style = corr.contains(SketchMaker.Corruption.HEAVY) ? SketchMaker.Style.heavy(rng) : SketchMaker.Style.clean(rng);
        byte[] img = SketchMaker.draw(strokes, c.size(), style, corr, rng);
        String rel = "sketches/" + className(k) + "/" + (test ? "test" : "train") + "/" + id + ".png";
        Images.writePng(img, c.size(), c.size(), out.resolve(rel));
        float[] feat = test ? PixelBaseline.feature(img, c.size(), c.size(), PixelBaseline.FEATURE) : null;
        byte[] thumb = js < 6 ? img : null; // enough for the sample sheet's clean and low-quality cells
        return new SketchOut(id, k, test, rel, isLow, corr, az, el, strokes.size(), feat, thumb);
    }

    private static void writeCla(Config c, Path out, ModelOut[] models, SketchOut[] sketches) {
        List<ClaFile.ClaClass> m = new ArrayList<>(), tr = new ArrayList<>(), te = new ArrayList<>();
        for (int k = 0; k < c.classes(); k++) {
            List<String> mm = new ArrayList<>(), tt = new ArrayList<>(), ss = new ArrayList<>();
            for (ModelOut mo : models) if (mo.cls == k) mm.add(Integer.toString(mo.id));
            for (SketchOut so : sketches) if (so.cls == k) (so.test ? ss : tt).add(Integer.toString(so.id));
            m.add(new ClaFile.ClaClass(className(k), null, mm, 0));
            tr.add(new ClaFile.ClaClass(className(k), null, tt, 0));
            te.add(new ClaFile.ClaClass(className(k), null, ss, 0));
        }
        writeText(out.resolve(MODEL_CLA), ClaFile.format(m));
        writeText(out.resolve(TRAIN_CLA), ClaFile.format(tr));
        writeText(out.resolve(TEST_CLA), ClaFile.format(te));
    }

    private static double baseline(Config c, ModelOut[] models, SketchOut[] sketches) {
        List<float[]> q = new ArrayList<>();
        List<Integer> ql = new ArrayList<>();
        for (SketchOut s : sketches) if (s.test) { q.add(s.feature); ql.add(s.cls); }
        if (q.isEmpty()) return Double.NaN;
        List<float[][]> m = new ArrayList<>();
        int[] ml = new int[models.length];
        for (int i = 0; i < models.length; i++) { m.add(models[i].features); ml[i] = models[i].cls; }
        return PixelBaseline.map(q, ql.stream().mapToInt(Integer::intValue).toArray(), m, ml);
    }

    private static void writeManifest(Config c, Path out, ModelOut[] models, SketchOut[] sketches, double map, String renderer) {
        JsonObject root = new JsonObject();
        root.addProperty("generator", "uactn synth");
        root.addProperty("formatVersion", 1);
        JsonObject s = new JsonObject();
        s.addProperty("classes", c.classes());
        s.addProperty("shapesPerClass", c.shapesPerClass());
        s.addProperty("sketchesPerClass", c.sketchesPerClass());
        s.addProperty("testSketchesPerClass", c.testSketchesPerClass());
        s.addProperty("noiseFraction", c.noiseFraction());
        s.addProperty("size", c.size());
        s.addProperty("seed", c.seed());
        s.addProperty("views", c.views());
        s.addProperty("viewElevation", 30);
        s.addProperty("renderer", renderer);
        root.add("settings", s);
        JsonArray cls = new JsonArray();
        for (int k = 0; k < c.classes(); k++) cls.add(className(k));
        root.add("classes", cls);
        JsonObject b = new JsonObject();
        b.addProperty("method", "cosine of " + PixelBaseline.FEATURE + "x" + PixelBaseline.FEATURE + " ink averages, best view per model, test sketches vs all models");
        b.addProperty("mAP", Double.isNaN(map) ? null : Math.round(map * 1e4) / 1e4);
        root.add("pixelBaseline", b);
        JsonArray ms = new JsonArray();
        for (ModelOut m : models) {
            JsonObject o = new JsonObject();
            o.addProperty("id", Integer.toString(m.id));
            o.addProperty("class", className(m.cls));
            o.addProperty("file", m.file);
            o.addProperty("views", m.features.length);
            o.addProperty("triangles", m.triangles);
            ms.add(o);
        }
        root.add("models", ms);
        JsonArray ss = new JsonArray();
        for (SketchOut k : sketches) {
            JsonObject o = new JsonObject();
            o.addProperty("id", Integer.toString(k.id));
            o.addProperty("class", className(k.cls));
            o.addProperty("split", k.test ? "test" : "train");
            o.addProperty("file", k.file);
            o.addProperty("quality", k.low ? "low" : "clean");
            JsonArray cr = new JsonArray();
            for (SketchMaker.Corruption x : k.corruptions) cr.add(x.name().toLowerCase(Locale.ROOT));
            o.add("corruptions", cr);
            o.addProperty("azimuth", Math.round(k.azimuth * 100) / 100.0);
            o.addProperty("elevation", Math.round(k.elevation * 100) / 100.0);
            o.addProperty("strokes", k.strokes);
            ss.add(o);
        }
        root.add("sketches", ss);
        writeText(out.resolve(org.uactn.train.data.DatasetReader.MANIFEST), new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(root) + "\n");
    }

    /** Columns are classes; rows: two clean sketches, one low-quality sketch (if any), three views of the first model. */
    private static void writeSheet(Config c, Path out, ModelOut[] models, SketchOut[] sketches) {
        int cell = 64, gap = 2, cols = c.classes(), rows = 6;
        int w = cols * cell + (cols + 1) * gap, h = rows * cell + (rows + 1) * gap;
        byte[] sheet = new byte[w * h];
        Arrays.fill(sheet, (byte) 160);
        for (int k = 0; k < cols; k++) {
            List<byte[]> col = new ArrayList<>();
            byte[] lowImg = null;
            for (SketchOut s : sketches) {
                if (s.cls != k || s.thumb == null) continue;
                if (!s.low && col.size() < 2) col.add(s.thumb);
                if (s.low && lowImg == null) lowImg = s.thumb;
            }
            while (col.size() < 2) col.add(null);
            col.add(lowImg);
            ModelOut first = models[k * c.shapesPerClass()];
            col.addAll(Arrays.asList(first.thumbs));
            for (int rIdx = 0; rIdx < rows; rIdx++) {
                byte[] img = col.get(rIdx);
                int x0 = gap + k * (cell + gap), y0 = gap + rIdx * (cell + gap);
                for (int y = 0; y < cell; y++) for (int x = 0; x < cell; x++) sheet[(y0 + y) * w + x0 + x] = img == null ? (byte) 255 : shrink(img, c.size(), cell, x, y);
            }
        }
        Images.writePng(sheet, w, h, out.resolve(SHEET));
    }

    /** One pixel of an image shrunk from size to cell by averaging (box filter). */
    private static byte shrink(byte[] img, int size, int cell, int x, int y) {
        int x0 = x * size / cell, x1 = Math.max(x0 + 1, (x + 1) * size / cell), y0 = y * size / cell, y1 = Math.max(y0 + 1, (y + 1) * size / cell);
        int sum = 0;
        for (int yy = y0; yy < y1; yy++) for (int xx = x0; xx < x1; xx++) sum += img[yy * size + xx] & 0xff;
        return (byte) (sum / ((x1 - x0) * (y1 - y0)));
    }

    private static void writeText(Path f, String text) {
        try {
            Files.writeString(f, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }
}
