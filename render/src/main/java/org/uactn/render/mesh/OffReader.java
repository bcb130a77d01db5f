// Reads OFF meshes as found in SHREC/PSB: header variants, '#' comments, polygons, optional per-face colours.
package org.uactn.render.mesh;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class OffReader {
    // [ST][C][N][4][n]OFF; the 4/n (other dimensions) variants are rejected, the rest only add vertex fields.
    private static final Pattern KEYWORD = Pattern.compile("^(ST)?C?N?(4)?(n)?OFF(.*)$");

    private OffReader() {}

    static Mesh read(byte[] bytes, String file) {
        TextScanner sc = new TextScanner(bytes, 0, bytes.length, file, '#', 1);
        if (!sc.nextNonEmpty()) throw new MeshFormatException(file, "", "empty file");
        long[] counts = new long[3];
        int nCounts = 0;
        int first = 0;
        Matcher m = KEYWORD.matcher(sc.token(0));
        if (m.matches()) {
            if (m.group(2) != null || m.group(3) != null)
                throw sc.error("unsupported OFF variant '" + sc.token(0) + "' (only 3-D vertices are supported)");
            String glued = m.group(4);
            if (!glued.isEmpty()) {
                // "OFF8 12 0": the first count is glued to the keyword.
                try {
                    counts[nCounts++] = Long.parseLong(glued);
                } catch (NumberFormatException e) {
                    throw sc.error("bad OFF header '" + sc.token(0) + "'");
                }
            }
            first = 1;
        } else if (!Character.isDigit(sc.token(0).charAt(0))) {
            throw sc.error("not an OFF file: expected 'OFF' header, found '" + sc.token(0) + "'");
        }
        for (int i = first; i < sc.tokens() && nCounts < 3; i++) counts[nCounts++] = sc.parseLong(i, "count");
        if (nCounts == 0) {
            if (!sc.nextNonEmpty()) throw new MeshFormatException(file, "", "file ends before the vertex and face counts");
            for (int i = 0; i < sc.tokens() && nCounts < 3; i++) counts[nCounts++] = sc.parseLong(i, "count");
        }
        if (nCounts < 2) throw sc.error("expected vertex and face counts, found " + nCounts + " number(s)");
        long nv = counts[0], nf = counts[1];
        if (nv < 0 || nf < 0) throw sc.error("negative counts: " + nv + " vertices, " + nf + " faces");
        if (nf == 0) throw sc.error("zero faces declared");
        if (nv < 3) throw sc.error("only " + nv + " vertices declared");
        // Cheapest possible text: "0 0 0\n" per vertex, "1 0\n" per (degenerate) face.
        long need = nv * 6 + nf * 4 - 1;
        long have = bytes.length - sc.position();
        if (need > have)
            throw sc.error("declares " + nv + " vertices and " + nf + " faces, which need at least " + need
                    + " bytes, but only " + have + " follow (corrupt counts or truncated file)");
        MeshBuilder mb = new MeshBuilder(file, (int) nv, (int) Math.min(nf * 2, Integer.MAX_VALUE / 4));
        for (long v = 0; v < nv; v++) {
            if (!sc.nextNonEmpty()) throw new MeshFormatException(file, "line " + sc.line(), "file ends after " + v + " of " + nv + " vertices");
            if (sc.tokens() < 3) throw sc.error("vertex " + v + ": expected 3 coordinates, found " + sc.tokens() + " value(s)");
            mb.addVertex(sc.parseDouble(0, "coordinate"), sc.parseDouble(1, "coordinate"), sc.parseDouble(2, "coordinate"), sc.where());
        }
        int[] idx = new int[16];
        for (long f = 0; f < nf; f++) {
            if (!sc.nextNonEmpty()) throw new MeshFormatException(file, "line " + sc.line(), "file ends after " + f + " of " + nf + " faces");
            int n = sc.parseInt(0, "corner count");
            if (n < 1) throw sc.error("face " + f + ": bad corner count " + n);
            if (sc.tokens() < n + 1) throw sc.error("face " + f + ": declares " + n + " corners but lists " + (sc.tokens() - 1));
            if (idx.length < n) idx = new int[n];
            for (int k = 0; k < n; k++) {
                long i = sc.parseLong(1 + k, "vertex index");
                if (i < 0 || i >= nv) throw sc.error("face " + f + ": vertex index " + i + " out of range [0, " + nv + ")");
                idx[k] = (int) i;
            }
            // Tokens after the corners are a colour (r g b [a]); ignored.
            mb.addPolygon(idx, n, (int) nv, sc.where() + " (face " + f + ")");
        }
        return mb.build();
    }
}
