// Pixel operations of the pipeline: antialiased resize, rotation, flip, colour jitter, crops, normalisation, grey to three channels.
package org.uactn.train.data;

public final class ImageOps {
    private ImageOps() {}

    /**
     * Bilinear resize; when shrinking, the triangle filter is widened by the scale factor (as
     * PIL and torchvision's antialias=True do) so that every source pixel contributes and thin
     * sketch lines do not vanish or alias.
     */
    public static FloatImage resize(FloatImage in, int outH, int outW) {
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("resize: target size must be positive, got " + outH + "x" + outW);
        if (outH == in.height() && outW == in.width()) return in;
        Filter fy = Filter.of(in.height(), outH), fx = Filter.of(in.width(), outW);
        int c = in.channels(), h = in.height(), w = in.width();
        float[] tmp = new float[c * h * outW];
        float[] src = in.data();
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int row = (ch * h + y) * w, orow = (ch * h + y) * outW;
                for (int x = 0; x < outW; x++) {
                    float s = 0;
                    int start = fx.start[x], n = fx.count[x], wo = x * fx.taps;
                    for (int k = 0; k < n; k++) s += fx.weights[wo + k] * src[row + start + k];
                    tmp[orow + x] = s;
                }
            }
        }
        float[] out = new float[c * outH * outW];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < outH; y++) {
                int start = fy.start[y], n = fy.count[y], wo = y * fy.taps, orow = (ch * outH + y) * outW;
                for (int k = 0; k < n; k++) {
                    float wgt = fy.weights[wo + k];
                    int irow = (ch * h + start + k) * outW;
                    for (int x = 0; x < outW; x++) out[orow + x] += wgt * tmp[irow + x];
                }
            }
        }
        return new FloatImage(c, outH, outW, out);
    }

    /** Per output index: first source index, tap count and normalised weights (a fixed number of taps per row). */
    private static final class Filter {
        int[] start, count;
        float[] weights;
        int taps;

        static Filter of(int in, int out) {
            double scale = (double) in / out;
            double support = scale > 1 ? scale : 1; // triangle half-width in source pixels
            Filter f = new Filter();
            f.taps = (int) Math.ceil(support) * 2 + 1;
            f.start = new int[out];
            f.count = new int[out];
            f.weights = new float[out * f.taps];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - support)), hi = Math.min(in, (int) Math.ceil(centre + support));
                double total = 0;
                int n = 0;
                for (int j = lo; j < hi && n < f.taps; j++, n++) {
                    double wgt = Math.max(0, 1 - Math.abs((j + 0.5 - centre) / support));
                    f.weights[i * f.taps + n] = (float) wgt;
                    total += wgt;
                }
                if (total <= 0) { // cannot happen for in >= 1, but keep the image defined
                    f.weights[i * f.taps] = 1;
                    total = 1;
                    n = Math.max(n, 1);
                }
                for (int k = 0; k < n; k++) f.weights[i * f.taps + k] /= (float) total;
                f.start[i] = lo;
                f.count[i] = n;
            }
            return f;
        }
    }

    /** Rotation by deg (counter-clockwise on screen) about the centre, bilinear; uncovered pixels get fill. */
    public static FloatImage rotate(FloatImage in, double deg, float fill) {
        int c = in.channels(), h = in.height(), w = in.width();
        double a = Math.toRadians(deg), cs = Math.cos(a), sn = Math.sin(a);
        double cx = w / 2.0, cy = h / 2.0;
        float[] src = in.data(), out = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // Inverse map: screen y grows downwards, so a counter-clockwise turn uses -sn on y.
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                double sx = cs * dx - sn * dy + cx - 0.5, sy = sn * dx + cs * dy + cy - 0.5;
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                float fx = (float) (sx - x0), fy = (float) (sy - y0);
                for (int ch = 0; ch < c; ch++) {
                    int base = ch * h * w;
                    float v00 = px(src, base, w, h, x0, y0, fill), v10 = px(src, base, w, h, x0 + 1, y0, fill);
                    float v01 = px(src, base, w, h, x0, y0 + 1, fill), v11 = px(src, base, w, h, x0 + 1, y0 + 1, fill);
                    out[base + y * w + x] = (v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy;
                }
            }
        }
        return new FloatImage(c, h, w, out);
    }

    private static float px(float[] s, int base, int w, int h, int x, int y, float fill) {
        return x < 0 || y < 0 || x >= w || y >= h ? fill : s[base + y * w + x];
    }

    public static FloatImage flipHorizontal(FloatImage in) {
        int c = in.channels(), h = in.height(), w = in.width();
        float[] s = in.data(), o = new float[s.length];
        for (int r = 0; r < c * h; r++) for (int x = 0; x < w; x++) o[r * w + x] = s[r * w + w - 1 - x];
        return new FloatImage(c, h, w, o);
    }

    /**
     * torchvision's ColorJitter order for fixed factors: brightness (scale), contrast (blend with
     * the mean grey), saturation (blend with the grey image; no effect on one channel). Clamped to [0, 1].
     */
    public static FloatImage colorJitter(FloatImage in, double brightness, double contrast, double saturation) {
        int c = in.channels(), plane = in.height() * in.width();
        float[] d = in.data().clone();
        for (int i = 0; i < d.length; i++) d[i] = clamp((float) (d[i] * brightness));
        double mean = 0;
        for (int i = 0; i < plane; i++) mean += c == 3 ? luma(d, plane, i) : d[i];
        mean /= plane;
        for (int i = 0; i < d.length; i++) d[i] = clamp((float) (contrast * d[i] + (1 - contrast) * mean));
        if (c == 3 && saturation != 1) {
            for (int i = 0; i < plane; i++) {
                float g = luma(d, plane, i);
                for (int ch = 0; ch < 3; ch++) d[ch * plane + i] = clamp((float) (saturation * d[ch * plane + i] + (1 - saturation) * g));
            }
        }
        return new FloatImage(c, in.height(), in.width(), d);
    }

    private static float luma(float[] d, int plane, int i) {
        return 0.299f * d[i] + 0.587f * d[plane + i] + 0.114f * d[2 * plane + i];
    }

    private static float clamp(float v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

    /** The h x w window at (top, left), which must lie inside the image. */
    public static FloatImage crop(FloatImage in, int top, int left, int h, int w) {
        if (top < 0 || left < 0 || h < 1 || w < 1 || top + h > in.height() || left + w > in.width())
            throw new IllegalArgumentException("crop " + h + "x" + w + " at (" + top + ", " + left + ") outside image " + in.height() + "x" + in.width());
        int c = in.channels();
        float[] o = new float[c * h * w];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++) System.arraycopy(in.data(), (ch * in.height() + top + y) * in.width() + left, o, (ch * h + y) * w, w);
        return new FloatImage(c, h, w, o);
    }

    /** One channel repeated to three (three stay three). */
    public static FloatImage toThreeChannels(FloatImage in) {
        if (in.channels() == 3) return in;
        if (in.channels() != 1) throw new IllegalArgumentException("to three channels: expected 1 or 3 channels, got " + in.channels());
        int plane = in.height() * in.width();
        float[] o = new float[3 * plane];
        for (int ch = 0; ch < 3; ch++) System.arraycopy(in.data(), 0, o, ch * plane, plane);
        return new FloatImage(3, in.height(), in.width(), o);
    }

    /** (x - mean) / std in place on a copy. */
    public static FloatImage normalize(FloatImage in, float mean, float std) {
        float[] d = in.data().clone();
        float inv = 1 / std;
        for (int i = 0; i < d.length; i++) d[i] = (d[i] - mean) * inv;
        return new FloatImage(in.channels(), in.height(), in.width(), d);
    }
}
