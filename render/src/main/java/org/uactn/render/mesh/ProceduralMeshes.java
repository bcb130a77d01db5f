// Meshes built in code: benchmark tori of a chosen triangle count, boxes, and the axes marker used in docs and tests.
package org.uactn.render.mesh;

import java.util.Arrays;

public final class ProceduralMeshes {
    private ProceduralMeshes() {}

    /**
     * A torus around the Y axis (major radius 1, minor 0.4) with 2*u*v triangles; its surface is
     * modulated by a few bumps so that views differ and shading varies.
     */
    public static Mesh torus(int u, int v) {
        if (u < 3 || v < 3) throw new IllegalArgumentException("torus needs at least 3x3 segments, got " + u + "x" + v);
        float[] p = new float[3 * u * v];
        for (int i = 0; i < u; i++) {
            double a = 2 * Math.PI * i / u;
            for (int j = 0; j < v; j++) {
                double b = 2 * Math.PI * j / v;
                double r = 0.4 * (1 + 0.15 * Math.sin(5 * a) * Math.cos(b));
                int o = 3 * (i * v + j);
                p[o] = (float) ((1 + r * Math.cos(b)) * Math.sin(a));
                p[o + 1] = (float) (r * Math.sin(b));
                p[o + 2] = (float) ((1 + r * Math.cos(b)) * Math.cos(a));
            }
        }
        int[] t = new int[6 * u * v];
        int k = 0;
        for (int i = 0; i < u; i++) {
            for (int j = 0; j < v; j++) {
                int a = i * v + j, b = ((i + 1) % u) * v + j, c = ((i + 1) % u) * v + (j + 1) % v, d = i * v + (j + 1) % v;
                t[k++] = a; t[k++] = b; t[k++] = c;
                t[k++] = a; t[k++] = c; t[k++] = d;
            }
        }
        return new Mesh("torus-" + u + "x" + v, p, t, 0);
    }

    /** An axis-aligned box, outward counter-clockwise faces, 12 triangles. */
    public static Mesh box(double x0, double y0, double z0, double x1, double y1, double z1) {
        return boxes(new double[][]{{x0, y0, z0, x1, y1, z1}}, "box");
    }

    /**
     * A cube at the origin with three arms of different lengths: +X longest (to 1), +Y medium
     * (to 0.7), +Z short (to 0.45). Which arm points where shows the camera conventions.
     */
    public static Mesh axesMarker() {
        double c = 0.2, a = 0.07;
        return boxes(new double[][]{
                {-c, -c, -c, c, c, c},
                {c, -a, -a, 1.0, a, a},
                {-a, c, -a, a, 0.7, a},
                {-a, -a, c, a, a, 0.45}}, "axes-marker");
    }

    /** Boxes given as {x0,y0,z0,x1,y1,z1} rows, as one mesh. */
    public static Mesh boxes(double[][] rows, String name) {
        float[] p = new float[rows.length * 24];
        int[] t = new int[rows.length * 36];
        // Corner i has x from bit 0, y from bit 1, z from bit 2; faces listed counter-clockwise seen from outside.
        int[][] quads = {{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}};
        for (int bIdx = 0; bIdx < rows.length; bIdx++) {
            double[] r = rows[bIdx];
            for (int i = 0; i < 8; i++) {
                p[24 * bIdx + 3 * i] = (float) ((i & 1) == 0 ? r[0] : r[3]);
                p[24 * bIdx + 3 * i + 1] = (float) ((i & 2) == 0 ? r[1] : r[4]);
                p[24 * bIdx + 3 * i + 2] = (float) ((i & 4) == 0 ? r[2] : r[5]);
            }
            int k = 36 * bIdx, base = 8 * bIdx;
            for (int[] q : quads) {
                t[k++] = base + q[0]; t[k++] = base + q[1]; t[k++] = base + q[2];
                t[k++] = base + q[0]; t[k++] = base + q[2]; t[k++] = base + q[3];
            }
        }
        return new Mesh(name, p, t, 0);
    }

    /** Copy of a mesh scaled by s about the origin (tests use it to fit meshes into the unit sphere). */
    public static Mesh scaled(Mesh m, double s) {
        float[] p = Arrays.copyOf(m.positions(), m.positions().length);
        for (int i = 0; i < p.length; i++) p[i] = (float) (p[i] * s);
        return new Mesh(m.source(), p, m.triangles(), m.droppedDegenerate());
    }
}
