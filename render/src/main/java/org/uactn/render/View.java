// One camera direction: azimuth and elevation in degrees (conventions in Camera and docs/rendering.md).
package org.uactn.render;

public record View(double azimuthDeg, double elevationDeg) {
    public View {
        if (!Double.isFinite(azimuthDeg) || !Double.isFinite(elevationDeg))
            throw new IllegalArgumentException("view angles must be finite, got azimuth " + azimuthDeg + ", elevation " + elevationDeg);
        if (elevationDeg < -90 || elevationDeg > 90)
            throw new IllegalArgumentException("elevation must be in [-90, 90] degrees, got " + elevationDeg);
    }
}
