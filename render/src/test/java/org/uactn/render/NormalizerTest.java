// Centring (bounding box or area-weighted centroid), unit-sphere scaling and the up-axis rotation.
package org.uactn.render;

import org.junit.jupiter.api.Test;
import org.uactn.render.mesh.Mesh;
import org.uactn.render.mesh.Normalizer;
import org.uactn.render.mesh.ProceduralMeshes;

import static org.junit.jupiter.api.Assertions.*;

class NormalizerTest {
    /** A big box [0,4]x[0,2]x[0,2] and a small far box [10,11]x[0,1]x[0,1]: bbox centre and centroid differ a lot. */
    private static Mesh twoBoxes() {
        return ProceduralMeshes.boxes(new double[][]{{0, 0, 0, 4, 2, 2}, {10, 0, 0, 11, 1, 1}}, "two");
    }

    private static double[] mean(Mesh m) {
        double[] s = new double[3];
        for (int i = 0; i < m.positions().length; i++) s[i % 3] += m.positions()[i];
        for (int k = 0; k < 3; k++) s[k] /= m.vertexCount();
        return s;
    }

    @Test
    void bboxCentreGoesToTheOriginAndTheMeshTouchesTheUnitSphere() {
        Mesh n = Normalizer.normalize(twoBoxes(), Normalizer.Center.BBOX, Normalizer.UpAxis.Y);
        assertEquals(1.0, n.radius(), 1e-6);
        // bbox [0,11]x[0,2]x[0,2] -> centre (5.5,1,1); farthest corner (11,y,z) or (0,..) at sqrt(5.5^2+1+1)
        double s = 1 / Math.sqrt(5.5 * 5.5 + 2);
        assertEquals((0 - 5.5) * s, n.positions()[0], 1e-6);
        assertEquals((0 - 1) * s, n.positions()[1], 1e-6);
    }

    @Test
    void centroidIsAreaWeighted() {
        Mesh n = Normalizer.normalize(twoBoxes(), Normalizer.Center.CENTROID, Normalizer.UpAxis.Y);
        assertEquals(1.0, n.radius(), 1e-6);
        // Areas: big box 2*(8+8+4)=40 with centroid (2,1,1); small box 6 with centroid (10.5,.5,.5).
        double cx = (40 * 2 + 6 * 10.5) / 46, cy = (40 * 1 + 6 * 0.5) / 46;
        double r = 0;
        Mesh src = twoBoxes();
        for (int v = 0; v < src.vertexCount(); v++) {
            double dx = src.positions()[3 * v] - cx, dy = src.positions()[3 * v + 1] - cy, dz = src.positions()[3 * v + 2] - cy;
            r = Math.max(r, Math.sqrt(dx * dx + dy * dy + dz * dz));
        }
        assertEquals((0 - cx) / r, n.positions()[0], 1e-5);
        assertEquals((0 - cy) / r, n.positions()[1], 1e-5);
    }

    @Test
    void upAxisZBecomesY() {
        Mesh tall = ProceduralMeshes.box(-0.1, -0.1, -1, 0.1, 0.1, 1); // long along Z
        Mesh n = Normalizer.normalize(tall, Normalizer.Center.BBOX, Normalizer.UpAxis.Z);
        double maxY = 0, maxZ = 0;
        for (int v = 0; v < n.vertexCount(); v++) {
            maxY = Math.max(maxY, Math.abs(n.positions()[3 * v + 1]));
            maxZ = Math.max(maxZ, Math.abs(n.positions()[3 * v + 2]));
        }
        assertTrue(maxY > 0.9 && maxZ < 0.2, "maxY " + maxY + " maxZ " + maxZ);
        // A rotation keeps the orientation: the outward box keeps a positive volume.
        assertTrue(MeshReadersTest.signedVolume(n) > 0);
        Mesh x = Normalizer.normalize(ProceduralMeshes.box(-1, -0.1, -0.1, 1, 0.1, 0.1), Normalizer.Center.BBOX, Normalizer.UpAxis.X);
        assertTrue(MeshReadersTest.signedVolume(x) > 0);
        assertEquals(1.0, Math.abs(x.positions()[1]) > 0.9 ? 1.0 : 0.0);
        assertThrows(IllegalArgumentException.class, () -> Normalizer.UpAxis.parse("w"));
        assertArrayEquals(new double[]{0, 0, 0}, mean(Normalizer.normalize(tall, Normalizer.Center.BBOX, Normalizer.UpAxis.Y)), 1e-6);
    }

    @Test
    void collapsedMeshIsRejected() {
        Mesh point = new Mesh("p", new float[]{1, 1, 1, 1, 1, 1, 1, 1, 1}, new int[]{0, 1, 2}, 0);
        assertThrows(IllegalArgumentException.class, () -> Normalizer.normalize(point, Normalizer.Center.BBOX, Normalizer.UpAxis.Y));
    }
}
