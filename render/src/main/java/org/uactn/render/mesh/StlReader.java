// Reads STL meshes, binary (80-byte header, count, 50 bytes per facet) or ASCII (solid/facet/vertex records).
package org.uactn.render.mesh;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

final class StlReader {
    private StlReader() {}

    static Mesh read(byte[] bytes, String file) {
        // Binary files may also begin with "solid", so the size formula decides first.
        if (bytes.length >= 84) {
            long n = ByteBuffer.wrap(bytes, 80, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            if (84 + 50 * n == bytes.length) return readBinary(bytes, file, n);
        }
        if (startsWithSolid(bytes) && looksAscii(bytes)) return readAscii(bytes, file);
        if (bytes.length < 84) throw new MeshFormatException(file, "", "truncated binary STL: " + bytes.length + " bytes, shorter than the 84-byte header");
        long n = ByteBuffer.wrap(bytes, 80, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        return readBinary(bytes, file, n);
    }

    private static boolean startsWithSolid(byte[] b) {
        int i = 0;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) i++;
        return b.length - i >= 5 && new String(b, i, 5, StandardCharsets.ISO_8859_1).equalsIgnoreCase("solid");
    }

    private static boolean looksAscii(byte[] b) {
        int n = Math.min(b.length, 1024);
        for (int i = 0; i < n; i++) if (b[i] == 0) return false;
        return true;
    }

    private static Mesh readBinary(byte[] bytes, String file, long n) {
        if (n == 0) throw new MeshFormatException(file, "", "zero faces (binary STL declares 0 triangles)");
        long need = 84 + 50 * n;
        if (need > bytes.length)
            throw new MeshFormatException(file, "facet " + (bytes.length - 84) / 50, "truncated binary STL: declares " + n
                    + " triangles needing " + need + " bytes, but the file has " + bytes.length);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        MeshBuilder mb = new MeshBuilder(file, (int) (3 * n), (int) n);
        int[] idx = new int[3];
        for (int f = 0; f < n; f++) {
            int o = 84 + 50 * f + 12; // skip the stored normal: it is often wrong and the renderer recomputes it
            String where = "facet " + f;
            for (int k = 0; k < 3; k++) {
                mb.addVertex(bb.getFloat(o + 12 * k), bb.getFloat(o + 12 * k + 4), bb.getFloat(o + 12 * k + 8), where);
                idx[k] = mb.vertexCount() - 1;
            }
            mb.addPolygon(idx, 3, mb.vertexCount(), where);
        }
        return mb.build();
    }

    private static Mesh readAscii(byte[] bytes, String file) {
        TextScanner sc = new TextScanner(bytes, 0, bytes.length, file, (char) 0, 1);
        MeshBuilder mb = new MeshBuilder(file, bytes.length / 80, bytes.length / 250);
        int[] idx = new int[16];
        int corners = 0, facets = 0;
        boolean inLoop = false;
        while (sc.nextNonEmpty()) {
            if (sc.tokenEquals(0, "vertex")) {
                if (!inLoop) throw sc.error("facet " + facets + ": 'vertex' outside 'outer loop'");
                if (sc.tokens() < 4) throw sc.error("facet " + facets + ": vertex needs 3 coordinates, found " + (sc.tokens() - 1));
                mb.addVertex(sc.parseDouble(1, "coordinate"), sc.parseDouble(2, "coordinate"), sc.parseDouble(3, "coordinate"), sc.where());
                if (corners == idx.length) idx = java.util.Arrays.copyOf(idx, corners * 2);
                idx[corners++] = mb.vertexCount() - 1;
            } else if (sc.tokenEquals(0, "outer")) {
                inLoop = true;
                corners = 0;
            } else if (sc.tokenEquals(0, "endloop")) {
                if (!inLoop) throw sc.error("facet " + facets + ": 'endloop' without 'outer loop'");
                if (corners < 3) throw sc.error("facet " + facets + ": loop has " + corners + " vertices, needs 3");
                mb.addPolygon(idx, corners, mb.vertexCount(), sc.where() + " (facet " + facets + ")");
                inLoop = false;
                facets++;
            } else if (sc.tokenEquals(0, "endsolid")) {
                break;
            }
            // solid, facet normal, endfacet: nothing to keep.
        }
        if (inLoop) throw new MeshFormatException(file, "line " + sc.line(), "truncated ASCII STL: file ends inside facet " + facets);
        if (facets == 0) throw new MeshFormatException(file, "", "zero faces (no facets in ASCII STL)");
        return mb.build();
    }
}
