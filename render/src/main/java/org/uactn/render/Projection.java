// Camera projection; both frame the unit sphere with a 5% margin.
package org.uactn.render;

public enum Projection { PERSPECTIVE, ORTHOGRAPHIC }
