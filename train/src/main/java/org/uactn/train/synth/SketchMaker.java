// Turns a line rendering of a shape into a hand-drawn-looking sketch: traced strokes redrawn with wobble, over/undershoot, breaks and varying pen.
package org.uactn.train.synth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The line image is thinned to one-pixel curves, traced into strokes (continuing straight through
 * junctions, as a pen would), simplified, then redrawn as the style says. All randomness comes
 * from the given stream, so a sketch is a pure function of (line image, style, seed).
 */
public final class SketchMaker {
    /** Deliberate degradations of low-quality sketches. WRONG_VIEW acts on the viewpoint, before rendering. */
    public enum Corruption { HEAVY, PARTIAL, CLUTTER, WRONG_VIEW }

    /**
     * Pen and distortion settings, lengths in pixels of a 128-pixel image (scaled to the real size).
     * @param wobble     amplitude of the slow sideways drift along a stroke
     * @param jitter     amplitude of the fast tremor
     * @param missing    probability that a stroke is left out
     * @param breaks     probability that a stroke is broken into pieces
     * @param overshoot  largest extension (positive) or trim (negative draw) at stroke ends
     * @param penMin     thinnest pen width; penMax the thickest
     * @param affine     strength of the global distortion (1: rotation 6 deg, shear 0.08, aspect 8 %, extra shift 4 %)
     * @param redraw     probability that a stroke is drawn twice (over-sketching)
     */
    public record Style(double wobble, double jitter, double missing, double breaks, double overshoot, double penMin, double penMax,
                        double affine, double redraw) {
        public static Style clean(SplittableRandom r) {
            return new Style(0.6 + r.nextDouble(), 0.25 + 0.25 * r.nextDouble(), 0.1 * r.nextDouble(), 0.15, 3,
                    0.9, 1.6 + 0.8 * r.nextDouble(), 1, 0.12);
        }

        public static Style heavy(SplittableRandom r) {
            return new Style(2.5 + 2 * r.nextDouble(), 0.6 + 0.4 * r.nextDouble(), 0.3 + 0.25 * r.nextDouble(), 0.55, 8,
                    0.8, 2.8, 2.8, 0.3);
        }
    }

    private SketchMaker() {}

    // ------------------------------------------------------------------ tracing

    /** Polylines (x0, y0, x1, y1, ...) in pixel coordinates of the ink (grey below 160) of a line image. */
    public static List<double[]> trace(byte[] grey, int size) {
        boolean[] on = new boolean[size * size];
        for (int i = 0; i < on.length; i++) on[i] = (grey[i] & 0xff) < 160;
        thin(on, size);
        boolean[] seen = new boolean[on.length];
        List<double[]> strokes = new ArrayList<>();
        // Endpoints first, so that open curves are traced end to end; what is left are closed loops.
        for (int pass = 0; pass < 2; pass++) {
            for (int p = 0; p < on.length; p++) {
                if (!on[p] || seen[p]) continue;
                if (pass == 0 && neighbours(on, size, p) != 1) continue;
                double[] s = walk(on, seen, size, p);
                if (s.length >= 6) strokes.add(simplify(s, 0.7));
            }
        }
        return strokes;
    }

    private static final int[] DX = {0, 1, 1, 1, 0, -1, -1, -1}, DY = {-1, -1, 0, 1, 1, 1, 0, -1};

    private static boolean at(boolean[] on, int size, int x, int y) {
        return x >= 0 && y >= 0 && x < size && y < size && on[y * size + x];
    }

    private static int neighbours(boolean[] on, int size, int p) {
        int x = p % size, y = p / size, n = 0;
        for (int k = 0; k < 8; k++) if (at(on, size, x + DX[k], y + DY[k])) n++;
        return n;
    }

    /** Zhang-Suen thinning, in place. */
    static void thin(boolean[] on, int size) {
        boolean changed = true;
        int[] del = new int[on.length];
        boolean[] nb = new boolean[8];
        while (changed) {
            changed = false;
            for (int step = 0; step < 2; step++) {
                int nd = 0;
                for (int y = 1; y < size - 1; y++) {
                    for (int x = 1; x < size - 1; x++) {
                        if (!on[y * size + x]) continue;
                        int b = 0;
                        for (int k = 0; k < 8; k++) { nb[k] = on[(y + DY[k]) * size + x + DX[k]]; if (nb[k]) b++; }
                        if (b < 2 || b > 6) continue;
                        int a = 0;
                        for (int k = 0; k < 8; k++) if (!nb[k] && nb[(k + 1) % 8]) a++;
                        if (a != 1) continue;
                        // nb indices: 0 N, 2 E, 4 S, 6 W
                        if (step == 0 ? (nb[0] && nb[2] && nb[4]) || (nb[2] && nb[4] && nb[6]) : (nb[0] && nb[2] && nb[6]) || (nb[0] && nb[4] && nb[6])) continue;
                        del[nd++] = y * size + x;
                    }
                }
                for (int i = 0; i < nd; i++) on[del[i]] = false;
                if (nd > 0) changed = true;
            }
        }
    }

    /** Follows unvisited pixels from start, keeping the direction where it can; joins the end to a traced neighbour. */
    private static double[] walk(boolean[] on, boolean[] seen, int size, int start) {
        List<int[]> pts = new ArrayList<>();
        int[] before = visitedNeighbour(on, seen, size, start % size, start / size);
        if (before != null) pts.add(before);
        int x = start % size, y = start / size;
        seen[start] = true;
        pts.add(new int[]{x, y});
        while (true) {
            int best = -1;
            double bestScore = -1e9;
            int n = pts.size();
            double dx = 0, dy = 0;
            if (n >= 2) {
                int[] back = pts.get(Math.max(0, n - 4));
                dx = x - back[0];
                dy = y - back[1];
            }
            for (int k = 0; k < 8; k++) {
                int nx = x + DX[k], ny = y + DY[k];
                if (!at(on, size, nx, ny) || seen[ny * size + nx]) continue;
                double len = Math.hypot(DX[k], DY[k]);
                double score = (dx * DX[k] + dy * DY[k]) / len + (len == 1 ? 0.2 : 0); // keep going straight, then prefer 4-neighbours
                if (score > bestScore) { bestScore = score; best = k; }
            }
            if (best < 0) break;
            x += DX[best];
            y += DY[best];
            seen[y * size + x] = true;
            pts.add(new int[]{x, y});
        }
        int[] after = pts.size() > 2 ? visitedNeighbourNotIn(on, seen, size, x, y, pts) : null;
        if (after != null) pts.add(after);
        double[] out = new double[2 * pts.size()];
        for (int i = 0; i < pts.size(); i++) { out[2 * i] = pts.get(i)[0] + 0.5; out[2 * i + 1] = pts.get(i)[1] + 0.5; }
        return out;
    }

    private static int[] visitedNeighbour(boolean[] on, boolean[] seen, int size, int x, int y) {
        for (int k = 0; k < 8; k++) {
            int nx = x + DX[k], ny = y + DY[k];
            if (at(on, size, nx, ny) && seen[ny * size + nx]) return new int[]{nx, ny};
        }
        return null;
    }

    private static int[] visitedNeighbourNotIn(boolean[] on, boolean[] seen, int size, int x, int y, List<int[]> path) {
        for (int k = 0; k < 8; k++) {
            int nx = x + DX[k], ny = y + DY[k];
            if (!at(on, size, nx, ny) || !seen[ny * size + nx]) continue;
            boolean mine = false;
            for (int i = Math.max(0, path.size() - 6); i < path.size(); i++) if (path.get(i)[0] == nx && path.get(i)[1] == ny) mine = true;
            if (!mine) return new int[]{nx, ny};
        }
        return null;
    }

    /** Douglas-Peucker simplification of a polyline. */
    static double[] simplify(double[] p, double eps) {
        int n = p.length / 2;
        boolean[] keep = new boolean[n];
        keep[0] = keep[n - 1] = true;
        dp(p, 0, n - 1, eps, keep);
        int m = 0;
        for (boolean k : keep) if (k) m++;
        double[] out = new double[2 * m];
        int j = 0;
        for (int i = 0; i < n; i++) if (keep[i]) { out[j++] = p[2 * i]; out[j++] = p[2 * i + 1]; }
        return out;
    }

    private static void dp(double[] p, int a, int b, double eps, boolean[] keep) {
        if (b <= a + 1) return;
        double ax = p[2 * a], ay = p[2 * a + 1], bx = p[2 * b], by = p[2 * b + 1];
        double best = -1;
        int idx = -1;
        for (int i = a + 1; i < b; i++) {
            double d = segDist(p[2 * i], p[2 * i + 1], ax, ay, bx, by);
            if (d > best) { best = d; idx = i; }
        }
        if (best > eps) {
            keep[idx] = true;
            dp(p, a, idx, eps, keep);
            dp(p, idx, b, eps, keep);
        }
    }

    static double segDist(double px, double py, double ax, double ay, double bx, double by) {
        double vx = bx - ax, vy = by - ay, wx = px - ax, wy = py - ay;
        double l2 = vx * vx + vy * vy;
        double t = l2 > 0 ? Math.max(0, Math.min(1, (wx * vx + wy * vy) / l2)) : 0;
        double dx = wx - t * vx, dy = wy - t * vy;
        return Math.sqrt(dx * dx + dy * dy);
    }

    // ------------------------------------------------------------------ drawing

    /**
     * Draws the strokes as a sketch of size x size grey pixels (255 white). corruptions may hold
     * HEAVY (use Style.heavy), PARTIAL and CLUTTER; WRONG_VIEW is the caller's (the viewpoint).
     */
    public static byte[] draw(List<double[]> strokes, int size, Style style, Set<Corruption> corruptions, SplittableRandom r) {
        double k = size / 128.0;
        List<double[]> kept = new ArrayList<>();
        for (double[] s : strokes) if (r.nextDouble() >= style.missing()) kept.add(s);
        if (kept.isEmpty() && !strokes.isEmpty()) kept.add(strokes.get(r.nextInt(strokes.size())));
        if (corruptions.contains(Corruption.PARTIAL)) kept = partial(kept, r);

        // Global affine distortion about the image centre.
        double rot = Math.toRadians(6 * style.affine() * (2 * r.nextDouble() - 1));
        double shear = 0.08 * style.affine() * (2 * r.nextDouble() - 1);
        // People draw at their own scale and place on the page, not framed like a rendering.
        double scale = 0.65 + 0.35 * r.nextDouble();
        double sx = scale * (1 + 0.08 * style.affine() * (2 * r.nextDouble() - 1)), sy = scale * (1 + 0.08 * style.affine() * (2 * r.nextDouble() - 1));
        double room = (1 - scale) * 0.5 + 0.04 * style.affine();
        double tx = room * size * (2 * r.nextDouble() - 1), ty = room * size * (2 * r.nextDouble() - 1);
        double c = Math.cos(rot), s = Math.sin(rot);
        double a00 = c * sx, a01 = c * shear * sy - s * sy, a10 = s * sx, a11 = s * shear * sy + c * sy;
        double half = size / 2.0;

        float[] ink = new float[size * size];
        for (double[] st : kept) {
            double[] p = new double[st.length];
            for (int i = 0; i < st.length; i += 2) {
                double x = st[i] - half, y = st[i + 1] - half;
                p[i] = half + a00 * x + a01 * y + tx;
                p[i + 1] = half + a10 * x + a11 * y + ty;
            }
            List<double[]> pieces = r.nextDouble() < style.breaks() ? breakUp(p, r, k) : List.of(p);
            int times = r.nextDouble() < style.redraw() ? 2 : 1;
            for (double[] piece : pieces) for (int t = 0; t < times; t++) pen(ink, size, piece, style, r, k);
        }
        if (corruptions.contains(Corruption.CLUTTER)) clutter(ink, size, style, r, k);
        byte[] out = new byte[size * size];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Math.round(255 * (1 - Math.min(1f, ink[i])));
        return out;
    }

    /** Keeps the strokes whose middle lies on one side of a random line through the drawing's centre (at least one). */
    private static List<double[]> partial(List<double[]> strokes, SplittableRandom r) {
        if (strokes.size() < 2) return strokes;
        double cx = 0, cy = 0;
        int n = 0;
        for (double[] s : strokes) for (int i = 0; i < s.length; i += 2) { cx += s[i]; cy += s[i + 1]; n++; }
        cx /= n;
        cy /= n;
        double a = 2 * Math.PI * r.nextDouble(), nx = Math.cos(a), ny = Math.sin(a), off = 6 * (2 * r.nextDouble() - 1);
        List<double[]> out = new ArrayList<>();
        for (double[] s : strokes) {
            int m = s.length / 4 * 2;
            if ((s[m] - cx) * nx + (s[m + 1] - cy) * ny > off) out.add(s);
        }
        if (out.isEmpty()) out.add(strokes.getFirst());
        return out;
    }

    /** Splits a stroke at 1-2 random places, dropping a short gap at each. */
    private static List<double[]> breakUp(double[] p, SplittableRandom r, double k) {
        double[] dense = resample(p, 1.0);
        int n = dense.length / 2;
        if (n < 12) return List.of(p);
        int cuts = 1 + r.nextInt(2);
        List<double[]> out = new ArrayList<>();
        int from = 0;
        for (int c = 0; c < cuts; c++) {
            int at = from + 3 + r.nextInt(Math.max(1, (n - from) / (cuts - c + 1)));
            int gap = (int) Math.round(k * (2 + 4 * r.nextDouble()));
            if (at + gap >= n - 3) break;
            out.add(java.util.Arrays.copyOfRange(dense, 2 * from, 2 * at));
            from = at + gap;
        }
        out.add(java.util.Arrays.copyOfRange(dense, 2 * from, 2 * n));
        return out;
    }

    /** Points every step pixels along the polyline (ends kept). */
    static double[] resample(double[] p, double step) {
        double total = 0;
        for (int i = 2; i < p.length; i += 2) total += Math.hypot(p[i] - p[i - 2], p[i + 1] - p[i - 1]);
        double[] out = new double[2 * ((int) (total / step) + 3)];
        int m = 0;
        out[m++] = p[0];
        out[m++] = p[1];
        double carry = 0;
        for (int i = 2; i < p.length; i += 2) {
            double ax = p[i - 2], ay = p[i - 1], bx = p[i], by = p[i + 1];
            double len = Math.hypot(bx - ax, by - ay);
            double d = step - carry;
            while (d <= len && m + 2 <= out.length - 2) {
                out[m++] = ax + (bx - ax) * d / len;
                out[m++] = ay + (by - ay) * d / len;
                d += step;
            }
            carry = len - (d - step);
        }
        if (m < 4 || out[m - 2] != p[p.length - 2] || out[m - 1] != p[p.length - 1]) {
            out[m++] = p[p.length - 2];
            out[m++] = p[p.length - 1];
        }
        return java.util.Arrays.copyOf(out, m);
    }

    /** One pen stroke: ends extended or trimmed, sideways wobble and tremor, varying width and pressure. */
    private static void pen(float[] ink, int size, double[] p, Style st, SplittableRandom r, double k) {
        double[] q = resample(p, 1.5 * k);
        int n = q.length / 2;
        if (n < 2) return;
        // Over- or undershoot: move each end along its tangent.
        for (int end = 0; end < 2; end++) {
            int i0 = end == 0 ? 0 : n - 1, i1 = end == 0 ? Math.min(n - 1, 3) : Math.max(0, n - 4);
            double tx = q[2 * i0] - q[2 * i1], ty = q[2 * i0 + 1] - q[2 * i1 + 1], tl = Math.hypot(tx, ty);
            if (tl == 0) continue;
            double e = k * st.overshoot() * (2 * r.nextDouble() - 0.8);
            e = Math.max(e, -0.3 * tl);
            q[2 * i0] += tx / tl * e;
            q[2 * i0 + 1] += ty / tl * e;
        }
        double len = 0;
        for (int i = 1; i < n; i++) len += Math.hypot(q[2 * i] - q[2 * i - 2], q[2 * i + 1] - q[2 * i - 1]);
        double f1 = 0.5 + r.nextDouble(), f2 = 2 + 2 * r.nextDouble(), ph1 = 2 * Math.PI * r.nextDouble(), ph2 = 2 * Math.PI * r.nextDouble();
        double amp = k * st.wobble() * Math.min(1, len / (30 * k) + 0.3);
        double width = k * (st.penMin() + (st.penMax() - st.penMin()) * r.nextDouble());
        double dark = 0.65 + 0.35 * r.nextDouble();
        double tremor = 0, s = 0;
        double[] w = new double[2 * n];
        for (int i = 0; i < n; i++) {
            int a = Math.max(0, i - 1), b = Math.min(n - 1, i + 1);
            double dx = q[2 * b] - q[2 * a], dy = q[2 * b + 1] - q[2 * a + 1], dl = Math.hypot(dx, dy);
            double nx = dl > 0 ? -dy / dl : 0, ny = dl > 0 ? dx / dl : 0;
            if (i > 0) s += Math.hypot(q[2 * i] - q[2 * i - 2], q[2 * i + 1] - q[2 * i - 1]);
            double u = len > 0 ? s / len : 0;
            tremor = 0.7 * tremor + k * st.jitter() * r.nextGaussian();
            double off = amp * (0.65 * Math.sin(2 * Math.PI * f1 * u + ph1) + 0.35 * Math.sin(2 * Math.PI * f2 * u + ph2)) + tremor;
            w[2 * i] = q[2 * i] + nx * off;
            w[2 * i + 1] = q[2 * i + 1] + ny * off;
        }
        for (int i = 1; i < n; i++) {
            double u = (double) i / (n - 1);
            double pressure = 0.75 + 0.25 * Math.sin(Math.PI * u); // thinner at the ends
            segment(ink, size, w[2 * i - 2], w[2 * i - 1], w[2 * i], w[2 * i + 1], 0.5 * width * pressure, (float) dark);
        }
    }

    /** Antialiased capsule: coverage falls off over one pixel at radius rad; ink keeps the darkest value. */
    static void segment(float[] ink, int size, double ax, double ay, double bx, double by, double rad, float dark) {
        int x0 = Math.max(0, (int) Math.floor(Math.min(ax, bx) - rad - 1)), x1 = Math.min(size - 1, (int) Math.ceil(Math.max(ax, bx) + rad + 1));
        int y0 = Math.max(0, (int) Math.floor(Math.min(ay, by) - rad - 1)), y1 = Math.min(size - 1, (int) Math.ceil(Math.max(ay, by) + rad + 1));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double d = segDist(x + 0.5, y + 0.5, ax, ay, bx, by);
                double cov = Math.max(0, Math.min(1, rad + 0.5 - d));
                if (cov <= 0) continue;
                float v = (float) (cov * dark);
                int i = y * size + x;
                if (v > ink[i]) ink[i] = v;
            }
        }
    }

    /** Stray marks: scribbles, hatching and straight lines that belong to no part of the shape. */
    private static void clutter(float[] ink, int size, Style st, SplittableRandom r, double k) {
        int marks = 4 + r.nextInt(9);
        for (int m = 0; m < marks; m++) {
            double x = size * (0.05 + 0.9 * r.nextDouble()), y = size * (0.05 + 0.9 * r.nextDouble());
            int kind = r.nextInt(3);
            double[] p;
            if (kind == 0) { // scribble: a random walk with momentum
                int steps = 10 + r.nextInt(25);
                p = new double[2 * steps];
                double a = 2 * Math.PI * r.nextDouble();
                for (int i = 0; i < steps; i++) {
                    p[2 * i] = x;
                    p[2 * i + 1] = y;
                    a += 0.9 * r.nextGaussian();
                    x += 2.5 * k * Math.cos(a);
                    y += 2.5 * k * Math.sin(a);
                }
            } else { // straight line or hatch
                double a = 2 * Math.PI * r.nextDouble(), l = k * (kind == 1 ? 20 + 60 * r.nextDouble() : 6 + 10 * r.nextDouble());
                int reps = kind == 1 ? 1 : 3 + r.nextInt(4);
                for (int h = 0; h < reps; h++) {
                    double ox = x + h * 3 * k * Math.sin(a), oy = y - h * 3 * k * Math.cos(a);
                    pen(ink, size, new double[]{ox, oy, ox + l * Math.cos(a), oy + l * Math.sin(a)}, st, r, k);
                }
                continue;
            }
            pen(ink, size, p, st, r, k);
        }
    }

    /** Picks one or two distinct corruptions for a low-quality sketch. */
    public static Set<Corruption> pickCorruptions(SplittableRandom r) {
        Corruption[] all = Corruption.values();
        Set<Corruption> set = EnumSet.of(all[r.nextInt(all.length)]);
        if (r.nextDouble() < 0.5) set.add(all[r.nextInt(all.length)]);
        return set;
    }
}
