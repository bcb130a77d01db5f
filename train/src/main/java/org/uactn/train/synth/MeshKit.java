// Builds triangle meshes from parametric parts (boxes, tubes, lathes, ellipsoids, prisms, arcs) for the procedural shape families.
package org.uactn.train.synth;

import org.uactn.render.mesh.Mesh;

import java.util.Arrays;

/**
 * Parts may overlap (the renderers need no watertight union). Every part is placed in a shared
 * frame with +Y up; the finished mesh can be turned about +Y. Faces are counter-clockwise seen
 * from outside where that is cheap to keep; the renderers do not rely on it.
 */
public final class MeshKit {
    private float[] pos = new float[3 * 256];
    private int[] tri = new int[3 * 512];
    private int nv, nt;

    public int vertexCount() { return nv; }
    public int triangleCount() { return nt; }

    private int vertex(double x, double y, double z) {
        if (3 * nv + 3 > pos.length) pos = Arrays.copyOf(pos, pos.length * 2);
        pos[3 * nv] = (float) x;
        pos[3 * nv + 1] = (float) y;
        pos[3 * nv + 2] = (float) z;
        return nv++;
    }

    private void triangle(int a, int b, int c) {
        if (3 * nt + 3 > tri.length) tri = Arrays.copyOf(tri, tri.length * 2);
        tri[3 * nt] = a;
        tri[3 * nt + 1] = b;
        tri[3 * nt + 2] = c;
        nt++;
    }

    private void quad(int a, int b, int c, int d) {
        triangle(a, b, c);
        triangle(a, c, d);
    }

    /** Axis-aligned box by centre and full extents. */
    public MeshKit box(double cx, double cy, double cz, double sx, double sy, double sz) {
        return boxYaw(cx, cy, cz, sx, sy, sz, 0);
    }

    /** A box by centre and full extents, turned by yawDeg about its vertical centre line. */
    public MeshKit boxYaw(double cx, double cy, double cz, double sx, double sy, double sz, double yawDeg) {
        double c = Math.cos(Math.toRadians(yawDeg)), s = Math.sin(Math.toRadians(yawDeg));
        int base = nv;
        for (int i = 0; i < 8; i++) {
            double x = ((i & 1) == 0 ? -0.5 : 0.5) * sx, y = ((i & 2) == 0 ? -0.5 : 0.5) * sy, z = ((i & 4) == 0 ? -0.5 : 0.5) * sz;
            vertex(cx + c * x + s * z, cy + y, cz - s * x + c * z);
        }
        int[][] quads = {{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}};
        for (int[] q : quads) quad(base + q[0], base + q[1], base + q[2], base + q[3]);
        return this;
    }

    /** A tube (truncated cone) from point a to point b with end radii r0, r1; capped ends. */
    public MeshKit tube(double ax, double ay, double az, double bx, double by, double bz, double r0, double r1, int segments) {
        double dx = bx - ax, dy = by - ay, dz = bz - az;
        double len = Math.sqrt(dx * dx + dy * dy + dz * dz);
        if (!(len > 0)) throw new IllegalArgumentException("tube: end points coincide");
        dx /= len; dy /= len; dz /= len;
        // Two unit vectors perpendicular to the axis.
        double ux, uy, uz;
        if (Math.abs(dy) < 0.9) { ux = dz; uy = 0; uz = -dx; } else { ux = 0; uy = -dz; uz = dy; }
        double ul = Math.sqrt(ux * ux + uy * uy + uz * uz);
        ux /= ul; uy /= ul; uz /= ul;
        double vx = dy * uz - dz * uy, vy = dz * ux - dx * uz, vz = dx * uy - dy * ux;
        int base = nv;
        for (int i = 0; i < segments; i++) {
            double t = 2 * Math.PI * i / segments, c = Math.cos(t), s = Math.sin(t);
            double ox = c * ux + s * vx, oy = c * uy + s * vy, oz = c * uz + s * vz;
            vertex(ax + r0 * ox, ay + r0 * oy, az + r0 * oz);
            vertex(bx + r1 * ox, by + r1 * oy, bz + r1 * oz);
        }
        for (int i = 0; i < segments; i++) {
            int j = (i + 1) % segments;
            quad(base + 2 * i, base + 2 * j, base + 2 * j + 1, base + 2 * i + 1);
        }
        int ca = vertex(ax, ay, az), cb = vertex(bx, by, bz);
        for (int i = 0; i < segments; i++) {
            int j = (i + 1) % segments;
            if (r0 > 0) triangle(ca, base + 2 * j, base + 2 * i);
            if (r1 > 0) triangle(cb, base + 2 * i + 1, base + 2 * j + 1);
        }
        return this;
    }

    /** Vertical tube from y0 to y1 at (x, z). */
    public MeshKit post(double x, double z, double y0, double y1, double r, int segments) {
        return tube(x, y0, z, x, y1, z, r, r, segments);
    }

    /**
     * A surface of revolution about the vertical line through (cx, cz): profile points (radius,
     * height) from bottom to top; ends with non-zero radius are closed by caps. sx, sz stretch it
     * (elliptic sections).
     */
    public MeshKit lathe(double cx, double cz, double[] radii, double[] heights, int segments, double sx, double sz) {
        return lathe(cx, cz, radii, heights, segments, sx, sz, 0);
    }

    /** As above with the first profile copy at phaseDeg (45 puts a 4-sided lathe's faces parallel to the axes). */
    public MeshKit lathe(double cx, double cz, double[] radii, double[] heights, int segments, double sx, double sz, double phaseDeg) {
        double phase = Math.toRadians(phaseDeg);
        int n = radii.length;
        if (n < 2 || heights.length != n) throw new IllegalArgumentException("lathe: need >= 2 profile points, got " + n + " radii and " + heights.length + " heights");
        int base = nv;
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < segments; i++) {
                double t = phase + 2 * Math.PI * i / segments;
                vertex(cx + sx * radii[k] * Math.cos(t), heights[k], cz + sz * radii[k] * Math.sin(t));
            }
        }
        for (int k = 0; k + 1 < n; k++) {
            for (int i = 0; i < segments; i++) {
                int j = (i + 1) % segments;
                quad(base + k * segments + i, base + (k + 1) * segments + i, base + (k + 1) * segments + j, base + k * segments + j);
            }
        }
        if (radii[0] > 0) {
            int c = vertex(cx, heights[0], cz);
            for (int i = 0; i < segments; i++) triangle(c, base + i, base + (i + 1) % segments);
        }
        if (radii[n - 1] > 0) {
            int c = vertex(cx, heights[n - 1], cz);
            int top = base + (n - 1) * segments;
            for (int i = 0; i < segments; i++) triangle(c, top + (i + 1) % segments, top + i);
        }
        return this;
    }

    /** An ellipsoid by centre and semi-axes. */
    public MeshKit ellipsoid(double cx, double cy, double cz, double rx, double ry, double rz, int rings, int segments) {
        int base = nv;
        for (int k = 0; k <= rings; k++) {
            double phi = Math.PI * k / rings, sp = Math.sin(phi), cp = Math.cos(phi);
            for (int i = 0; i < segments; i++) {
                double t = 2 * Math.PI * i / segments;
                vertex(cx + rx * sp * Math.cos(t), cy + ry * cp, cz + rz * sp * Math.sin(t));
            }
        }
        for (int k = 0; k < rings; k++) {
            for (int i = 0; i < segments; i++) {
                int j = (i + 1) % segments;
                int a = base + k * segments + i, b = base + k * segments + j, c = base + (k + 1) * segments + j, d = base + (k + 1) * segments + i;
                if (k == 0) triangle(a, c, d);
                else if (k == rings - 1) triangle(a, b, d);
                else quad(a, b, c, d);
            }
        }
        return this;
    }

    /**
     * A prism: a convex polygon (x, y pairs, in the XY plane) extruded along Z from z0 to z1 and
     * then turned by yawDeg about the vertical axis through the origin.
     */
    public MeshKit prismZ(double[] xy, double z0, double z1, double yawDeg) {
        int n = xy.length / 2;
        if (n < 3 || xy.length % 2 != 0) throw new IllegalArgumentException("prism: need >= 3 (x, y) corners, got " + xy.length + " numbers");
        double c = Math.cos(Math.toRadians(yawDeg)), s = Math.sin(Math.toRadians(yawDeg));
        int base = nv;
        for (double z : new double[]{z0, z1}) {
            for (int i = 0; i < n; i++) {
                double x = xy[2 * i], y = xy[2 * i + 1];
                vertex(c * x + s * z, y, -s * x + c * z);
            }
        }
        for (int i = 1; i + 1 < n; i++) {
            triangle(base, base + i + 1, base + i);
            triangle(base + n, base + n + i, base + n + i + 1);
        }
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            quad(base + i, base + j, base + n + j, base + n + i);
        }
        return this;
    }

    /**
     * A tube bent along a circular arc (handles, lens rims, hooks): the arc lies in the plane
     * spanned by the unit vectors u and v through the centre, from angle a0 to a1 in degrees
     * (angle 0 points along u), approximated by steps straight tubes.
     */
    public MeshKit arc(double cx, double cy, double cz, double[] u, double[] v, double radius, double a0, double a1, double tubeR, int steps, int segments) {
        double prevX = 0, prevY = 0, prevZ = 0;
        for (int i = 0; i <= steps; i++) {
            double t = Math.toRadians(a0 + (a1 - a0) * i / steps), cs = Math.cos(t), sn = Math.sin(t);
            double x = cx + radius * (cs * u[0] + sn * v[0]), y = cy + radius * (cs * u[1] + sn * v[1]), z = cz + radius * (cs * u[2] + sn * v[2]);
            if (i > 0) tube(prevX, prevY, prevZ, x, y, z, tubeR, tubeR, segments);
            prevX = x; prevY = y; prevZ = z;
        }
        return this;
    }

    /** The mesh, turned by yawDeg about +Y. */
    public Mesh build(String name, double yawDeg) {
        if (nt == 0) throw new IllegalStateException("shape " + name + " has no parts");
        double c = Math.cos(Math.toRadians(yawDeg)), s = Math.sin(Math.toRadians(yawDeg));
        float[] p = new float[3 * nv];
        for (int i = 0; i < nv; i++) {
            double x = pos[3 * i], y = pos[3 * i + 1], z = pos[3 * i + 2];
            p[3 * i] = (float) (c * x + s * z);
            p[3 * i + 1] = (float) y;
            p[3 * i + 2] = (float) (-s * x + c * z);
        }
        return new Mesh(name, p, Arrays.copyOf(tri, 3 * nt), 0);
    }
}
