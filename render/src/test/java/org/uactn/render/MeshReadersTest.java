// Every reader on the committed fixtures (render/src/test/resources/meshes, made by make_fixtures.py), good and malformed.
package org.uactn.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.uactn.render.mesh.Mesh;
import org.uactn.render.mesh.MeshFormatException;
import org.uactn.render.mesh.MeshReaders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.*;

class MeshReadersTest {
    static Path fixture(String name) {
        try {
            return Paths.get(MeshReadersTest.class.getResource("/meshes/" + name).toURI());
        } catch (Exception e) {
            throw new AssertionError("missing fixture " + name, e);
        }
    }

    static double area(Mesh m) {
        float[] p = m.positions();
        int[] t = m.triangles();
        double a = 0;
        for (int f = 0; f < t.length; f += 3) {
            int i = 3 * t[f], j = 3 * t[f + 1], k = 3 * t[f + 2];
            double ux = p[j] - p[i], uy = p[j + 1] - p[i + 1], uz = p[j + 2] - p[i + 2];
            double vx = p[k] - p[i], vy = p[k + 1] - p[i + 1], vz = p[k + 2] - p[i + 2];
            double cx = uy * vz - uz * vy, cy = uz * vx - ux * vz, cz = ux * vy - uy * vx;
            a += 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
        }
        return a;
    }

    @ParameterizedTest
    @ValueSource(strings = {"cube.off", "cube_header_inline.off", "cube_glued.off", "cube_color.off", "cube.obj",
            "cube_ascii.stl", "cube_binary.stl", "cube_ascii.ply", "cube_le.ply", "cube_be.ply"})
    void everyFormatReadsTheSameBox(String name) {
        Mesh m = MeshReaders.read(fixture(name));
        assertEquals(12, m.triangleCount(), name);
        assertEquals(0, m.droppedDegenerate(), name);
        assertEquals(10.0, area(m), 1e-6, name);
        float[] lo = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE}, hi = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < m.positions().length; i++) {
            lo[i % 3] = Math.min(lo[i % 3], m.positions()[i]);
            hi[i % 3] = Math.max(hi[i % 3], m.positions()[i]);
        }
        assertArrayEquals(new float[]{0, 0, 0}, lo, name);
        assertArrayEquals(new float[]{2, 1, 1}, hi, name);
        // Fans keep the orientation of the source polygons: the box's faces point outwards (positive volume).
        assertTrue(signedVolume(m) > 1.99 && signedVolume(m) < 2.01, name + " volume " + signedVolume(m));
    }

    static double signedVolume(Mesh m) {
        float[] p = m.positions();
        int[] t = m.triangles();
        double v = 0;
        for (int f = 0; f < t.length; f += 3) {
            int i = 3 * t[f], j = 3 * t[f + 1], k = 3 * t[f + 2];
            v += (p[i] * (p[j + 1] * p[k + 2] - p[j + 2] * p[k + 1]) - p[i + 1] * (p[j] * p[k + 2] - p[j + 2] * p[k])
                    + p[i + 2] * (p[j] * p[k + 1] - p[j + 1] * p[k])) / 6.0;
        }
        return v;
    }

    @Test
    void degenerateFacesAreDroppedAndCounted() {
        Mesh m = MeshReaders.read(fixture("degenerate.off"));
        assertEquals(12, m.triangleCount());
        assertEquals(3, m.droppedDegenerate()); // repeated corner, zero-area sliver, 2-corner face
    }

    private static String failure(String name) {
        MeshFormatException e = assertThrows(MeshFormatException.class, () -> MeshReaders.read(fixture(name)));
        assertTrue(e.getMessage().contains(name), "message must name the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void offErrorsNameTheLine() {
        String m = failure("bad_index.off");
        assertTrue(m.contains("line 15") && m.contains("index 9 out of range [0, 8)"), m);
        m = failure("nan.off");
        assertTrue(m.contains("line 10") && m.contains("non-finite"), m);
        m = failure("truncated.off");
        assertTrue(m.contains("file ends after 3 of 6 faces"), m);
        m = failure("zero_faces.off");
        assertTrue(m.contains("line 2") && m.contains("zero faces"), m);
        m = failure("short_face.off");
        assertTrue(m.contains("line 16") && m.contains("declares 4 corners but lists 3"), m);
    }

    @Test
    void countsBeyondTheFileSizeAreRejectedBeforeAllocating() {
        String m = failure("huge_counts.off");
        assertTrue(m.contains("2000000000 vertices") && m.contains("bytes"), m);
        m = failure("huge_counts.ply");
        assertTrue(m.contains("needing at least 1500000176 bytes"), m);
    }

    @Test
    void objErrors() {
        String m = failure("bad_index.obj");
        assertTrue(m.contains("line 10") && m.contains("vertex index 12 out of range"), m);
        m = failure("bad_number.obj");
        assertTrue(m.contains("line 3") && m.contains("1.5.2"), m);
    }

    @Test
    void stlErrors() {
        String m = failure("truncated_binary.stl");
        assertTrue(m.contains("truncated binary STL") && m.contains("declares 12 triangles"), m);
        m = failure("truncated_ascii.stl");
        assertTrue(m.contains("truncated ASCII STL"), m);
    }

    @Test
    void plyErrorsNameTheElement() {
        String m = failure("truncated_be.ply");
        assertTrue(m.contains("truncated_be.ply:face 4: truncated binary PLY"), m);
        m = failure("bad_index.ply");
        assertTrue(m.contains("face 5") && m.contains("vertex index 8 out of range [0, 8)"), m);
    }

    @Test
    void headerProblemsAndUnsupportedFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.ply");
        Files.writeString(f, "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nend_header\n0 0\n1 0\n0 1\n");
        String m = assertThrows(MeshFormatException.class, () -> MeshReaders.read(f)).getMessage();
        assertTrue(m.contains("x.ply") && m.contains("no 'face' element") || m.contains("zero faces"), m);
        Path g = dir.resolve("y.off");
        Files.writeString(g, "NOFF? nonsense\n");
        assertThrows(MeshFormatException.class, () -> MeshReaders.read(g));
        Path h = dir.resolve("z.xyz");
        Files.writeString(h, "");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MeshReaders.read(h)).getMessage().contains("unsupported mesh extension"));
        Path empty = dir.resolve("e.obj");
        Files.writeString(empty, "# nothing\n");
        assertTrue(assertThrows(MeshFormatException.class, () -> MeshReaders.read(empty)).getMessage().contains("no vertices"));
    }
}
