package org.uactn.core.backend.cpu;

import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The CPU backend's worker pool. Work is split into a fixed number of contiguous chunks that
 * depends only on the problem size and the thread count, so results are bit-for-bit repeatable
 * for a given thread count. The size defaults to the available processors and can be set with
 * {@code -Duactn.threads=N}, the UACTN_THREADS environment variable, or {@link #setThreads}.
 *
 * <p>A training step makes hundreds of parallel calls of a few hundred microseconds each, so the
 * hand-off latency matters: a parked thread takes 50 to 90 microseconds to wake on these machines.
 * Each worker therefore owns one chunk slot and spins on it for a while after its last chunk
 * ({@code -Duactn.spinMicros}, default 500) before parking. The calling thread runs chunk 0 itself.
 * Calls from inside a chunk (nested), from a fork-join task, or made while another thread is using
 * the workers, run all their chunks on the calling thread: same chunks, same results.
 */
public final class Parallel {
    private static volatile Pool pool;
    private static volatile int threads = defaultThreads();
    private static final long SPIN_NANOS = Long.getLong("uactn.spinMicros", 500) * 1000L;

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
            Pool old = pool;
            pool = null;
            threads = n;
            if (old != null) old.shutdown();
        }
    }

    private static Pool pool() {
        Pool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) pool = new Pool(Math.max(1, threads - 1)); // the caller runs one chunk itself
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
        if (chunks <= 1 || Thread.currentThread() instanceof Worker || ForkJoinTask.inForkJoinPool()) {
            body.run(0, n);
            return;
        }
        Pool p = pool();
        if (chunks - 1 > p.workers.length || p.lock.isHeldByCurrentThread() || !p.lock.tryLock()) {
            for (int c = 0; c < chunks; c++) body.run(start(n, c, chunks), start(n, c + 1, chunks));
            return;
        }
        try {
            p.run(n, chunks, body);
        } finally {
            p.lock.unlock();
        }
    }

    private static int start(int n, int c, int chunks) { return (int) ((long) n * c / chunks); }

    /** The workers of one thread count; one caller at a time holds the lock and hands them chunks. */
    private static final class Pool {
        final Worker[] workers;
        final ReentrantLock lock = new ReentrantLock();

        Pool(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker("uactn-cpu-" + (i + 1));
                workers[i].start();
            }
        }

        void run(int n, int chunks, Range body) {
            for (int c = 1; c < chunks; c++) workers[c - 1].submit(body, start(n, c, chunks), start(n, c + 1, chunks));
            Throwable failure = null;
            try {
                body.run(0, start(n, 1, chunks));
            } catch (Throwable e) {
                failure = e;
            }
            for (int c = 1; c < chunks; c++) {
                Throwable e = workers[c - 1].await();
                if (failure == null) failure = e;
                else if (e != null && e != failure) failure.addSuppressed(e);
            }
            if (failure instanceof RuntimeException r) throw r;
            if (failure instanceof Error err) throw err;
            if (failure != null) throw new IllegalStateException(failure);
        }

        void shutdown() {
            for (Worker w : workers) w.stopAfterCurrent();
        }
    }

    /** A daemon thread that runs one chunk per submission, spinning briefly before it parks. */
    private static final class Worker extends Thread {
        private volatile long submitted, finished;
        private volatile boolean parked, stopping;
        private Range body;
        private int start, end;
        private Throwable failure;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        /** Called by the pool's lock holder only. */
        void submit(Range b, int s, int e) {
            body = b;
            start = s;
            end = e;
            failure = null;
            submitted = submitted + 1; // volatile write publishes the fields above
            if (parked) LockSupport.unpark(this);
        }

        /** Waits for the last submission and returns what it threw, if anything. */
        Throwable await() {
            long want = submitted;
            int spins = 0;
            while (finished != want) {
                if (++spins < 1 << 16) Thread.onSpinWait();
                else Thread.yield();
            }
            Throwable f = failure;
            body = null;
            return f;
        }

        void stopAfterCurrent() {
            stopping = true;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long s = submitted;
                if (s == seen) {
                    if (stopping) return; // only when idle: a pending chunk is always run
                    waitForWork(seen);
                    continue;
                }
                seen = s;
                try {
                    body.run(start, end);
                } catch (Throwable e) {
                    failure = e;
                }
                finished = s;
            }
        }

        private void waitForWork(long seen) {
            long t0 = System.nanoTime();
            int spins = 0;
            while (submitted == seen && !stopping) {
                if ((++spins & 63) != 0 || System.nanoTime() - t0 < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (submitted == seen && !stopping) LockSupport.park(this);
                parked = false;
            }
        }
    }
}
