// Sketch strokes: tracing recovers a drawn line's length, drawing is seeded, and corruptions change the ink as they should.
package org.uactn.train.synth;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SketchMakerTest {
    /** A 64x64 image with a 3-pixel-wide horizontal line from x=10 to x=50 and a vertical one from y=10 to y=40. */
    static byte[] cross() {
        byte[] g = new byte[64 * 64];
        java.util.Arrays.fill(g, (byte) 255);
        for (int x = 10; x <= 50; x++) for (int y = 30; y < 33; y++) g[y * 64 + x] = 0;
        for (int y = 10; y <= 40; y++) for (int x = 20; x < 23; x++) g[y * 64 + x] = 0;
        return g;
    }

    static double length(List<double[]> strokes) {
        double l = 0;
        for (double[] s : strokes) for (int i = 2; i < s.length; i += 2) l += Math.hypot(s[i] - s[i - 2], s[i + 1] - s[i - 1]);
        return l;
    }

    static int inked(byte[] g) {
        int n = 0;
        for (byte b : g) if ((b & 0xff) < 200) n++;
        return n;
    }

    @Test
    void traceFindsTheCentreLines() {
        List<double[]> s = SketchMaker.trace(cross(), 64);
        assertFalse(s.isEmpty());
        double l = length(s);
        assertTrue(l > 60 && l < 80, "traced length " + l + " for lines of 40 + 30 pixels");
    }

    @Test
    void drawingIsSeededAndCorruptionsAct() {
        List<double[]> s = SketchMaker.trace(cross(), 64);
        SketchMaker.Style clean = new SketchMaker.Style(1, 0.3, 0, 0, 2, 1, 1.5, 1, 0);
        byte[] a = SketchMaker.draw(s, 64, clean, EnumSet.noneOf(SketchMaker.Corruption.class), new SplittableRandom(4));
        byte[] b = SketchMaker.draw(s, 64, clean, EnumSet.noneOf(SketchMaker.Corruption.class), new SplittableRandom(4));
        byte[] c = SketchMaker.draw(s, 64, clean, EnumSet.noneOf(SketchMaker.Corruption.class), new SplittableRandom(5));
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        assertTrue(inked(a) > 25, "ink pixels " + inked(a));
        byte[] cl = SketchMaker.draw(s, 64, clean, EnumSet.of(SketchMaker.Corruption.CLUTTER), new SplittableRandom(4));
        assertTrue(inked(cl) > inked(a), "clutter adds marks: " + inked(cl) + " vs " + inked(a));
        SketchMaker.Style gone = new SketchMaker.Style(1, 0.3, 1.0, 0, 2, 1, 1.5, 1, 0);
        byte[] few = SketchMaker.draw(s, 64, gone, EnumSet.noneOf(SketchMaker.Corruption.class), new SplittableRandom(4));
        assertTrue(inked(few) > 0 && inked(few) < inked(a) + 5, "all strokes missing keeps one: " + inked(few));
    }
}
