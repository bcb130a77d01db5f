// Camera sets: a ring around the up axis, the 20 vertices of a dodecahedron, or an explicit list.
package org.uactn.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

public final class Cameras {
    private Cameras() {}

    /** n views at azimuths 0, 360/n, ... (counter-clockwise seen from above) at one elevation. MVCNN: 12 at 30. */
    public static List<View> ring(int n, double elevationDeg) {
        if (n < 1 || n > 1000) throw new IllegalArgumentException("ring needs 1 to 1000 views, got " + n);
        List<View> v = new ArrayList<>(n);
        for (int i = 0; i < n; i++) v.add(new View(360.0 * i / n, elevationDeg));
        return v;
    }

    /** The 20 vertices of a regular dodecahedron as directions, ordered by elevation (high first), then azimuth. */
    public static List<View> dodecahedron() {
        double phi = (1 + Math.sqrt(5)) / 2, ip = 1 / phi;
        List<double[]> pts = new ArrayList<>();
        for (int sx = -1; sx <= 1; sx += 2)
            for (int sy = -1; sy <= 1; sy += 2)
                for (int sz = -1; sz <= 1; sz += 2) pts.add(new double[]{sx, sy, sz});
        for (int s1 = -1; s1 <= 1; s1 += 2)
            for (int s2 = -1; s2 <= 1; s2 += 2) {
                pts.add(new double[]{0, s1 * ip, s2 * phi});
                pts.add(new double[]{s1 * ip, s2 * phi, 0});
                pts.add(new double[]{s1 * phi, 0, s2 * ip});
            }
        List<View> v = new ArrayList<>();
        for (double[] p : pts) {
            double r = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
            double el = Math.toDegrees(Math.asin(p[1] / r));
            double az = Math.toDegrees(Math.atan2(p[0], p[2]));
            if (az < 0) az += 360;
            v.add(new View(round(az), round(el)));
        }
        v.sort((a, b) -> a.elevationDeg() != b.elevationDeg() ? Double.compare(b.elevationDeg(), a.elevationDeg())
                : Double.compare(a.azimuthDeg(), b.azimuthDeg()));
        return v;
    }

    private static double round(double d) { return Math.rint(d * 1e9) / 1e9; }

    /** Parses "az:el,az:el,..." (degrees), e.g. "0:30,90:30,180:-10". */
    public static List<View> parseList(String s) {
        List<View> v = new ArrayList<>();
        for (String item : s.split(",")) {
            String t = item.trim();
            if (t.isEmpty()) continue;
            String[] ae = t.split(":");
            if (ae.length != 2) throw new IllegalArgumentException("camera '" + t + "': expected AZIMUTH:ELEVATION in degrees");
            try {
                v.add(new View(Double.parseDouble(ae[0].trim()), Double.parseDouble(ae[1].trim())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("camera '" + t + "': not numbers");
            }
        }
        if (v.isEmpty()) throw new IllegalArgumentException("empty camera list '" + s + "'");
        return v;
    }

    /** ring, dodecahedron, or an explicit "az:el,..." list. */
    public static List<View> parse(String kind, int ringViews, double elevationDeg) {
        String k = kind.trim().toLowerCase(Locale.ROOT);
        if (k.equals("ring")) return ring(ringViews, elevationDeg);
        if (k.equals("dodecahedron")) return dodecahedron();
        if (k.contains(":")) return parseList(k);
        throw new IllegalArgumentException("cameras must be ring, dodecahedron or a list AZ:EL,AZ:EL,..., got '" + kind + "'");
    }
}
