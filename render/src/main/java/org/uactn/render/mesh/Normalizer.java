// Centres a mesh (bounding-box centre or area-weighted centroid), scales it into the unit sphere and turns its up axis to +Y.
package org.uactn.render.mesh;

import java.util.Locale;

public final class Normalizer {
    /** Which point moves to the origin. */
    public enum Center { BBOX, CENTROID }

    /** The mesh's own up axis; the renderers use +Y up (SHREC models are already Y-up). */
    public enum UpAxis {
        X, Y, Z;

        public static UpAxis parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("up axis must be x, y or z, got '" + s + "'");
            }
        }
    }

    private Normalizer() {}

    /**
     * A new mesh whose used vertices lie in the unit sphere, touching it, with the chosen centre at the
     * origin and the given up axis mapped to +Y by a proper rotation (handedness is kept).
     */
    public static Mesh normalize(Mesh m, Center center, UpAxis up) {
        float[] p = m.positions();
        int[] t = m.triangles();
        boolean[] used = new boolean[m.vertexCount()];
        for (int i : t) used[i] = true;
        double cx, cy, cz;
        if (center == Center.BBOX) {
            double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (int v = 0; v < used.length; v++) {
                if (!used[v]) continue;
                for (int k = 0; k < 3; k++) {
                    lo[k] = Math.min(lo[k], p[3 * v + k]);
                    hi[k] = Math.max(hi[k], p[3 * v + k]);
                }
            }
            cx = 0.5 * (lo[0] + hi[0]);
            cy = 0.5 * (lo[1] + hi[1]);
            cz = 0.5 * (lo[2] + hi[2]);
        } else {
            double sx = 0, sy = 0, sz = 0, area = 0;
            for (int f = 0; f < t.length; f += 3) {
                int a = 3 * t[f], b = 3 * t[f + 1], c = 3 * t[f + 2];
                double ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
                double vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
                double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
                double w = 0.5 * Math.sqrt(nx * nx + ny * ny + nz * nz);
                sx += w * (p[a] + p[b] + p[c]) / 3;
                sy += w * (p[a + 1] + p[b + 1] + p[c + 1]) / 3;
                sz += w * (p[a + 2] + p[b + 2] + p[c + 2]) / 3;
                area += w;
            }
            if (!(area > 0)) throw new IllegalArgumentException(m.source() + ": total surface area is zero, no centroid");
            cx = sx / area;
            cy = sy / area;
            cz = sz / area;
        }
        double r2 = 0;
        for (int v = 0; v < used.length; v++) {
            if (!used[v]) continue;
            double x = p[3 * v] - cx, y = p[3 * v + 1] - cy, z = p[3 * v + 2] - cz;
            r2 = Math.max(r2, x * x + y * y + z * z);
        }
        if (!(r2 > 0)) throw new IllegalArgumentException(m.source() + ": all vertices coincide, cannot scale to the unit sphere");
        double s = 1 / Math.sqrt(r2);
        float[] q = new float[p.length];
        for (int v = 0; v < used.length; v++) {
            double x = (p[3 * v] - cx) * s, y = (p[3 * v + 1] - cy) * s, z = (p[3 * v + 2] - cz) * s;
            // Rotations taking the named axis to +Y: Z-up (x,y,z) -> (x,z,-y); X-up (x,y,z) -> (-y,x,z).
            double nx = x, ny = y, nz = z;
            if (up == UpAxis.Z) { ny = z; nz = -y; }
            else if (up == UpAxis.X) { nx = -y; ny = x; }
            q[3 * v] = (float) nx;
            q[3 * v + 1] = (float) ny;
            q[3 * v + 2] = (float) nz;
        }
        return new Mesh(m.source(), q, t, m.droppedDegenerate());
    }
}
