// Writes a triangle mesh as an ASCII OFF file (the SHREC model format), atomically.
package org.uactn.train.synth;

import org.uactn.render.mesh.Mesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

public final class OffWriter {
    private OffWriter() {}

    /** The OFF text; coordinates with 6 significant digits (float precision is all a Mesh holds). */
    public static String format(Mesh m) {
        StringBuilder sb = new StringBuilder(32 * (m.vertexCount() + m.triangleCount()) + 32);
        sb.append("OFF\n").append(m.vertexCount()).append(' ').append(m.triangleCount()).append(" 0\n");
        float[] p = m.positions();
        for (int i = 0; i < m.vertexCount(); i++)
            sb.append(String.format(Locale.ROOT, "%.6g %.6g %.6g\n", p[3 * i], p[3 * i + 1], p[3 * i + 2]));
        int[] t = m.triangles();
        for (int i = 0; i < m.triangleCount(); i++) sb.append("3 ").append(t[3 * i]).append(' ').append(t[3 * i + 1]).append(' ').append(t[3 * i + 2]).append('\n');
        return sb.toString();
    }

    public static void write(Mesh m, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, format(m), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
