// A multi-view renderer: one mesh, many views, one 8-bit grey image per view.
package org.uactn.render;

import org.uactn.render.mesh.Mesh;

import java.util.List;

/**
 * Implementations are not thread-safe: use one renderer per thread (the GL renderer holds a
 * context current on the thread that created it and refuses calls from other threads).
 */
public interface Renderer extends AutoCloseable {
    /** "gl" or "software". */
    String kind();

    /** A human-readable description (for GL: the driver's renderer and version strings). */
    String description();

    /**
     * Renders a mesh that lies in the unit sphere (see Normalizer) from each view. Each image is
     * size*size bytes, row by row from the top; 255 is white.
     */
    byte[][] render(Mesh mesh, List<View> views, RenderSettings settings);

    @Override
    void close();
}
