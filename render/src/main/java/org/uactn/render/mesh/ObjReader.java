// Reads Wavefront OBJ geometry: v and f records (v, v/vt, v//vn, v/vt/vn corners, negative indices); the rest is ignored.
package org.uactn.render.mesh;

final class ObjReader {
    private ObjReader() {}

    static Mesh read(byte[] bytes, String file) {
        TextScanner sc = new TextScanner(bytes, 0, bytes.length, file, '#', 1);
        // A rough hint from the size keeps regrowth rare; the builder grows as needed.
        MeshBuilder mb = new MeshBuilder(file, bytes.length / 60, bytes.length / 60);
        int[] idx = new int[16];
        int faces = 0;
        while (sc.nextNonEmpty()) {
            if (sc.tokenEquals(0, "v")) {
                if (sc.tokens() < 4) throw sc.error("vertex " + mb.vertexCount() + ": expected 3 coordinates, found " + (sc.tokens() - 1));
                mb.addVertex(sc.parseDouble(1, "coordinate"), sc.parseDouble(2, "coordinate"), sc.parseDouble(3, "coordinate"), sc.where());
            } else if (sc.tokenEquals(0, "f")) {
                int n = sc.tokens() - 1;
                if (idx.length < n) idx = new int[n];
                int nv = mb.vertexCount();
                for (int k = 0; k < n; k++) {
                    String t = sc.token(1 + k);
                    int slash = t.indexOf('/');
                    String vs = slash < 0 ? t : t.substring(0, slash);
                    long i;
                    try {
                        i = Long.parseLong(vs);
                    } catch (NumberFormatException e) {
                        throw sc.error("face " + faces + ": bad corner '" + t + "'");
                    }
                    if (i == 0) throw sc.error("face " + faces + ": vertex index 0 (OBJ indices start at 1)");
                    long zero = i > 0 ? i - 1 : nv + i;
                    if (zero < 0 || zero >= nv)
                        throw sc.error("face " + faces + ": vertex index " + i + " out of range (" + nv + " vertices defined so far)");
                    idx[k] = (int) zero;
                }
                mb.addPolygon(idx, n, nv, sc.where() + " (face " + faces + ")");
                faces++;
            }
            // vt, vn, g, o, s, l, p, usemtl, mtllib and unknown records carry nothing the renderer uses.
        }
        return mb.build();
    }
}
