package org.uactn.core.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU backend's worker pool. Work is split into a fixed number of contiguous chunks that
 * depends only on the problem size and the thread count, so results are bit-for-bit repeatable
 * for a given thread count. The size defaults to the available processors and can be set with
 * {@code -Duactn.threads=N}, the UACTN_THREADS environment variable, or {@link #setThreads}.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool;
    private static volatile int threads = defaultThreads();

    private Parallel() {}

    private static int defaultThreads() {
        String p = System.getProperty("uactn.threads");
        if (p == null) p = System.getenv("UACTN_THREADS");
        if (p != null && !p.isBlank()) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the processor count
            }
            System.err.println("uactn: ignoring invalid thread count '" + p + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public static int threads() { return threads; }

    /** Sets the number of worker threads (>= 1). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n != threads) {
            ForkJoinPool old = pool;
            pool = null;
            threads = n;
            if (old != null) old.shutdown();
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) pool = new ForkJoinPool(Math.max(1, threads - 1)); // the caller runs one chunk itself
                p = pool;
            }
        }
        return p;
    }

    /** A range body: processes indices [start, end). */
    @FunctionalInterface
    public interface Range {
        void run(int start, int end);
    }

    /**
     * Runs body over [0, n) in at most {@link #threads()} contiguous chunks, inline when the
     * work (n * costPerItem, in rough element operations) is too small to be worth splitting.
     */
    public static void forRange(int n, long costPerItem, Range body) {
        int t = threads;
        if (n <= 0) return;
        long work = (long) n * Math.max(costPerItem, 1);
        int chunks = (int) Math.min(t, Math.min(n, Math.max(1, work / 32_768)));
        if (chunks <= 1 || ForkJoinTask.inForkJoinPool()) {
            body.run(0, n);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        ForkJoinPool p = pool();
        for (int c = 1; c < chunks; c++) {
            int s = (int) ((long) n * c / chunks), e = (int) ((long) n * (c + 1) / chunks);
            tasks.add(p.submit(() -> body.run(s, e)));
        }
        body.run(0, (int) ((long) n / chunks));
        for (ForkJoinTask<?> task : tasks) task.join();
    }
}
