// Collects vertices and polygons while a reader parses, triangulates polygons as fans and drops degenerate triangles.
package org.uactn.render.mesh;

import java.util.Arrays;

/** Growable buffers shared by all readers, so that validation and degeneracy rules are the same for every format. */
final class MeshBuilder {
    private final String file;
    private float[] pos;
    private int[] tri;
    private int nv, nt;
    private int droppedFaces; // polygons with fewer than 3 corners: counted as one dropped triangle each

    MeshBuilder(String file, int vertexHint, int triangleHint) {
        this.file = file;
        pos = new float[Math.max(3, 3 * vertexHint)];
        tri = new int[Math.max(3, 3 * triangleHint)];
    }

    int vertexCount() { return nv; }

    void addVertex(double x, double y, double z, String where) {
        if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(z))
            throw new MeshFormatException(file, where, "vertex " + nv + " has a non-finite coordinate (" + x + ", " + y + ", " + z + ")");
        if (Math.abs(x) > Float.MAX_VALUE || Math.abs(y) > Float.MAX_VALUE || Math.abs(z) > Float.MAX_VALUE)
            throw new MeshFormatException(file, where, "vertex " + nv + " has a coordinate beyond float range (" + x + ", " + y + ", " + z + ")");
        if (3 * nv + 3 > pos.length) pos = Arrays.copyOf(pos, Math.max(3 * nv + 3, pos.length * 2));
        pos[3 * nv] = (float) x;
        pos[3 * nv + 1] = (float) y;
        pos[3 * nv + 2] = (float) z;
        nv++;
    }

    /**
     * Adds polygon corners idx[0..n) (already 0-based); each must be in [0, limit), where limit is the
     * declared or so-far vertex count. Polygons with fewer than 3 corners are dropped and counted.
     */
    void addPolygon(int[] idx, int n, int limit, String where) {
        for (int i = 0; i < n; i++) {
            if (idx[i] < 0 || idx[i] >= limit)
                throw new MeshFormatException(file, where, "vertex index " + idx[i] + " out of range [0, " + limit + ")");
        }
        if (n < 3) {
            droppedFaces++;
            return;
        }
        for (int k = 1; k + 1 < n; k++) {
            if (3 * nt + 3 > tri.length) tri = Arrays.copyOf(tri, Math.max(3 * nt + 3, tri.length * 2));
            tri[3 * nt] = idx[0];
            tri[3 * nt + 1] = idx[k];
            tri[3 * nt + 2] = idx[k + 1];
            nt++;
        }
    }

    /** Drops triangles with repeated corners or zero area; fails when no triangle is left. */
    Mesh build() {
        if (nv == 0) throw new MeshFormatException(file, "", "no vertices");
        if (nt == 0 && droppedFaces == 0) throw new MeshFormatException(file, "", "zero faces");
        int[] out = new int[3 * nt];
        int kept = 0;
        for (int t = 0; t < nt; t++) {
            int a = tri[3 * t], b = tri[3 * t + 1], c = tri[3 * t + 2];
            if (a == b || b == c || a == c) continue;
            double ux = pos[3 * b] - pos[3 * a], uy = pos[3 * b + 1] - pos[3 * a + 1], uz = pos[3 * b + 2] - pos[3 * a + 2];
            double vx = pos[3 * c] - pos[3 * a], vy = pos[3 * c + 1] - pos[3 * a + 1], vz = pos[3 * c + 2] - pos[3 * a + 2];
            double cx = uy * vz - uz * vy, cy = uz * vx - ux * vz, cz = ux * vy - uy * vx;
            if (cx == 0 && cy == 0 && cz == 0) continue;
            out[3 * kept] = a;
            out[3 * kept + 1] = b;
            out[3 * kept + 2] = c;
            kept++;
        }
        int dropped = droppedFaces + (nt - kept);
        if (kept == 0) throw new MeshFormatException(file, "", "all " + (nt + droppedFaces) + " faces are degenerate (repeated corners or zero area)");
        return new Mesh(file, Arrays.copyOf(pos, 3 * nv), Arrays.copyOf(out, 3 * kept), dropped);
    }
}
