// Entry point for reading meshes: picks the reader by file extension and reads the whole file at once.
package org.uactn.render.mesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

public final class MeshReaders {
    /** Extensions (lower case, no dot) that {@link #read(Path)} understands. */
    public static final List<String> EXTENSIONS = List.of("off", "obj", "stl", "ply");

    private MeshReaders() {}

    /** True when the file name ends in a supported extension (any case). */
    public static boolean isMeshFile(Path p) {
        return EXTENSIONS.contains(extension(p));
    }

    public static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a mesh. Bad content throws {@link MeshFormatException} naming the file and line/element;
     * an unreadable file throws UncheckedIOException.
     */
    public static Mesh read(Path file) {
        String ext = extension(file);
        if (!EXTENSIONS.contains(ext))
            throw new IllegalArgumentException(file + ": unsupported mesh extension '" + ext + "' (supported: " + String.join(", ", EXTENSIONS) + ")");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, ext, file.toString());
    }

    /** Parses bytes as the given format ("off", "obj", "stl" or "ply"); name is used in messages. */
    public static Mesh parse(byte[] bytes, String format, String name) {
        return switch (format) {
            case "off" -> OffReader.read(bytes, name);
            case "obj" -> ObjReader.read(bytes, name);
            case "stl" -> StlReader.read(bytes, name);
            case "ply" -> PlyReader.read(bytes, name);
            default -> throw new IllegalArgumentException(name + ": unsupported mesh format '" + format + "'");
        };
    }
}
