// The raw-pixel retrieval baseline that shows the synthetic benchmark is not trivial: cosine of downscaled ink images, best view.
package org.uactn.train.synth;

import org.uactn.train.data.RetrievalMetrics;
import org.uactn.train.data.SbsrDataset;

import java.nio.file.Path;
import java.util.List;

/**
 * Every image becomes the vector of its ink (1 - grey/255) averaged over FEATURE x FEATURE
 * cells; a test sketch scores a model by the best cosine over the model's views; models are
 * ranked by score and the mean average precision is taken over the test sketches.
 */
public final class PixelBaseline {
    public static final int FEATURE = 32;

    private PixelBaseline() {}

    /** Ink averaged over f x f cells (box filter with fractional cell edges), as a unit vector (zero stays zero). */
    public static float[] feature(byte[] grey, int w, int h, int f) {
        float[] out = new float[f * f];
        double sx = (double) w / f, sy = (double) h / f;
        for (int cy = 0; cy < f; cy++) {
            double y0 = cy * sy, y1 = y0 + sy;
            for (int cx = 0; cx < f; cx++) {
                double x0 = cx * sx, x1 = x0 + sx, sum = 0;
                for (int y = (int) y0; y < Math.min(h, Math.ceil(y1)); y++) {
                    double wy = Math.min(y + 1, y1) - Math.max(y, y0);
                    for (int x = (int) x0; x < Math.min(w, Math.ceil(x1)); x++) {
                        double wx = Math.min(x + 1, x1) - Math.max(x, x0);
                        sum += wx * wy * (1 - (grey[y * w + x] & 0xff) / 255.0);
                    }
                }
                out[cy * f + cx] = (float) (sum / (sx * sy));
            }
        }
        double n = 0;
        for (float v : out) n += v * v;
        if (n > 0) {
            float inv = (float) (1 / Math.sqrt(n));
            for (int i = 0; i < out.length; i++) out[i] *= inv;
        }
        return out;
    }

    /** Best cosine over a model's view features. */
    public static double score(float[] query, float[][] views) {
        double best = -1;
        for (float[] v : views) {
            double d = 0;
            for (int i = 0; i < v.length; i++) d += query[i] * v[i];
            best = Math.max(best, d);
        }
        return best;
    }

    /** mAP of the baseline for query features with labels against models (view features) with labels. */
    public static double map(List<float[]> queries, int[] queryLabels, List<float[][]> models, int[] modelLabels) {
        double[][] scores = new double[queries.size()][models.size()];
        for (int q = 0; q < queries.size(); q++)
            for (int m = 0; m < models.size(); m++) scores[q][m] = score(queries.get(q), models.get(m));
        return RetrievalMetrics.meanAveragePrecision(scores, queryLabels, modelLabels);
    }

    /** Recomputes the baseline from a dataset on disk: its test sketches against all models' views. */
    public static double evaluate(SbsrDataset d) {
        List<SbsrDataset.Sketch> test = d.sketches(SbsrDataset.Split.TEST);
        if (test.isEmpty()) throw new IllegalArgumentException("dataset " + d.root() + " has no test sketches");
        List<float[]> q = test.stream().map(s -> read(s.file())).toList();
        int[] ql = test.stream().mapToInt(s -> d.label(s.className())).toArray();
        List<float[][]> m = d.models().stream().map(mo -> mo.views().stream().map(PixelBaseline::read).toArray(float[][]::new)).toList();
        int[] ml = d.models().stream().mapToInt(mo -> d.label(mo.className())).toArray();
        return map(q, ql, m, ml);
    }

    private static float[] read(Path p) {
        if (p == null) throw new IllegalArgumentException("baseline: a sketch or view file is missing");
        try {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(p.toFile());
            if (img == null) throw new IllegalArgumentException(p + ": not an image");
            int w = img.getWidth(), h = img.getHeight();
            byte[] g = new byte[w * h];
            var raster = img.getRaster();
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) g[y * w + x] = (byte) raster.getSample(x, y, 0);
            return feature(g, w, h, FEATURE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
