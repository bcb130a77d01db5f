// The pure-Java rasteriser: same cameras, modes and pixel rules as the GL renderer; the fallback and the tests' oracle.
package org.uactn.render;

import org.uactn.render.mesh.Mesh;

import java.util.Arrays;
import java.util.List;

/**
 * Shaded and depth modes are supersampled 2x2 when samples is 4 (the GL path uses 4x MSAA) and box-filtered down;
 * lines mode draws analytically antialiased thick segments over a 1x depth buffer, exactly as the
 * GL line shader does. Pixel centres are sampled, window y grows upwards until the final flip,
 * as in OpenGL.
 */
public final class SoftwareRenderer implements Renderer {
    private static final int SS = 2;

    // Scratch buffers reused across views and meshes.
    private float[] depth = new float[0];  // "closeness": 1/distance (perspective) or -distance (orthographic); larger is nearer
    private float[] color = new float[0];
    private float[] sx = new float[0], sy = new float[0], vz = new float[0];

    @Override public String kind() { return "software"; }
    @Override public String description() { return "software rasteriser (pure Java)"; }
    @Override public void close() { }

    @Override
    public byte[][] render(Mesh mesh, List<View> views, RenderSettings s) {
        Geometry g = new Geometry(mesh);
        float[] edges = s.mode() == RenderMode.LINES ? Geometry.edges(mesh, s.creaseAngleDeg()) : null;
        byte[][] out = new byte[views.size()][];
        for (int i = 0; i < views.size(); i++) out[i] = renderView(g, edges, views.get(i), s);
        return out;
    }

    private byte[] renderView(Geometry g, float[] edges, View v, RenderSettings s) {
        boolean lines = s.mode() == RenderMode.LINES;
        int ss = lines || s.samples() == 1 ? 1 : SS;
        int scale = ss;
        int w = s.size() * scale;
        float[] view = Camera.viewMatrix(v);
        boolean ortho = s.projection() == Projection.ORTHOGRAPHIC;
        ensure(w * w, 3 * g.triangles);
        Arrays.fill(depth, 0, w * w, -Float.MAX_VALUE);
        Arrays.fill(color, 0, w * w, 1f);
        project(g.corners, 3 * g.triangles, view, ortho, w);
        rasterise(g, view, ortho, w, s.mode());
        byte[] img = new byte[s.size() * s.size()];
        int n = s.size();
        if (lines) {
            drawLines(edges, view, ortho, n, s.lineWidth());
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++) img[(n - 1 - y) * n + x] = (byte) Math.round(255 * color[y * n + x]);
        } else {
            float inv = 1f / (ss * ss);
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    float sum = 0;
                    for (int dy = 0; dy < ss; dy++) {
                        int row = (y * ss + dy) * w + x * ss;
                        for (int dx = 0; dx < ss; dx++) sum += color[row + dx];
                    }
                    img[(n - 1 - y) * n + x] = (byte) Math.round(255 * sum * inv);
                }
            }
        }
        return img;
    }

    private void ensure(int pixels, int vertices) {
        if (depth.length < pixels) { depth = new float[pixels]; color = new float[pixels]; }
        if (sx.length < vertices) { sx = new float[vertices]; sy = new float[vertices]; vz = new float[vertices]; }
    }

    /** View-space depth (positive distance along the view axis) and window position of each corner. */
    private void project(float[] c, int nv, float[] m, boolean ortho, int w) {
        double t = Camera.tanHalfFov(), half = 0.5 * w;
        for (int i = 0; i < nv; i++) {
            float x = c[3 * i], y = c[3 * i + 1], z = c[3 * i + 2];
            float ex = m[0] * x + m[4] * y + m[8] * z + m[12];
            float ey = m[1] * x + m[5] * y + m[9] * z + m[13];
            float ez = m[2] * x + m[6] * y + m[10] * z + m[14];
            float d = -ez;
            double nx, ny;
            if (ortho) { nx = ex / Camera.MARGIN; ny = ey / Camera.MARGIN; }
            else { nx = ex / (t * d); ny = ey / (t * d); }
            sx[i] = (float) ((nx + 1) * half);
            sy[i] = (float) ((ny + 1) * half);
            vz[i] = d;
        }
    }

    private void rasterise(Geometry g, float[] m, boolean ortho, int w, RenderMode mode) {
        float[] nrm = g.normals;
        boolean shaded = mode == RenderMode.SHADED;
        for (int f = 0; f < g.triangles; f++) {
            int a = 3 * f, b = a + 1, c = a + 2;
            float x0 = sx[a], y0 = sy[a], x1 = sx[b], y1 = sy[b], x2 = sx[c], y2 = sy[c];
            float area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
            if (area == 0 || Float.isNaN(area)) continue;
            boolean front = area > 0; // counter-clockwise in window coordinates, as GL_CCW
            float shade = 0;
            if (shaded) {
                float nx = nrm[3 * f], ny = nrm[3 * f + 1], nz = nrm[3 * f + 2];
                float vx = m[0] * nx + m[4] * ny + m[8] * nz, vy = m[1] * nx + m[5] * ny + m[9] * nz, vzz = m[2] * nx + m[6] * ny + m[10] * nz;
                shade = front ? Shading.shade(vx, vy, vzz) : Shading.shade(-vx, -vy, -vzz);
            }
            int minX = Math.max(0, (int) Math.floor(Math.min(x0, Math.min(x1, x2)) - 0.5f) );
            int maxX = Math.min(w - 1, (int) Math.ceil(Math.max(x0, Math.max(x1, x2)) - 0.5f));
            int minY = Math.max(0, (int) Math.floor(Math.min(y0, Math.min(y1, y2)) - 0.5f));
            int maxY = Math.min(w - 1, (int) Math.ceil(Math.max(y0, Math.max(y1, y2)) - 0.5f));
            if (minX > maxX || minY > maxY) continue;
            float inv = 1f / area;
            // Closeness at the corners; linear in window space for both projections.
            float c0 = ortho ? -vz[a] : 1f / vz[a], c1 = ortho ? -vz[b] : 1f / vz[b], c2 = ortho ? -vz[c] : 1f / vz[c];
            // Edge functions e0 (opposite corner a), e1 (b), e2 (c); barycentrics are e/area.
            float e0dx = -(y2 - y1) * inv, e0dy = (x2 - x1) * inv;
            float e1dx = -(y0 - y2) * inv, e1dy = (x0 - x2) * inv;
            float e2dx = -(y1 - y0) * inv, e2dy = (x1 - x0) * inv;
            float px0 = minX + 0.5f, py0 = minY + 0.5f;
            float b0row = ((x2 - x1) * (py0 - y1) - (y2 - y1) * (px0 - x1)) * inv;
            float b1row = ((x0 - x2) * (py0 - y2) - (y0 - y2) * (px0 - x2)) * inv;
            float b2row = ((x1 - x0) * (py0 - y0) - (y1 - y0) * (px0 - x0)) * inv;
            for (int y = minY; y <= maxY; y++) {
                float b0 = b0row, b1 = b1row, b2 = b2row;
                int row = y * w;
                for (int x = minX; x <= maxX; x++) {
                    if (b0 >= 0 && b1 >= 0 && b2 >= 0) {
                        float cl = b0 * c0 + b1 * c1 + b2 * c2;
                        int idx = row + x;
                        if (cl > depth[idx]) {
                            depth[idx] = cl;
                            if (shaded) color[idx] = shade;
                            else if (mode == RenderMode.DEPTH) color[idx] = Shading.depthValue(ortho ? -cl : 1f / cl);
                        }
                    }
                    b0 += e0dx; b1 += e1dx; b2 += e2dx;
                }
                b0row += e0dy; b1row += e1dy; b2row += e2dy;
            }
        }
    }

    /** Same algorithm as the GL line shaders (GlRenderer.LINE_GS / LINE_FS). */
    private void drawLines(float[] e, float[] m, boolean ortho, int n, double lineWidth) {
        float hw = (float) (lineWidth / 2);
        double t = Camera.tanHalfFov(), half = 0.5 * n;
        float[] q = new float[16]; // view-space x y z of v0 v1 a b
        int edges = e.length / Geometry.EDGE_FLOATS;
        for (int k = 0; k < edges; k++) {
            int o = Geometry.EDGE_FLOATS * k;
            for (int j = 0; j < 4; j++) {
                float x = e[o + 4 * j], y = e[o + 4 * j + 1], z = e[o + 4 * j + 2];
                q[4 * j] = m[0] * x + m[4] * y + m[8] * z + m[12];
                q[4 * j + 1] = m[1] * x + m[5] * y + m[9] * z + m[13];
                q[4 * j + 2] = m[2] * x + m[6] * y + m[10] * z + m[14];
            }
            if (e[o + 3] < 0.5f) {
                float ex = q[4] - q[0], ey = q[5] - q[1], ez = q[6] - q[2];
                float dx = ortho ? 0 : q[0], dy = ortho ? 0 : q[1], dz = ortho ? 1 : q[2];
                float nx = dy * ez - dz * ey, ny = dz * ex - dx * ez, nz = dx * ey - dy * ex;
                float sa = nx * (q[8] - q[0]) + ny * (q[9] - q[1]) + nz * (q[10] - q[2]);
                float sb = nx * (q[12] - q[0]) + ny * (q[13] - q[1]) + nz * (q[14] - q[2]);
                if (sa * sb <= 0f) continue;
            }
            float z0 = -q[2], z1 = -q[6];
            float s0x, s0y, s1x, s1y;
            if (ortho) {
                s0x = (float) ((q[0] / Camera.MARGIN + 1) * half); s0y = (float) ((q[1] / Camera.MARGIN + 1) * half);
                s1x = (float) ((q[4] / Camera.MARGIN + 1) * half); s1y = (float) ((q[5] / Camera.MARGIN + 1) * half);
            } else {
                s0x = (float) ((q[0] / (t * z0) + 1) * half); s0y = (float) ((q[1] / (t * z0) + 1) * half);
                s1x = (float) ((q[4] / (t * z1) + 1) * half); s1y = (float) ((q[5] / (t * z1) + 1) * half);
            }
            float r = hw + 1;
            int minX = Math.max(0, (int) Math.floor(Math.min(s0x, s1x) - r)), maxX = Math.min(n - 1, (int) Math.ceil(Math.max(s0x, s1x) + r));
            int minY = Math.max(0, (int) Math.floor(Math.min(s0y, s1y) - r)), maxY = Math.min(n - 1, (int) Math.ceil(Math.max(s0y, s1y) + r));
            float lx = s1x - s0x, ly = s1y - s0y, l2 = lx * lx + ly * ly;
            for (int y = minY; y <= maxY; y++) {
                for (int x = minX; x <= maxX; x++) {
                    float px = x + 0.5f, py = y + 0.5f;
                    float tt = l2 > 0 ? Math.min(Math.max(((px - s0x) * lx + (py - s0y) * ly) / l2, 0f), 1f) : 0f;
                    float cx = s0x + tt * lx, cy = s0y + tt * ly;
                    float dist = (float) Math.sqrt((px - cx) * (px - cx) + (py - cy) * (py - cy));
                    float cov = Math.min(Math.max(hw + 0.5f - dist, 0f), 1f);
                    if (cov <= 0f) continue;
                    float lz = ortho ? z0 + tt * (z1 - z0) : 1f / (1f / z0 + tt * (1f / z1 - 1f / z0));
                    // Farthest surface in the 3x3 pixels around the line's centre point; background is infinitely far.
                    int ix = (int) Math.floor(cx), iy = (int) Math.floor(cy);
                    float scene = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        int yy = Math.min(Math.max(iy + dy, 0), n - 1);
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = Math.min(Math.max(ix + dx, 0), n - 1);
                            float cl = depth[yy * n + xx];
                            float d = cl == -Float.MAX_VALUE ? Float.POSITIVE_INFINITY : (ortho ? -cl : 1f / cl);
                            scene = Math.max(scene, d);
                        }
                    }
                    if (lz > scene + Shading.LINE_DEPTH_BIAS) continue;
                    color[y * n + x] *= 1f - cov;
                }
            }
        }
    }
}
