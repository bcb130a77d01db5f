// Camera conventions and matrices shared by the GL and the software renderer.
package org.uactn.render;

/**
 * World: right-handed, +Y up. A view at azimuth a and elevation e looks at the origin from
 * DISTANCE * (sin a cos e, sin e, cos a cos e): azimuth 0 looks from +Z (the "front", +X to the
 * right of the image), azimuth 90 from +X; azimuth grows counter-clockwise seen from above (a
 * right-handed turn about +Y). The image's right is (cos a, 0, -sin a), always horizontal, so
 * views from straight above or below are well defined. Matrices are column-major (OpenGL).
 */
public final class Camera {
    public static final double DISTANCE = 3.0;
    /** The unit sphere fills the frame up to this factor (5% margin). */
    public static final double MARGIN = 1.05;
    public static final double NEAR = DISTANCE - 1.1, FAR = DISTANCE + 1.1;

    private Camera() {}

    /** World-to-view matrix (column-major 4x4); in view space the camera looks along -Z. */
    public static float[] viewMatrix(View v) {
        double a = Math.toRadians(v.azimuthDeg()), e = Math.toRadians(v.elevationDeg());
        double[] d = {Math.sin(a) * Math.cos(e), Math.sin(e), Math.cos(a) * Math.cos(e)}; // eye direction
        double[] r = {Math.cos(a), 0, -Math.sin(a)};
        // up = back x right, where back = d (the view-space +Z).
        double[] u = {d[1] * r[2] - d[2] * r[1], d[2] * r[0] - d[0] * r[2], d[0] * r[1] - d[1] * r[0]};
        double[] eye = {DISTANCE * d[0], DISTANCE * d[1], DISTANCE * d[2]};
        float[] m = new float[16];
        double[][] rows = {r, u, d};
        for (int i = 0; i < 3; i++) {
            m[i] = (float) rows[i][0];
            m[4 + i] = (float) rows[i][1];
            m[8 + i] = (float) rows[i][2];
            m[12 + i] = (float) -(rows[i][0] * eye[0] + rows[i][1] * eye[1] + rows[i][2] * eye[2]);
        }
        m[15] = 1;
        return m;
    }

    /** Projection matrix (column-major 4x4), square images. */
    public static float[] projectionMatrix(Projection p) {
        float[] m = new float[16];
        double n = NEAR, f = FAR;
        if (p == Projection.PERSPECTIVE) {
            double s = 1 / tanHalfFov();
            m[0] = (float) s;
            m[5] = (float) s;
            m[10] = (float) ((f + n) / (n - f));
            m[11] = -1;
            m[14] = (float) (2 * f * n / (n - f));
        } else {
            m[0] = (float) (1 / MARGIN);
            m[5] = (float) (1 / MARGIN);
            m[10] = (float) (-2 / (f - n));
            m[14] = (float) (-(f + n) / (f - n));
            m[15] = 1;
        }
        return m;
    }

    /** Tangent of half the vertical field of view: the unit sphere seen from DISTANCE, times MARGIN. */
    public static double tanHalfFov() {
        return MARGIN / Math.sqrt(DISTANCE * DISTANCE - 1);
    }
}
