// Per-mesh data both renderers draw from: unindexed triangles with face normals, and (lines mode) the edge list.
package org.uactn.render;

import org.uactn.render.mesh.Mesh;

import java.util.Arrays;

final class Geometry {
    /** Edge kinds stored in each edge vertex's w: drawn in every view, or only where it is an occluding contour. */
    static final float ALWAYS = 1f, CONTOUR_CANDIDATE = 0f;
    /** Floats per edge: four vertices (the edge's ends v0 v1, then the opposite corners a b), each x y z kind. */
    static final int EDGE_FLOATS = 16;

    final int triangles;
    /** 9 floats per triangle: the three corners. */
    final float[] corners;
    /** 3 floats per triangle: the unit normal from the winding (cross(b-a, c-a)). */
    final float[] normals;

    Geometry(Mesh m) {
        double r = m.radius();
        if (r > 1.001)
            throw new IllegalArgumentException("mesh " + m.source() + " reaches radius " + r + "; normalise it into the unit sphere before rendering");
        float[] p = m.positions();
        int[] t = m.triangles();
        triangles = t.length / 3;
        corners = new float[9 * triangles];
        normals = new float[3 * triangles];
        for (int f = 0; f < triangles; f++) {
            for (int k = 0; k < 3; k++) System.arraycopy(p, 3 * t[3 * f + k], corners, 9 * f + 3 * k, 3);
            int o = 9 * f;
            float ux = corners[o + 3] - corners[o], uy = corners[o + 4] - corners[o + 1], uz = corners[o + 5] - corners[o + 2];
            float vx = corners[o + 6] - corners[o], vy = corners[o + 7] - corners[o + 1], vz = corners[o + 8] - corners[o + 2];
            double nx = (double) uy * vz - (double) uz * vy, ny = (double) uz * vx - (double) ux * vz, nz = (double) ux * vy - (double) uy * vx;
            double l = Math.sqrt(nx * nx + ny * ny + nz * nz);
            if (l > 0) {
                normals[3 * f] = (float) (nx / l);
                normals[3 * f + 1] = (float) (ny / l);
                normals[3 * f + 2] = (float) (nz / l);
            } else {
                normals[3 * f + 2] = 1; // collapsed to zero area by float rounding; any normal will do
            }
        }
    }

    /**
     * The edges of the mesh after welding vertices with identical positions (files often repeat
     * vertices along seams). Boundary edges, edges of more than two faces, and edges whose faces
     * bend by more than creaseDeg are ALWAYS drawn; the rest are contour candidates, drawn in a view
     * where both faces lie on the same side of the plane through the eye and the edge. The bend is
     * measured without trusting the file's face orientation.
     */
    static float[] edges(Mesh m, double creaseDeg) {
        float[] p = m.positions();
        int[] t = m.triangles();
        int[] canon = weld(p, m.vertexCount());
        int nt = t.length / 3;
        int cap = Integer.highestOneBit(Math.max(4, 3 * nt)) * 4;
        long[] keys = new long[cap];
        Arrays.fill(keys, -1L);
        int[] count = new int[cap], oppA = new int[cap], oppB = new int[cap];
        int mask = cap - 1;
        int[] slots = new int[3 * nt];
        int used = 0;
        for (int f = 0; f < nt; f++) {
            for (int k = 0; k < 3; k++) {
                int i = canon[t[3 * f + k]], j = canon[t[3 * f + (k + 1) % 3]], o = canon[t[3 * f + (k + 2) % 3]];
                long key = ((long) Math.min(i, j) << 32) | Math.max(i, j);
                int h = (int) (mix(key) & mask);
                while (keys[h] != -1L && keys[h] != key) h = (h + 1) & mask;
                if (keys[h] == -1L) {
                    keys[h] = key;
                    oppA[h] = o;
                    slots[used++] = h;
                } else if (count[h] == 1) {
                    oppB[h] = o;
                }
                count[h]++;
            }
        }
        double cosLimit = Math.cos(Math.toRadians(creaseDeg));
        float[] out = new float[EDGE_FLOATS * used];
        for (int e = 0; e < used; e++) {
            int h = slots[e];
            int i0 = (int) (keys[h] >>> 32), i1 = (int) keys[h];
            int a = oppA[h], b = count[h] == 2 ? oppB[h] : oppA[h];
            float kind = ALWAYS;
            if (count[h] == 2) {
                double ex = p[3 * i1] - p[3 * i0], ey = p[3 * i1 + 1] - p[3 * i0 + 1], ez = p[3 * i1 + 2] - p[3 * i0 + 2];
                double[] n1 = cross(ex, ey, ez, p[3 * a] - p[3 * i0], p[3 * a + 1] - p[3 * i0 + 1], p[3 * a + 2] - p[3 * i0 + 2]);
                double[] n2 = cross(ex, ey, ez, p[3 * b] - p[3 * i0], p[3 * b + 1] - p[3 * i0 + 1], p[3 * b + 2] - p[3 * i0 + 2]);
                // Faces on opposite sides of the edge in one plane give n2 = -n1: the bend is the angle between n1 and -n2.
                double dot = -(n1[0] * n2[0] + n1[1] * n2[1] + n1[2] * n2[2]);
                double l = Math.sqrt((n1[0] * n1[0] + n1[1] * n1[1] + n1[2] * n1[2]) * (n2[0] * n2[0] + n2[1] * n2[1] + n2[2] * n2[2]));
                boolean crease = l > 0 && dot < cosLimit * l;
                kind = crease ? ALWAYS : CONTOUR_CANDIDATE;
            }
            int o = EDGE_FLOATS * e;
            int[] vs = {i0, i1, a, b};
            for (int k = 0; k < 4; k++) {
                out[o + 4 * k] = p[3 * vs[k]];
                out[o + 4 * k + 1] = p[3 * vs[k] + 1];
                out[o + 4 * k + 2] = p[3 * vs[k] + 2];
                out[o + 4 * k + 3] = kind;
            }
        }
        return out;
    }

    private static double[] cross(double ax, double ay, double az, double bx, double by, double bz) {
        return new double[]{ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx};
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        return k;
    }

    /** Maps each vertex to the first vertex with the same position. */
    private static int[] weld(float[] p, int nv) {
        int cap = Integer.highestOneBit(Math.max(4, nv)) * 4;
        int mask = cap - 1;
        int[] table = new int[cap];
        Arrays.fill(table, -1);
        int[] canon = new int[nv];
        for (int v = 0; v < nv; v++) {
            float x = p[3 * v] + 0f, y = p[3 * v + 1] + 0f, z = p[3 * v + 2] + 0f; // +0f folds -0 into 0
            long key = ((long) Float.floatToIntBits(x) * 31 + Float.floatToIntBits(y)) * 31 + Float.floatToIntBits(z);
            int h = (int) (mix(key) & mask);
            while (true) {
                int w = table[h];
                if (w < 0) { table[h] = v; canon[v] = v; break; }
                if (p[3 * w] + 0f == x && p[3 * w + 1] + 0f == y && p[3 * w + 2] + 0f == z) { canon[v] = w; break; }
                h = (h + 1) & mask;
            }
        }
        return canon;
    }
}
