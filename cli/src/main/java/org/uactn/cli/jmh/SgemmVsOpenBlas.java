// Alternating-rounds comparison of the engine's SGEMM with OpenBLAS in one process: per round, time a
// few multiplications of each (pausing so OpenBLAS's spinning workers settle) and report median ratios.
package org.uactn.cli.jmh;

import org.uactn.core.backend.cpu.Parallel;
import org.uactn.core.backend.cpu.Sgemm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;

/** Usage: SgemmVsOpenBlas [sizes=256,512,1024,2048] [threads=1,2] [rounds=9] */
public final class SgemmVsOpenBlas {
    private SgemmVsOpenBlas() {}

    public static void main(String[] args) throws Exception {
        int[] sizes = ints(args.length > 0 ? args[0] : "256,512,1024,2048");
        int[] threadCounts = ints(args.length > 1 ? args[1] : "1,2");
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        if (!OpenBlas.available()) {
            System.out.println("OpenBLAS not found; nothing to compare against (set -Duactn.openblas=PATH)");
            return;
        }
        System.out.println("OpenBLAS: " + OpenBlas.path() + "; rounds: " + rounds);
        System.out.println("threads     n   uactn GF/s  OpenBLAS GF/s  ratio (median of per-round ratios)");
        for (int t : threadCounts) {
            Parallel.setThreads(t);
            OpenBlas.setThreads(t);
            for (int n : sizes) compare(n, t, rounds);
        }
    }

    private static void compare(int n, int threads, int rounds) throws InterruptedException {
        Random r = new Random(1);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
            b[i] = r.nextFloat() - 0.5f;
        }
        double flop = 2.0 * n * n * n;
        int reps = (int) Math.max(1, Math.min(200, 0.4e9 * threads / flop * 5));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment na = arena.allocateFrom(ValueLayout.JAVA_FLOAT, a), nb = arena.allocateFrom(ValueLayout.JAVA_FLOAT, b);
            MemorySegment nc = arena.allocate((long) n * n * Float.BYTES, 64);
            // Warm-up: the JIT needs a few calls at large n and ~100 at small n.
            long until = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < until) Sgemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            for (int i = 0; i < 3; i++) OpenBlas.sgemm(n, n, n, na, nb, nc);
            double[] ours = new double[rounds], theirs = new double[rounds], ratio = new double[rounds];
            for (int q = 0; q < rounds; q++) {
                Thread.sleep(300);
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) Sgemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
                double to = (System.nanoTime() - t0) / 1e9 / reps;
                Thread.sleep(300);
                t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) OpenBlas.sgemm(n, n, n, na, nb, nc);
                double tb = (System.nanoTime() - t0) / 1e9 / reps;
                ours[q] = flop / to / 1e9;
                theirs[q] = flop / tb / 1e9;
                ratio[q] = tb / to;
            }
            float[] ref = nc.toArray(ValueLayout.JAVA_FLOAT);
            double maxDiff = 0;
            for (int i = 0; i < c.length; i++) maxDiff = Math.max(maxDiff, Math.abs(c[i] - ref[i]));
            System.out.printf("%7d %5d %12.1f %14.1f %6.3f   (max |diff| %.1e)%n", threads, n, median(ours), median(theirs), median(ratio), maxDiff);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}
