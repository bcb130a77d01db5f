// The procedural shape classes of the synthetic benchmark: each a parametric family with random proportions, part counts and styles.
package org.uactn.train.synth;

import org.uactn.render.mesh.Mesh;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Families are deliberately close in places (cup/mug, table/bench/bed, tower/bottle, lamp/tree)
 * so that retrieval is not trivial; within a family the random parameters change proportions,
 * part counts and styles enough that two instances rarely look alike.
 */
public final class ShapeFamilies {
    /** A family: builds one instance from a random stream (all randomness must come from r). */
    public interface Builder {
        void build(MeshKit k, SplittableRandom r);
    }

    public record Family(String name, Builder builder) {
        /** One instance, turned by a random angle about the up axis. */
        public Mesh create(SplittableRandom r, String id) {
            MeshKit k = new MeshKit();
            builder.build(k, r);
            return k.build(name + "-" + id, r.nextDouble(360));
        }
    }

    /** The first 15 are the default benchmark's classes. */
    public static final List<Family> ALL = List.of(
            new Family("chair", ShapeFamilies::chair),
            new Family("table", ShapeFamilies::table),
            new Family("mug", ShapeFamilies::mug),
            new Family("bottle", ShapeFamilies::bottle),
            new Family("lamp", ShapeFamilies::lamp),
            new Family("airplane", ShapeFamilies::airplane),
            new Family("car", ShapeFamilies::car),
            new Family("house", ShapeFamilies::house),
            new Family("tower", ShapeFamilies::tower),
            new Family("bed", ShapeFamilies::bed),
            new Family("bench", ShapeFamilies::bench),
            new Family("glasses", ShapeFamilies::glasses),
            new Family("guitar", ShapeFamilies::guitar),
            new Family("tree", ShapeFamilies::tree),
            new Family("cup", ShapeFamilies::cup),
            new Family("bookshelf", ShapeFamilies::bookshelf),
            new Family("umbrella", ShapeFamilies::umbrella),
            new Family("dumbbell", ShapeFamilies::dumbbell));

    private ShapeFamilies() {}

    private static double u(SplittableRandom r, double a, double b) { return a + (b - a) * r.nextDouble(); }

    private static int n(SplittableRandom r, int a, int b) { return a + r.nextInt(b - a + 1); }

    /** Four (or three, or one central) legs under a rectangle of half-sizes hx, hz. */
    private static void legs(MeshKit k, SplittableRandom r, double hx, double hz, double y0, double y1, double thick, boolean round) {
        int style = r.nextInt(5);
        if (style == 0) { // pedestal
            k.post(0, 0, y0 + 0.04, y1, thick * 1.2, 10);
            k.lathe(0, 0, new double[]{Math.min(hx, hz) * 0.7, thick}, new double[]{y0, y0 + 0.05}, 14, 1, 1);
            return;
        }
        double ix = hx - thick, iz = hz - thick;
        double[][] at = {{-ix, -iz}, {ix, -iz}, {ix, iz}, {-ix, iz}};
        double splay = style == 4 ? u(r, 0.05, 0.15) : 0;
        for (double[] p : at) {
            if (round) k.tube(p[0] * (1 + splay), y0, p[1] * (1 + splay), p[0], y1, p[1], thick * 0.6, thick * 0.6, 8);
            else k.box(p[0], 0.5 * (y0 + y1), p[1], thick, y1 - y0, thick);
        }
        if (style == 3) { // stretchers between the legs
            double y = y0 + (y1 - y0) * u(r, 0.15, 0.35);
            k.box(0, y, -iz, 2 * ix, thick * 0.6, thick * 0.6).box(0, y, iz, 2 * ix, thick * 0.6, thick * 0.6);
        }
    }

    static void chair(MeshKit k, SplittableRandom r) {
        double w = u(r, 0.7, 1.0), d = u(r, 0.65, 0.95), seatY = u(r, 0.7, 1.0), t = u(r, 0.06, 0.12), back = u(r, 0.6, 1.1);
        k.box(0, seatY, 0, w, t, d);
        legs(k, r, w / 2, d / 2, 0, seatY - t / 2, u(r, 0.05, 0.09), r.nextBoolean());
        double by = seatY + t / 2, bz = -d / 2 + 0.04;
        switch (r.nextInt(3)) {
            case 0 -> k.box(0, by + back / 2, bz, w, back, 0.07);
            case 1 -> { // slats between two posts
                k.box(-w / 2 + 0.04, by + back / 2, bz, 0.07, back, 0.07).box(w / 2 - 0.04, by + back / 2, bz, 0.07, back, 0.07);
                int slats = n(r, 2, 5);
                for (int i = 0; i < slats; i++) k.box(0, by + back * (0.3 + 0.65 * i / Math.max(1, slats - 1)), bz, w, 0.06, 0.05);
            }
            default -> { // vertical spindles under a top rail
                k.box(0, by + back - 0.05, bz, w, 0.1, 0.07);
                int sp = n(r, 3, 6);
                for (int i = 0; i < sp; i++) k.box(-w / 2 + 0.05 + (w - 0.1) * i / (sp - 1), by + back / 2, bz, 0.05, back, 0.05);
            }
        }
        if (r.nextInt(3) == 0) { // arm rests
            double ay = seatY + u(r, 0.2, 0.35);
            for (int s = -1; s <= 1; s += 2) k.box(s * w / 2, ay, 0, 0.07, 0.06, d).box(s * w / 2, (seatY + ay) / 2, d / 2 - 0.05, 0.06, ay - seatY, 0.06);
        }
    }

    static void table(MeshKit k, SplittableRandom r) {
        double w = u(r, 1.2, 2.0), d = u(r, 0.7, 1.2), h = u(r, 0.7, 1.0), t = u(r, 0.05, 0.12);
        boolean round = r.nextInt(3) == 0;
        if (round) k.lathe(0, 0, new double[]{w / 2, w / 2}, new double[]{h - t, h}, 24, 1, d / w); // round or oval top
        else k.box(0, h - t / 2, 0, w, t, d);
        double inset = round ? 0.62 : 0.9; // legs stay under an oval top
        legs(k, r, w / 2 * inset, d / 2 * inset, 0, h - t, u(r, 0.05, 0.1), r.nextInt(3) == 0);
        if (r.nextInt(3) == 0) k.box(0, h * u(r, 0.2, 0.4), 0, w * 0.85, 0.04, d * 0.8); // lower shelf
    }

    private static void vessel(MeshKit k, SplittableRandom r, double h, double rb, double rt, boolean handle) {
        int rings = n(r, 3, 6);
        double[] radii = new double[rings + 1], hs = new double[rings + 1];
        double bulge = u(r, -0.15, 0.2);
        for (int i = 0; i <= rings; i++) {
            double f = (double) i / rings;
            radii[i] = rb + (rt - rb) * f + bulge * rb * Math.sin(Math.PI * f);
            hs[i] = h * f;
        }
        k.lathe(0, 0, radii, hs, 20, 1, 1);
        if (handle) {
            double hr = u(r, 0.22, 0.4) * h, cy = h * u(r, 0.45, 0.55), x = Math.max(rb, rt) * 0.9;
            double span = r.nextInt(3) == 0 ? 200 : 170;
            k.arc(x, cy, 0, new double[]{0, 1, 0}, new double[]{1, 0, 0}, hr, 90 - span / 2, 90 + span / 2, u(r, 0.03, 0.06), 10, 6);
        }
    }

    static void mug(MeshKit k, SplittableRandom r) {
        double h = u(r, 0.8, 1.3), rad = u(r, 0.35, 0.5);
        vessel(k, r, h, rad * u(r, 0.9, 1.05), rad, true);
    }

    static void cup(MeshKit k, SplittableRandom r) {
        double h = u(r, 0.6, 1.2), rt = u(r, 0.35, 0.55);
        if (r.nextInt(3) == 0) { // stemmed (goblet-like) cup
            double sh = h * u(r, 0.3, 0.5);
            k.lathe(0, 0, new double[]{rt * 0.8, rt * 0.1, rt * 0.1}, new double[]{0, 0.04, sh}, 16, 1, 1);
            k.lathe(0, 0, new double[]{rt * 0.1, rt * 0.7, rt}, new double[]{sh, sh + (h - sh) * 0.5, h}, 20, 1, 1);
        } else {
            vessel(k, r, h, rt * u(r, 0.55, 0.8), rt, false);
        }
        if (r.nextInt(4) == 0) k.lathe(0, 0, new double[]{rt * 1.6, rt * 1.6}, new double[]{-0.03, 0}, 20, 1, 1); // saucer
    }

    static void bottle(MeshKit k, SplittableRandom r) {
        double body = u(r, 0.25, 0.45), h = u(r, 1.6, 2.6), shoulder = h * u(r, 0.45, 0.7), neck = body * u(r, 0.25, 0.45);
        double neckTop = h * u(r, 0.85, 0.95);
        k.lathe(0, 0, new double[]{body * 0.95, body, body, neck, neck, neck * 1.2, neck * 1.2},
                new double[]{0, 0.05, shoulder, shoulder + (neckTop - shoulder) * u(r, 0.3, 0.6), neckTop, neckTop, h}, 18, 1, r.nextInt(4) == 0 ? 0.6 : 1);
    }

    static void lamp(MeshKit k, SplittableRandom r) {
        double h = u(r, 1.2, 2.2), base = u(r, 0.25, 0.45);
        k.lathe(0, 0, new double[]{base, base * 0.8, 0.05}, new double[]{0, 0.08, 0.12}, 16, 1, 1);
        double sr0 = u(r, 0.3, 0.5), sr1 = sr0 * u(r, 0.45, 0.8), sh = u(r, 0.3, 0.55);
        if (r.nextInt(3) == 0) { // desk lamp: bent arm
            double ax = u(r, 0.3, 0.6);
            k.tube(0, 0.1, 0, ax, h * 0.6, 0, 0.03, 0.03, 6).tube(ax, h * 0.6, 0, ax * 0.3, h * 0.85, 0, 0.03, 0.03, 6);
            k.tube(ax * 0.3, h * 0.85, 0, ax * 0.3 - 0.1, h * 0.85 - sh, 0, sr1 * 0.6, sr0 * 0.8, 14);
        } else {
            k.post(0, 0, 0.1, h - sh * 0.6, u(r, 0.025, 0.05), 8);
            k.lathe(0, 0, new double[]{sr0, sr1}, new double[]{h - sh, h}, 20, 1, 1);
        }
    }

    static void airplane(MeshKit k, SplittableRandom r) {
        double len = u(r, 2.0, 3.0), fr = u(r, 0.12, 0.2), span = u(r, 1.8, 3.0), chord = u(r, 0.35, 0.6);
        k.tube(0, 0, -len / 2, 0, 0, len / 2, fr * 0.5, fr, 12); // fuselage along Z, nose at +Z
        k.ellipsoid(0, 0, len / 2, fr, fr, fr * 2, 6, 12);
        double wz = u(r, -0.15, 0.15), sweep = u(r, 0, 0.5), wy = r.nextBoolean() ? -fr * 0.5 : fr * 0.3;
        // Wings as flat boxes, swept by yawing each half.
        for (int s = -1; s <= 1; s += 2) k.boxYaw(s * span / 4, wy, wz - sweep * span / 8, span / 2, 0.05, chord, s * Math.toDegrees(Math.atan(sweep * 0.5)));
        double tail = u(r, 0.5, 0.9);
        k.box(0, 0, -len / 2 + 0.15, tail, 0.04, 0.25);
        k.box(0, u(r, 0.2, 0.35) / 2 + fr * 0.5, -len / 2 + 0.15, 0.04, u(r, 0.25, 0.45), 0.3);
        int engines = r.nextInt(3); // 0, 2 or 4 engines
        for (int e = 0; e < engines * 2 && engines > 0; e++) {
            double x = (e % 2 == 0 ? -1 : 1) * span * (0.15 + 0.12 * (e / 2));
            k.tube(x, wy - 0.12, wz + 0.3, x, wy - 0.12, wz - 0.2, 0.08, 0.08, 10);
        }
    }

    static void car(MeshKit k, SplittableRandom r) {
        double len = u(r, 1.8, 2.6), w = u(r, 0.8, 1.1), bodyH = u(r, 0.3, 0.5), wheelR = u(r, 0.18, 0.28);
        double y0 = wheelR * 0.9;
        k.box(0, y0 + bodyH / 2, 0, w, bodyH, len);
        int cabin = r.nextInt(3); // sedan, van, pickup
        double ch = u(r, 0.25, 0.45), cl = cabin == 1 ? len * 0.85 : len * u(r, 0.4, 0.55), cz = cabin == 2 ? len * 0.15 : u(r, -0.2, 0.1);
        k.prismZ(new double[]{-w / 2 * 0.9, y0 + bodyH, w / 2 * 0.9, y0 + bodyH, w / 2 * 0.8, y0 + bodyH + ch, -w / 2 * 0.8, y0 + bodyH + ch},
                cz - cl / 2, cz + cl / 2, 0);
        int axles = r.nextInt(4) == 0 ? 3 : 2;
        for (int a = 0; a < axles; a++) {
            double z = -len / 2 + wheelR + 0.1 + (len - 2 * wheelR - 0.2) * a / (axles - 1);
            for (int s = -1; s <= 1; s += 2) k.tube(s * w / 2 - s * 0.1, wheelR, z, s * w / 2 + s * 0.05, wheelR, z, wheelR, wheelR, 14);
        }
    }

    static void house(MeshKit k, SplittableRandom r) {
        double w = u(r, 1.2, 2.0), d = u(r, 1.0, 1.6), h = u(r, 0.7, 1.2), roof = u(r, 0.4, 0.9);
        int floors = r.nextInt(3) == 0 ? 2 : 1;
        k.box(0, h * floors / 2, 0, w, h * floors, d);
        double top = h * floors, over = u(r, 0, 0.12);
        if (r.nextInt(4) == 0) { // hipped (pyramid-like) roof
            k.lathe(0, 0, new double[]{Math.max(w, d) * 0.75, 0.02}, new double[]{top, top + roof}, 4, w / Math.max(w, d), d / Math.max(w, d), 45);
        } else {
            k.prismZ(new double[]{-w / 2 - over, top, w / 2 + over, top, 0, top + roof}, -d / 2 - over, d / 2 + over, 0);
        }
        if (r.nextBoolean()) k.box(w * u(r, -0.3, 0.3), top + roof * 0.6, d * 0.2, 0.15, roof * 0.9, 0.15); // chimney
        k.box(w * u(r, -0.25, 0.25), 0.3, d / 2 + 0.02, 0.25, 0.6, 0.04); // door
        int windows = n(r, 1, 4);
        for (int i = 0; i < windows; i++) k.box(-w / 2 + w * (i + 0.5) / windows, h * 0.6, d / 2 + 0.02, 0.18, 0.2, 0.03);
    }

    static void tower(MeshKit k, SplittableRandom r) {
        int tiers = n(r, 2, 4);
        double y = 0, rad = u(r, 0.35, 0.55);
        boolean square = r.nextBoolean();
        for (int t = 0; t < tiers; t++) {
            double h = u(r, 0.6, 1.2), r1 = rad * u(r, 0.75, 0.95);
            k.lathe(0, 0, new double[]{rad, r1}, new double[]{y, y + h}, square ? 4 : 16, 1, 1);
            y += h;
            if (r.nextBoolean()) k.lathe(0, 0, new double[]{r1 * 1.2, r1 * 1.2}, new double[]{y, y + 0.08}, square ? 4 : 16, 1, 1); // balcony ring
            rad = r1;
        }
        k.lathe(0, 0, new double[]{rad * 1.1, 0.01}, new double[]{y, y + u(r, 0.3, 1.0)}, square ? 4 : 16, 1, 1); // spire
    }

    static void bed(MeshKit k, SplittableRandom r) {
        double w = u(r, 1.0, 1.8), len = u(r, 1.8, 2.3), h = u(r, 0.3, 0.5), mat = u(r, 0.12, 0.25);
        k.box(0, h / 2, 0, w, h - 0.1, len);
        k.box(0, h + mat / 2 - 0.05, 0, w * 0.96, mat, len * 0.97);
        double head = u(r, 0.5, 1.0);
        k.box(0, head / 2, -len / 2, w, head, 0.08);
        if (r.nextBoolean()) k.box(0, head * 0.3, len / 2, w, head * 0.6, 0.08);
        int pillows = n(r, 1, 2);
        for (int p = 0; p < pillows; p++) k.ellipsoid(-w / 2 + w * (p + 0.5) / pillows, h + mat, -len / 2 + 0.3, w / pillows * 0.4, 0.08, 0.18, 4, 10);
        for (int s = -1; s <= 1; s += 2) for (int e = -1; e <= 1; e += 2) k.box(s * (w / 2 - 0.05), 0.05, e * (len / 2 - 0.05), 0.08, 0.1, 0.08);
    }

    static void bench(MeshKit k, SplittableRandom r) {
        double len = u(r, 1.6, 2.6), d = u(r, 0.35, 0.55), h = u(r, 0.4, 0.55);
        int planks = n(r, 1, 4);
        for (int p = 0; p < planks; p++) k.box(0, h, -d / 2 + d * (p + 0.5) / planks, len, 0.05, d / planks * 0.9);
        if (r.nextBoolean()) {
            for (int s = -1; s <= 1; s += 2) k.box(s * (len / 2 - 0.1), h / 2, 0, 0.08, h, d);
        } else {
            legs(k, r, len / 2, d / 2, 0, h, 0.06, false);
        }
        if (r.nextBoolean()) { // back rest
            double bh = u(r, 0.3, 0.5);
            for (int s = -1; s <= 1; s += 2) k.box(s * (len / 2 - 0.1), h + bh / 2, -d / 2, 0.06, bh, 0.06);
            k.box(0, h + bh * 0.75, -d / 2, len, bh * 0.4, 0.04);
        }
    }

    static void glasses(MeshKit k, SplittableRandom r) {
        double lr = u(r, 0.25, 0.4), gap = u(r, 0.12, 0.25), tr = u(r, 0.02, 0.04), arm = u(r, 0.9, 1.4);
        double cx = lr + gap / 2;
        boolean square = r.nextInt(3) == 0;
        for (int s = -1; s <= 1; s += 2) {
            if (square) {
                double hw = lr, hh = lr * u(r, 0.6, 0.9);
                k.box(s * cx, hh, 0, 2 * hw, tr * 2, tr * 2).box(s * cx, -hh, 0, 2 * hw, tr * 2, tr * 2)
                        .box(s * cx - hw, 0, 0, tr * 2, 2 * hh, tr * 2).box(s * cx + hw, 0, 0, tr * 2, 2 * hh, tr * 2);
            } else {
                k.arc(s * cx, 0, 0, new double[]{1, 0, 0}, new double[]{0, 1, 0}, lr, 0, 360, tr, 16, 5);
            }
            double ex = s * (cx + lr);
            k.tube(ex, lr * 0.3, 0, ex, lr * 0.3 - u(r, 0, 0.1), -arm, tr, tr, 5);
        }
        k.arc(0, lr * 0.2, 0, new double[]{1, 0, 0}, new double[]{0, 1, 0}, gap / 2 + 0.02, 20, 160, tr, 6, 5);
    }

    static void guitar(MeshKit k, SplittableRandom r) {
        double lower = u(r, 0.4, 0.55), upper = lower * u(r, 0.7, 0.85), th = u(r, 0.12, 0.25), neck = u(r, 1.0, 1.5);
        boolean electric = r.nextInt(3) == 0;
        // Lying in the XY plane: body ellipses stacked along Y, neck upwards, thickness along Z.
        k.ellipsoid(0, lower, 0, lower, lower * 0.95, th / 2, 6, 18);
        k.ellipsoid(electric ? 0.1 : 0, lower * 2 + upper * 0.6, 0, upper, upper * 0.9, th / 2, 6, 18);
        double top = lower * 2 + upper * 1.3;
        k.box(0, top + neck / 2, 0, 0.1, neck, 0.06);
        k.box(0, top + neck + 0.12, 0, 0.16, 0.26, 0.05);
        if (!electric) k.tube(0, lower * 2.2, th / 2 - 0.02, 0, lower * 2.2, th / 2 + 0.01, upper * 0.35, upper * 0.35, 14);
    }

    static void tree(MeshKit k, SplittableRandom r) {
        double trunkH = u(r, 0.5, 1.0), tr = u(r, 0.06, 0.14);
        k.post(0, 0, 0, trunkH + 0.2, tr, 8);
        switch (r.nextInt(3)) {
            case 0 -> { // conifer: stacked cones
                int tiers = n(r, 2, 4);
                double y = trunkH, rad = u(r, 0.6, 0.9);
                for (int t = 0; t < tiers; t++) {
                    double h = u(r, 0.5, 0.8);
                    k.lathe(0, 0, new double[]{rad, 0.01}, new double[]{y, y + h}, 14, 1, 1);
                    y += h * 0.55;
                    rad *= 0.75;
                }
            }
            case 1 -> k.ellipsoid(0, trunkH + 0.5, 0, u(r, 0.5, 0.9), u(r, 0.5, 0.8), u(r, 0.5, 0.9), 8, 14); // round crown
            default -> { // several blobs on branches
                int blobs = n(r, 3, 5);
                for (int b = 0; b < blobs; b++) {
                    double a = 2 * Math.PI * b / blobs + u(r, 0, 0.5), d = u(r, 0.2, 0.45), y = trunkH + u(r, 0.3, 0.8);
                    k.tube(0, trunkH * 0.8, 0, d * Math.cos(a), y, d * Math.sin(a), tr * 0.6, tr * 0.4, 6);
                    k.ellipsoid(d * Math.cos(a), y + 0.1, d * Math.sin(a), u(r, 0.25, 0.4), u(r, 0.2, 0.35), u(r, 0.25, 0.4), 6, 10);
                }
            }
        }
    }

    static void bookshelf(MeshKit k, SplittableRandom r) {
        double w = u(r, 0.8, 1.6), h = u(r, 1.4, 2.4), d = u(r, 0.3, 0.45), t = 0.05;
        int shelves = n(r, 3, 6);
        k.box(-w / 2, h / 2, 0, t, h, d).box(w / 2, h / 2, 0, t, h, d).box(0, h / 2, -d / 2, w, h, 0.02);
        for (int s = 0; s <= shelves; s++) k.box(0, h * s / shelves + (s == 0 ? t / 2 : s == shelves ? -t / 2 : 0), 0, w, t, d);
        for (int s = 0; s < shelves; s++) { // some books
            int books = r.nextInt(6);
            double x = -w / 2 + 0.05;
            for (int b = 0; b < books && x < w / 2 - 0.1; b++) {
                double bw = u(r, 0.04, 0.1), bh = h / shelves * u(r, 0.5, 0.85);
                k.box(x + bw / 2, h * s / shelves + t / 2 + bh / 2, 0, bw, bh, d * 0.8);
                x += bw + 0.005;
            }
        }
    }

    static void umbrella(MeshKit k, SplittableRandom r) {
        double h = u(r, 1.4, 2.0), rad = u(r, 0.7, 1.1), canopy = u(r, 0.25, 0.5);
        int ribs = n(r, 6, 10);
        k.post(0, 0, 0.15, h + 0.1, 0.025, 6);
        k.lathe(0, 0, new double[]{rad, rad * 0.6, 0.02}, new double[]{h - canopy, h - canopy * 0.3, h}, ribs, 1, 1);
        if (r.nextBoolean()) k.arc(0.1, 0.15, 0, new double[]{1, 0, 0}, new double[]{0, 1, 0}, 0.1, 180, 360, 0.025, 8, 6); // hooked handle
        else k.post(0, 0, 0, 0.25, 0.05, 8);
    }

    static void dumbbell(MeshKit k, SplittableRandom r) {
        double bar = u(r, 0.8, 1.5), br = u(r, 0.04, 0.07);
        int plates = n(r, 1, 3);
        k.tube(-bar / 2, 0, 0, bar / 2, 0, 0, br, br, 8);
        for (int s = -1; s <= 1; s += 2) {
            double x = s * bar * 0.3;
            for (int p = 0; p < plates; p++) {
                double pr = u(r, 0.2, 0.35) * (1 - 0.15 * p), pw = u(r, 0.05, 0.12);
                double x0 = x + s * p * 0.13;
                k.tube(x0, 0, 0, x0 + s * pw, 0, 0, pr, pr, r.nextInt(3) == 0 ? 6 : 16);
            }
        }
    }
}
