// Camera poses give known silhouettes, GL and software agree, and GL rendering is safe with one renderer per thread.
package org.uactn.render;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uactn.render.mesh.Mesh;
import org.uactn.render.mesh.Normalizer;
import org.uactn.render.mesh.ProceduralMeshes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** The GL path is tested for real (Mesa llvmpipe through EGL); these tests fail when no GL context can be made. */
class RenderingTest {
    static GlRenderer gl;
    static SoftwareRenderer sw = new SoftwareRenderer();

    @BeforeAll
    static void openGl() {
        gl = new GlRenderer(); // throws, with the reason, when EGL/Mesa is missing
    }

    @AfterAll
    static void closeGl() {
        gl.close();
    }

    static Mesh torus() {
        return Normalizer.normalize(ProceduralMeshes.torus(48, 24), Normalizer.Center.BBOX, Normalizer.UpAxis.Y);
    }

    static Mesh marker() {
        return Normalizer.normalize(ProceduralMeshes.axesMarker(), Normalizer.Center.BBOX, Normalizer.UpAxis.Y);
    }

    static boolean[] mask(byte[] img, int threshold) {
        boolean[] m = new boolean[img.length];
        for (int i = 0; i < img.length; i++) m[i] = (img[i] & 255) < threshold;
        return m;
    }

    static double iou(boolean[] a, boolean[] b) {
        int in = 0, un = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] && b[i]) in++;
            if (a[i] || b[i]) un++;
        }
        return un == 0 ? 1 : (double) in / un;
    }

    static double mad(byte[] a, byte[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs((a[i] & 255) - (b[i] & 255));
        return s / a.length;
    }

    /** {minX, maxX, minY, maxY} of the object pixels (value < 128), y counted from the top. */
    static int[] extent(byte[] img, int n) {
        int[] e = {n, -1, n, -1};
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
                if ((img[y * n + x] & 255) < 250) {
                    e[0] = Math.min(e[0], x); e[1] = Math.max(e[1], x);
                    e[2] = Math.min(e[2], y); e[3] = Math.max(e[3], y);
                }
        return e;
    }

    @Test
    void boxSilhouettesFromKnownPoses() {
        // Half sizes 0.6 (x), 0.4 (y), 0.2 (z): each axis-aligned view shows a different rectangle.
        Mesh box = ProceduralMeshes.box(-0.6, -0.4, -0.2, 0.6, 0.4, 0.2);
        int n = 105;
        RenderSettings s = RenderSettings.defaults().withSize(n).withProjection(Projection.ORTHOGRAPHIC);
        List<View> views = List.of(new View(0, 0), new View(90, 0), new View(0, 90), new View(45, 0));
        // Expected half extents in world units (horizontal, vertical) per view.
        double[][] half = {{0.6, 0.4}, {0.2, 0.4}, {0.6, 0.2}, {(0.6 + 0.2) / Math.sqrt(2), 0.4}};
        for (Renderer r : List.of(gl, sw)) {
            byte[][] img = r.render(box, views, s);
            for (int v = 0; v < views.size(); v++) {
                int[] e = extent(img[v], n);
                double px = n / 2.0 / Camera.MARGIN; // pixels per world unit
                double w = e[1] - e[0] + 1, h = e[3] - e[2] + 1;
                assertEquals(2 * half[v][0] * px, w, 1.5, r.kind() + " view " + views.get(v) + " width");
                assertEquals(2 * half[v][1] * px, h, 1.5, r.kind() + " view " + views.get(v) + " height");
                assertEquals(n / 2.0, (e[0] + e[1] + 1) / 2.0, 1.0, r.kind() + " centred horizontally");
                assertEquals(n / 2.0, (e[2] + e[3] + 1) / 2.0, 1.0, r.kind() + " centred vertically");
            }
        }
    }

    @Test
    void axesPointWhereTheConventionsSay() {
        // Unnormalised marker scaled into the sphere: +X arm to 0.9, +Y to 0.63, +Z to 0.405.
        Mesh m = ProceduralMeshes.scaled(ProceduralMeshes.axesMarker(), 0.9);
        int n = 105;
        RenderSettings s = RenderSettings.defaults().withSize(n).withProjection(Projection.ORTHOGRAPHIC);
        double px = n / 2.0 / Camera.MARGIN;
        for (Renderer r : List.of(gl, sw)) {
            byte[][] img = r.render(m, List.of(new View(0, 0), new View(90, 0), new View(0, 90)), s);
            // Azimuth 0 looks from +Z: +X to the right, +Y up.
            assertTrue(dark(img[0], n, 0.8 * px, 0), r.kind() + ": +X arm right at azimuth 0");
            assertFalse(dark(img[0], n, -0.8 * px, 0), r.kind() + ": nothing left at azimuth 0");
            assertTrue(dark(img[0], n, 0, 0.55 * px), r.kind() + ": +Y arm up");
            assertFalse(dark(img[0], n, 0, -0.55 * px), r.kind() + ": nothing below");
            // Azimuth 90 looks from +X: the image's right is -Z, so the +Z arm shows on the left.
            assertTrue(dark(img[1], n, -0.35 * px, 0), r.kind() + ": +Z arm left at azimuth 90");
            assertFalse(dark(img[1], n, 0.35 * px, 0), r.kind() + ": nothing right at azimuth 90");
            // Elevation 90 looks down: right is +X, up is -Z, so the +Z arm points down in the image.
            assertTrue(dark(img[2], n, 0, -0.35 * px), r.kind() + ": +Z arm down from above");
            assertTrue(dark(img[2], n, 0.8 * px, 0), r.kind() + ": +X arm right from above");
        }
    }

    /** Whether the pixel at (dx, dy) from the image centre (dy up) is object. */
    private static boolean dark(byte[] img, int n, double dx, double dy) {
        int x = (int) Math.floor(n / 2.0 + dx), y = (int) Math.floor(n / 2.0 - dy);
        return (img[y * n + x] & 255) < 250;
    }

    @Test
    void glAndSoftwareAgreeInShadedAndDepthModes() {
        List<View> views = Cameras.ring(12, 30);
        for (Mesh m : List.of(torus(), marker())) {
            for (Projection p : Projection.values()) {
                RenderSettings s = RenderSettings.defaults().withProjection(p);
                byte[][] g = gl.render(m, views, s), w = sw.render(m, views, s);
                // Silhouettes without antialiasing: both sample pixel centres, so the masks compare the geometry.
                byte[][] g1 = gl.render(m, views, s.withSamples(1)), w1 = sw.render(m, views, s.withSamples(1));
                for (int v = 0; v < views.size(); v++) {
                    String what = m.source() + " " + p + " view " + v;
                    double iou = iou(mask(g1[v], 255), mask(w1[v], 255));
                    assertTrue(iou >= 0.98, what + " silhouette IoU " + iou);
                    assertTrue(mad(g[v], w[v]) < 1.5, what + " shaded mean abs diff " + mad(g[v], w[v]));
                }
                byte[][] gd = gl.render(m, views, s.withMode(RenderMode.DEPTH)), wd = sw.render(m, views, s.withMode(RenderMode.DEPTH));
                for (int v = 0; v < views.size(); v++)
                    assertTrue(mad(gd[v], wd[v]) < 1.5, m.source() + " " + p + " depth view " + v + ": " + mad(gd[v], wd[v]));
            }
        }
    }

    @Test
    void glAndSoftwareAgreeInLinesMode() {
        List<View> views = Cameras.dodecahedron();
        for (Mesh m : List.of(torus(), marker())) {
            RenderSettings s = RenderSettings.defaults().withSize(128).withMode(RenderMode.LINES);
            byte[][] g = gl.render(m, views, s), w = sw.render(m, views, s);
            for (int v = 0; v < views.size(); v++) {
                boolean[] a = mask(g[v], 160), b = mask(w[v], 160);
                int count = 0;
                for (boolean x : a) if (x) count++;
                assertTrue(count > 100, "lines are drawn: " + count + " dark pixels");
                assertTrue(iou(a, b) >= 0.9, m.source() + " lines view " + v + " IoU " + iou(a, b));
                assertTrue(mad(g[v], w[v]) < 3, m.source() + " lines view " + v + " mad " + mad(g[v], w[v]));
            }
        }
    }

    @Test
    void linesShowContoursAndCreasesButNotHiddenEdges() {
        // A cube seen head-on (orthographic): only the square outline; the back edges coincide with it,
        // and no diagonal of the triangulated faces shows (flat: no crease, never a contour).
        Mesh cube = ProceduralMeshes.box(-0.5, -0.5, -0.5, 0.5, 0.5, 0.5);
        int n = 64;
        RenderSettings s = RenderSettings.defaults().withSize(n).withMode(RenderMode.LINES).withProjection(Projection.ORTHOGRAPHIC);
        for (Renderer r : List.of(gl, sw)) {
            byte[] img = r.render(cube, List.of(new View(0, 0)), s)[0];
            int c = n / 2;
            assertEquals(255, img[c * n + c] & 255, r.kind() + ": face interior stays white");
            assertEquals(255, img[(c - 8) * n + (c - 8)] & 255, r.kind() + ": no diagonal");
            double px = n / 2.0 / Camera.MARGIN;
            int edge = (int) Math.floor(c + 0.5 * px);
            int darkest = 255;
            for (int x = edge - 1; x <= edge + 1; x++) darkest = Math.min(darkest, img[c * n + x] & 255);
            assertTrue(darkest < 100, r.kind() + ": right outline drawn, darkest " + darkest);
            // From an oblique view the near vertical crease is drawn, the far hidden one is not.
            byte[] obl = r.render(cube, List.of(new View(45, 20)), s)[0];
            int dark = 0;
            for (int y = c - 4; y <= c + 4; y++) for (int x = c - 1; x <= c + 1; x++) if ((obl[y * n + x] & 255) < 128) dark++;
            assertTrue(dark >= 5, r.kind() + ": near crease at the image centre, " + dark + " dark pixels");
        }
    }

    @Test
    void imagesAreWhiteBackgroundGreyObject() {
        byte[] img = gl.render(torus(), List.of(new View(0, 30)), RenderSettings.defaults())[0];
        assertEquals(224 * 224, img.length);
        assertEquals(255, img[0] & 255);
        int min = 255, max = 0, obj = 0;
        for (byte b : img) if ((b & 255) < 250) { obj++; min = Math.min(min, b & 255); max = Math.max(max, b & 255); }
        assertTrue(obj > 5000, "object covers pixels: " + obj);
        assertTrue(min >= 30 && max <= 250 && max - min > 60, "grey shading range " + min + ".." + max);
    }

    @Test
    void glRendersSafelyWithOneRendererPerThread() throws Exception {
        Mesh m = torus();
        List<View> views = Cameras.ring(6, 30);
        RenderSettings s = RenderSettings.defaults().withSize(96);
        byte[][] expected = gl.render(m, views, s);
        byte[][] expectedLines = gl.render(m, views, s.withMode(RenderMode.LINES));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                fs.add(pool.submit(() -> {
                    try (Renderer r = new GlRenderer()) {
                        for (int k = 0; k < 4; k++) {
                            if (!deepEquals(expected, r.render(m, views, s))) return false;
                            if (!deepEquals(expectedLines, r.render(m, views, s.withMode(RenderMode.LINES)))) return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : fs) assertTrue(f.get(), "concurrent GL renders match the single-thread images");
            // A renderer used from a thread other than its own is refused, not silently broken.
            Future<Throwable> cross = pool.submit(() -> {
                try {
                    gl.render(m, views, s);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            Throwable e = cross.get();
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(e.getMessage().contains("one renderer per thread"), e.getMessage());
        } finally {
            pool.shutdown();
        }
    }

    private static boolean deepEquals(byte[][] a, byte[][] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (!java.util.Arrays.equals(a[i], b[i])) return false;
        return true;
    }

    @Test
    void camerasAndSettingsValidate() {
        assertEquals(12, Cameras.ring(12, 30).size());
        assertEquals(330.0, Cameras.ring(12, 30).get(11).azimuthDeg(), 1e-9);
        List<View> d = Cameras.dodecahedron();
        assertEquals(20, d.size());
        for (View v : d) assertTrue(Math.abs(v.elevationDeg()) < 70, "no dodecahedron vertex is a pole: " + v);
        assertEquals(List.of(new View(0, 30), new View(90, -10)), Cameras.parse("0:30, 90:-10", 12, 30));
        assertThrows(IllegalArgumentException.class, () -> Cameras.parse("sphere", 12, 30));
        assertThrows(IllegalArgumentException.class, () -> new View(0, 91));
        assertThrows(IllegalArgumentException.class, () -> RenderSettings.defaults().withSize(3));
        Mesh big = ProceduralMeshes.box(-2, -2, -2, 2, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> sw.render(big, List.of(new View(0, 0)), RenderSettings.defaults()));
    }

    @Test
    void multisampledAndSupersampledGlBothAgreeWithSoftware() {
        Mesh m = torus();
        List<View> views = Cameras.ring(12, 30);
        RenderSettings s = RenderSettings.defaults().withSize(128);
        byte[][] w = sw.render(m, views, s), wd = sw.render(m, views, s.withMode(RenderMode.DEPTH));
        for (GlRenderer.Antialiasing aa : List.of(GlRenderer.Antialiasing.MULTISAMPLE, GlRenderer.Antialiasing.SUPERSAMPLE)) {
            try (GlRenderer r = new GlRenderer(aa)) {
                assertEquals(aa, r.antialiasing());
                byte[][] g = r.render(m, views, s), gd = r.render(m, views, s.withMode(RenderMode.DEPTH));
                for (int v = 0; v < views.size(); v++) {
                    assertTrue(mad(g[v], w[v]) < 1.5, aa + " shaded view " + v + " mean abs diff " + mad(g[v], w[v]));
                    assertTrue(mad(gd[v], wd[v]) < 1.5, aa + " depth view " + v + " mean abs diff " + mad(gd[v], wd[v]));
                    // Antialiased: the silhouette has intermediate grey levels, as in the software image.
                    int mid = 0;
                    for (byte b : g[v]) if ((b & 255) > 40 && (b & 255) < 250) mid++;
                    assertTrue(mid > 0, aa + " view " + v + " has grey pixels");
                }
            }
        }
        assertTrue(GlRenderer.isCpuRasteriser("llvmpipe (LLVM 15.0.6, 256 bits)"));
        assertTrue(GlRenderer.isCpuRasteriser("softpipe"));
        assertFalse(GlRenderer.isCpuRasteriser("NVIDIA H100 80GB HBM3/PCIe/SSE2"));
    }

    @Test
    void cullingClosedMeshesChangesNoPixel() {
        List<View> views = Cameras.dodecahedron();
        RenderSettings s = RenderSettings.defaults().withSize(96);
        for (Mesh m : List.of(torus(), marker())) {
            assertNotEquals(0, Geometry.cullableSide(m), m.source() + " is closed");
            for (RenderSettings rs : List.of(s, s.withSamples(1), s.withMode(RenderMode.DEPTH), s.withMode(RenderMode.LINES))) {
                byte[][] culled = gl.render(m, views, rs);
                gl.cullClosedMeshes = false;
                byte[][] full;
                try {
                    full = gl.render(m, views, rs);
                } finally {
                    gl.cullClosedMeshes = true;
                }
                long same = 0, total = 0;
                for (int v = 0; v < views.size(); v++)
                    for (int i = 0; i < full[v].length; i++, total++) if (culled[v][i] == full[v][i]) same++;
                // Only samples exactly on a contour edge, where a front and a back face tie in depth, may differ.
                assertTrue(same >= 0.9995 * total, m.source() + " " + rs.mode() + ": " + (total - same) + " of " + total + " pixels differ");
            }
        }
    }

    @Test
    void cullableSideNeedsAClosedConsistentlyOrientedSurface() {
        Mesh box = ProceduralMeshes.box(-0.5, -0.5, -0.5, 0.5, 0.5, 0.5);
        assertEquals(1, Geometry.cullableSide(box), "outward box");
        int[] t = box.triangles();
        int[] flipped = t.clone();
        for (int f = 0; f < flipped.length / 3; f++) { int x = flipped[3 * f + 1]; flipped[3 * f + 1] = flipped[3 * f + 2]; flipped[3 * f + 2] = x; }
        assertEquals(-1, Geometry.cullableSide(new Mesh("inside-out", box.positions(), flipped, 0)), "inside-out box");
        int[] oneFlipped = t.clone();
        int x = oneFlipped[1]; oneFlipped[1] = oneFlipped[2]; oneFlipped[2] = x;
        assertEquals(0, Geometry.cullableSide(new Mesh("one face flipped", box.positions(), oneFlipped, 0)));
        assertEquals(0, Geometry.cullableSide(new Mesh("open", box.positions(), java.util.Arrays.copyOf(t, t.length - 6), 0)));
        // Two parts, one outward and one inside out: no side can be culled for both.
        int nv = box.vertexCount();
        float[] two = new float[2 * box.positions().length];
        for (int i = 0; i < box.positions().length; i++) { two[i] = box.positions()[i] * 0.5f; two[box.positions().length + i] = box.positions()[i] * 0.3f + (i % 3 == 0 ? 0.5f : 0f); }
        int[] both = new int[2 * t.length];
        for (int i = 0; i < t.length; i++) { both[i] = t[i]; both[t.length + i] = flipped[i] + nv; }
        assertEquals(0, Geometry.cullableSide(new Mesh("mixed", two, both, 0)));
        for (int i = 0; i < t.length; i++) both[t.length + i] = t[i] + nv;
        assertEquals(1, Geometry.cullableSide(new Mesh("two outward", two, both, 0)));
        // Seams of duplicated vertices are welded first: a box whose faces share no vertex index is still closed.
        float[] split = new float[9 * (t.length / 3)];
        int[] splitT = new int[t.length];
        for (int i = 0; i < t.length; i++) { System.arraycopy(box.positions(), 3 * t[i], split, 3 * i, 3); splitT[i] = i; }
        assertEquals(1, Geometry.cullableSide(new Mesh("unwelded", split, splitT, 0)));
    }
}
