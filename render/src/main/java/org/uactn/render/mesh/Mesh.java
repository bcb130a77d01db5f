// An indexed triangle mesh: float xyz positions and int triangle corners, plus what reading dropped.
package org.uactn.render.mesh;

/**
 * Immutable after construction by convention (arrays are not copied for speed; do not modify them).
 * Triangles are counter-clockwise for their outward side only where the source file was consistent;
 * the renderers do not rely on orientation.
 */
public final class Mesh {
    private final String source;
    private final float[] positions;
    private final int[] triangles;
    private final int droppedDegenerate;

    public Mesh(String source, float[] positions, int[] triangles, int droppedDegenerate) {
        if (positions.length % 3 != 0) throw new IllegalArgumentException("mesh " + source + ": positions length " + positions.length + " is not a multiple of 3");
        if (triangles.length % 3 != 0) throw new IllegalArgumentException("mesh " + source + ": triangles length " + triangles.length + " is not a multiple of 3");
        int n = positions.length / 3;
        for (int i = 0; i < triangles.length; i++) {
            if (triangles[i] < 0 || triangles[i] >= n)
                throw new IllegalArgumentException("mesh " + source + ": triangle " + (i / 3) + " refers to vertex " + triangles[i] + " of " + n);
        }
        this.source = source;
        this.positions = positions;
        this.triangles = triangles;
        this.droppedDegenerate = droppedDegenerate;
    }

    public String source() { return source; }
    public float[] positions() { return positions; }
    public int[] triangles() { return triangles; }
    public int vertexCount() { return positions.length / 3; }
    public int triangleCount() { return triangles.length / 3; }
    /** Triangles (after fan triangulation) that were dropped because they had repeated corners or zero area. */
    public int droppedDegenerate() { return droppedDegenerate; }

    /** Largest distance of a used vertex from the origin (1 after normalisation). */
    public double radius() {
        double r2 = 0;
        for (int t : triangles) {
            double x = positions[3 * t], y = positions[3 * t + 1], z = positions[3 * t + 2];
            r2 = Math.max(r2, x * x + y * y + z * z);
        }
        return Math.sqrt(r2);
    }

    @Override
    public String toString() {
        return "Mesh[" + source + ", " + vertexCount() + " vertices, " + triangleCount() + " triangles"
                + (droppedDegenerate > 0 ? ", " + droppedDegenerate + " degenerate dropped" : "") + "]";
    }
}
