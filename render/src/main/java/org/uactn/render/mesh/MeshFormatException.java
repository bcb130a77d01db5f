// Bad mesh input: the message names the file and the line or element where reading stopped.
package org.uactn.render.mesh;

/** Thrown by the mesh readers; an IllegalArgumentException so callers treat it as bad input. */
public final class MeshFormatException extends IllegalArgumentException {
    private final String file;

    public MeshFormatException(String file, String where, String message) {
        super(file + (where == null || where.isEmpty() ? "" : ":" + where) + ": " + message);
        this.file = file;
    }

    /** The file (as given to the reader) the error is about. */
    public String file() { return file; }
}
