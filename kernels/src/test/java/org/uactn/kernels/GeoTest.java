// Checks the packed kernel geometry: coalescing keeps every operand's element offsets, and ranks
// beyond the kernels' limit are rejected with the shape in the message.
package org.uactn.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeoTest {
    /** Offsets by plain row-major decomposition over the uncoalesced shape. */
    private static int naive(int[] shape, int[] strides, int offset, int i) {
        int o = offset;
        for (int d = shape.length - 1; d >= 0; d--) {
            o += (i % shape[d]) * strides[d];
            i /= shape[d];
        }
        return o;
    }

    @Test
    void coalescedOffsetsMatchNaiveOffsets() {
        int[] shape = {2, 1, 3, 4, 5};
        int[][] st = {
                {60, 60, 20, 5, 1},     // contiguous: merges to one dim
                {1, 7, 2, 6, 24},       // permuted
                {0, 0, 5, 1, 0},        // broadcast
        };
        int[] off = {0, 3, 11};
        int[] g = Geo.pack(shape, st, off);
        for (int i = 0; i < 120; i++) {
            for (int q = 0; q < 3; q++) assertEquals(naive(shape, st[q], off[q], i), Geo.offset(g, q, i), "operand " + q + " index " + i);
        }
        assertTrue(g[0] <= 4, "size-1 dim dropped and neighbours merged, rank " + g[0]);
    }

    @Test
    void contiguousOperandsCollapseToRankOne() {
        int[] g = Geo.pack(new int[] {4, 5, 6}, new int[][] {{30, 6, 1}, {30, 6, 1}}, new int[] {0, 7});
        assertEquals(1, g[0]);
        assertEquals(120, g[1]);
        assertEquals(7 + 119, Geo.offset(g, 1, 119));
    }

    @Test
    void scalarHasRankZero() {
        int[] g = Geo.pack(new int[0], new int[][] {{}}, new int[] {5});
        assertEquals(0, g[0]);
        assertEquals(5, Geo.offset(g, 0, 0));
    }

    @Test
    void tooManyDimensionsAreRejected() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] strides = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536}; // no neighbours merge
        var e = assertThrows(IllegalArgumentException.class, () -> Geo.pack(shape, new int[][] {strides}, new int[] {0}));
        assertTrue(e.getMessage().contains("[2, 2, 2, 2, 2, 2, 2, 2, 2]"), e.getMessage());
    }
}
