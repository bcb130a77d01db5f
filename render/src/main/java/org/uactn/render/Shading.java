// The lighting and value mappings, in one place so the GL shaders and the software rasteriser agree.
package org.uactn.render;

import java.util.Locale;

final class Shading {
    /** Key light direction in view space (from the upper left, in front of the object). */
    static final float LX, LY, LZ;
    /** Blinn half vector for a viewer at infinity along +Z. */
    static final float HX, HY, HZ;
    static final float AMBIENT = 0.15f, DIFFUSE = 0.70f, SPECULAR = 0.12f, SHININESS = 20f;
    /** Depth mode: grey = (distance - DEPTH_NEAR) / (DEPTH_FAR - DEPTH_NEAR) * DEPTH_SCALE. */
    static final float DEPTH_NEAR = (float) (Camera.DISTANCE - 1), DEPTH_FAR = (float) (Camera.DISTANCE + 1), DEPTH_SCALE = 254f / 255f;
    /** Lines mode: a line point is hidden when it lies farther than this behind the nearest nearby surface. */
    static final float LINE_DEPTH_BIAS = 0.02f;

    static {
        double lx = -0.35, ly = 0.5, lz = 1.0, l = Math.sqrt(lx * lx + ly * ly + lz * lz);
        LX = (float) (lx / l); LY = (float) (ly / l); LZ = (float) (lz / l);
        double hx = LX, hy = LY, hz = LZ + 1, h = Math.sqrt(hx * hx + hy * hy + hz * hz);
        HX = (float) (hx / h); HY = (float) (hy / h); HZ = (float) (hz / h);
    }

    private Shading() {}

    /** Grey level in [0,1] of a face with unit view-space normal n already turned towards the camera. */
    static float shade(float nx, float ny, float nz) {
        float d = Math.max(nx * LX + ny * LY + nz * LZ, 0f);
        float s = Math.max(nx * HX + ny * HY + nz * HZ, 0f);
        return Math.min(AMBIENT + DIFFUSE * d + SPECULAR * (float) Math.pow(s, SHININESS), 1f);
    }

    static float depthValue(float distance) {
        float t = (distance - DEPTH_NEAR) / (DEPTH_FAR - DEPTH_NEAR);
        return Math.min(Math.max(t, 0f), 1f) * DEPTH_SCALE;
    }

    /** GLSL constant declarations with exactly the values above. */
    static String glslConstants() {
        return String.format(Locale.ROOT, """
                const vec3 L = vec3(%s, %s, %s);
                const vec3 H = vec3(%s, %s, %s);
                const float AMBIENT = %s, DIFFUSE = %s, SPECULAR = %s, SHININESS = %s;
                const float DEPTH_NEAR = %s, DEPTH_FAR = %s, DEPTH_SCALE = %s;
                const float LINE_DEPTH_BIAS = %s;
                """, f(LX), f(LY), f(LZ), f(HX), f(HY), f(HZ), f(AMBIENT), f(DIFFUSE), f(SPECULAR), f(SHININESS),
                f(DEPTH_NEAR), f(DEPTH_FAR), f(DEPTH_SCALE), f(LINE_DEPTH_BIAS));
    }

    private static String f(float v) { return Float.toString(v).replace("E", "e"); }
}
