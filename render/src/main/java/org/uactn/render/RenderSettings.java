// Everything besides the mesh and the views that decides the pixels.
package org.uactn.render;

/**
 * @param size          image width and height in pixels
 * @param lineWidth     line width in pixels (lines mode)
 * @param creaseAngleDeg edges whose faces bend by more than this are drawn as creases (lines mode)
 * @param samples       antialiasing samples per pixel for shaded and depth modes: 1 (off) or 4
 *                      (GL multisampling; 2x2 supersampling in the software renderer). Lines are
 *                      always antialiased analytically.
 */
public record RenderSettings(int size, RenderMode mode, Projection projection, double lineWidth, double creaseAngleDeg, int samples) {
    public static final int DEFAULT_SIZE = 224;
    public static final double DEFAULT_LINE_WIDTH = 1.5;
    public static final double DEFAULT_CREASE_ANGLE = 60;
    public static final int DEFAULT_SAMPLES = 4;

    public RenderSettings {
        if (size < 8 || size > 4096) throw new IllegalArgumentException("image size must be in [8, 4096], got " + size);
        if (mode == null || projection == null) throw new IllegalArgumentException("mode and projection are required");
        if (!(lineWidth >= 0.5 && lineWidth <= 16)) throw new IllegalArgumentException("line width must be in [0.5, 16] pixels, got " + lineWidth);
        if (samples != 1 && samples != 4) throw new IllegalArgumentException("samples must be 1 or 4, got " + samples);
        if (!(creaseAngleDeg >= 0 && creaseAngleDeg <= 180)) throw new IllegalArgumentException("crease angle must be in [0, 180] degrees, got " + creaseAngleDeg);
    }

    public static RenderSettings defaults() {
        return new RenderSettings(DEFAULT_SIZE, RenderMode.SHADED, Projection.PERSPECTIVE, DEFAULT_LINE_WIDTH, DEFAULT_CREASE_ANGLE, DEFAULT_SAMPLES);
    }

    public RenderSettings withSize(int s) { return new RenderSettings(s, mode, projection, lineWidth, creaseAngleDeg, samples); }
    public RenderSettings withMode(RenderMode m) { return new RenderSettings(size, m, projection, lineWidth, creaseAngleDeg, samples); }
    public RenderSettings withProjection(Projection p) { return new RenderSettings(size, mode, p, lineWidth, creaseAngleDeg, samples); }
    public RenderSettings withSamples(int n) { return new RenderSettings(size, mode, projection, lineWidth, creaseAngleDeg, n); }
}
