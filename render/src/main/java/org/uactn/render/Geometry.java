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

    /**
     * Which faces can be culled without changing the image: GL_BACK-style culling (+1) when the mesh,
     * after welding, is closed (every edge used once in each direction) with every connected part
     * enclosing a positive volume; -1 when every part encloses a negative volume (consistently inside
     * out); 0 otherwise (open, non-manifold, inconsistently oriented, mixed, or flat parts). Seen from
     * outside such a closed surface (the eye is outside the unit sphere), every back-facing point lies
     * behind a front-facing one, so culling changes no pixel and halves the triangles to rasterise.
     */
    static int cullableSide(Mesh m) {
        float[] p = m.positions();
        int[] t = m.triangles();
        int nt = t.length / 3;
        if (nt == 0) return 0;
        int nv = m.vertexCount();
        int[] canon = weld(p, nv);
        // Every welded vertex's outgoing and incoming edge ends (CSR lists): the surface is closed and
        // consistently wound exactly when each vertex's outgoing ends are distinct and equal its incoming ones.
        int[] outStart = new int[nv + 1], inStart = new int[nv + 1];
        for (int f = 0; f < nt; f++) {
            for (int k = 0; k < 3; k++) {
                int i = canon[t[3 * f + k]], j = canon[t[3 * f + (k + 1) % 3]];
                if (i == j) return 0;
                outStart[i + 1]++;
                inStart[j + 1]++;
            }
        }
        for (int v = 0; v < nv; v++) {
            if (outStart[v + 1] != inStart[v + 1]) return 0;
            outStart[v + 1] += outStart[v];
            inStart[v + 1] += inStart[v];
        }
        int[] outEnd = new int[3 * nt], inEnd = new int[3 * nt];
        int[] outFill = Arrays.copyOf(outStart, nv), inFill = Arrays.copyOf(inStart, nv);
        for (int f = 0; f < nt; f++) {
            for (int k = 0; k < 3; k++) {
                int i = canon[t[3 * f + k]], j = canon[t[3 * f + (k + 1) % 3]];
                outEnd[outFill[i]++] = j;
                inEnd[inFill[j]++] = i;
            }
        }
        for (int v = 0; v < nv; v++) {
            int a = outStart[v], b = outStart[v + 1];
            if (b - a > 1) {
                sortRange(outEnd, a, b);
                sortRange(inEnd, a, b);
            }
            for (int e = a; e < b; e++) {
                if (outEnd[e] != inEnd[e]) return 0;
                if (e > a && outEnd[e] == outEnd[e - 1]) return 0; // the same directed edge twice
            }
        }
        // Connected parts (union-find over welded vertices) and each part's signed volume.
        int[] parent = new int[nv];
        for (int v = 0; v < nv; v++) parent[v] = v;
        for (int f = 0; f < nt; f++) {
            int a = find(parent, canon[t[3 * f]]);
            for (int k = 1; k < 3; k++) {
                int b = find(parent, canon[t[3 * f + k]]);
                if (a != b) parent[b] = a;
            }
        }
        double[] volume = new double[nv];
        double[] area = new double[nv];
        for (int f = 0; f < nt; f++) {
            int a = 3 * t[3 * f], b = 3 * t[3 * f + 1], c = 3 * t[3 * f + 2];
            double ax = p[a], ay = p[a + 1], az = p[a + 2];
            double ux = p[b] - ax, uy = p[b + 1] - ay, uz = p[b + 2] - az;
            double vx = p[c] - ax, vy = p[c + 1] - ay, vz = p[c + 2] - az;
            double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
            int root = find(parent, canon[t[3 * f]]);
            volume[root] += (ax * nx + ay * ny + az * nz) / 6;
            area[root] += Math.sqrt(nx * nx + ny * ny + nz * nz) / 2;
        }
        int side = 0;
        for (int v = 0; v < nv; v++) {
            if (area[v] == 0) continue;
            // A part thinner than about 1e-4 of its size (a flat closed sheet) has no trustworthy inside.
            double thickness = Math.abs(volume[v]) / area[v];
            if (!(thickness > 1e-4 * Math.sqrt(area[v]))) return 0;
            int s = volume[v] > 0 ? 1 : -1;
            if (side != 0 && s != side) return 0;
            side = s;
        }
        return side;
    }

    /** Sorts a[from, to): insertion sort for the few edges around a vertex, the library sort for many. */
    private static void sortRange(int[] a, int from, int to) {
        if (to - from > 24) {
            Arrays.sort(a, from, to);
            return;
        }
        for (int i = from + 1; i < to; i++) {
            int x = a[i], j = i - 1;
            while (j >= from && a[j] > x) { a[j + 1] = a[j]; j--; }
            a[j + 1] = x;
        }
    }

    private static int find(int[] parent, int v) {
        while (parent[v] != v) {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        return v;
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
