// What a view shows: lit grey surface, distance to the camera, or a line drawing.
package org.uactn.render;

public enum RenderMode {
    /** MVCNN-style: Lambert + a little Phong specular, flat per face, grey object on white. */
    SHADED,
    /** Grey level grows with the distance from the camera: 0 at distance 2 (nearest possible), 254 at 4; background 255. */
    DEPTH,
    /** Black on white: occluding contours, boundaries and creases above the crease angle, hidden lines removed. */
    LINES
}
