// Batches from a SampleSource: seeded shuffling or class-balanced sampling, worker threads that prefetch batches in order, [B, ...] tensors.
package org.uactn.train.data;

import org.uactn.core.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Determinism: the order of an epoch comes from (seed, epoch) and each sample's augmentation from
 * (seed, epoch, position in the epoch), never from which worker ran it, so the same seed gives the
 * same batches in the same order for any number of workers. Workers build whole batches; up to
 * prefetch batches are in flight ahead of the consumer, so loading overlaps the training step.
 */
public final class DataLoader implements AutoCloseable {
    /**
     * @param balanced each draw picks a class uniformly, then a sample of it (with replacement); epoch length stays size()
     * @param workers  background threads (0: load on the calling thread)
     * @param prefetch batches loaded ahead of the consumer (at least 1 when workers > 0)
     */
    public record Options(int batchSize, boolean shuffle, boolean balanced, boolean dropLast, long seed, int workers, int prefetch) {
        public Options {
            if (batchSize < 1) throw new IllegalArgumentException("data loader: batch size must be positive, got " + batchSize);
            if (workers < 0) throw new IllegalArgumentException("data loader: workers must be >= 0, got " + workers);
            if (prefetch < 0 || (workers > 0 && prefetch < 1)) throw new IllegalArgumentException("data loader: prefetch must be >= 1 with workers, got " + prefetch);
        }

        public static Options of(int batchSize, long seed) { return new Options(batchSize, true, false, false, seed, 2, 4); }

        public Options withWorkers(int w, int p) { return new Options(batchSize, shuffle, balanced, dropLast, seed, w, p); }
        public Options withBalanced(boolean b) { return new Options(batchSize, shuffle, b, dropLast, seed, workers, prefetch); }
        public Options withShuffle(boolean s) { return new Options(batchSize, s, balanced, dropLast, seed, workers, prefetch); }
        public Options withDropLast(boolean d) { return new Options(batchSize, shuffle, balanced, d, seed, workers, prefetch); }
    }

    /** images [B, ...sampleShape], labels int64 [B], the source indices, and the seconds a worker spent building it. */
    public record Batch(Tensor images, Tensor labels, int[] indices, double loadSeconds) {}

    private final SampleSource source;
    private final Options opt;
    private final ExecutorService pool;
    private volatile double waitSeconds;

    public DataLoader(SampleSource source, Options opt) {
        if (source.size() == 0) throw new IllegalArgumentException("data loader: the source has no samples");
        this.source = source;
        this.opt = opt;
        AtomicInteger n = new AtomicInteger();
        this.pool = opt.workers() == 0 ? null : Executors.newFixedThreadPool(opt.workers(), r -> {
            Thread t = new Thread(r, "uactn-data-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    public int batchesPerEpoch() {
        int n = source.size();
        return opt.dropLast() ? n / opt.batchSize() : (n + opt.batchSize() - 1) / opt.batchSize();
    }

    /** Seconds the consumer spent blocked waiting for batches (summed over all epochs so far). */
    public double waitSeconds() { return waitSeconds; }

    static long mix(long a, long b, long c) {
        long z = a * 0x9E3779B97F4A7C15L + b * 0xBF58476D1CE4E5B9L + c * 0x94D049BB133111EBL + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The sample indices of an epoch, in order. */
    public int[] order(int epoch) {
        int n = source.size();
        SplittableRandom r = new SplittableRandom(mix(opt.seed(), epoch, 1));
        int[] idx = new int[n];
        if (opt.balanced()) {
            int[] labels = new int[n];
            int maxLabel = 0;
            for (int i = 0; i < n; i++) { labels[i] = source.label(i); maxLabel = Math.max(maxLabel, labels[i]); }
            int[] count = new int[maxLabel + 1];
            for (int l : labels) count[l]++;
            int[][] members = new int[maxLabel + 1][];
            for (int c = 0; c <= maxLabel; c++) members[c] = new int[count[c]];
            int[] fill = new int[maxLabel + 1];
            for (int i = 0; i < n; i++) members[labels[i]][fill[labels[i]]++] = i;
            int[][] nonEmpty = Arrays.stream(members).filter(m -> m.length > 0).toArray(int[][]::new);
            for (int i = 0; i < n; i++) {
                int[] m = nonEmpty[r.nextInt(nonEmpty.length)];
                idx[i] = m[r.nextInt(m.length)];
            }
            return idx;
        }
        for (int i = 0; i < n; i++) idx[i] = i;
        if (opt.shuffle()) for (int i = n - 1; i > 0; i--) { int j = r.nextInt(i + 1); int t = idx[i]; idx[i] = idx[j]; idx[j] = t; }
        return idx;
    }

    /** The batches of one epoch; iterate once. Batches are built ahead on the worker threads. */
    public Iterable<Batch> epoch(int epoch) {
        int[] order = order(epoch);
        int nb = batchesPerEpoch();
        return () -> new Iterator<>() {
            final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
            int submitted, taken;

            {
                if (pool != null) while (submitted < nb && ahead.size() < opt.prefetch()) submit();
            }

            private void submit() {
                int b = submitted++;
                ahead.add(pool.submit(() -> build(order, epoch, b)));
            }

            public boolean hasNext() { return taken < nb; }

            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int b = taken++;
                if (pool == null) return build(order, epoch, b);
                long t0 = System.nanoTime();
                Batch out;
                try {
                    out = ahead.removeFirst().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a batch", e);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) throw re;
                    throw new IllegalStateException("loading batch " + b + " failed: " + c, c);
                }
                waitSeconds += (System.nanoTime() - t0) / 1e9;
                if (submitted < nb) submit();
                return out;
            }
        };
    }

    private Batch build(int[] order, int epoch, int b) {
        long t0 = System.nanoTime();
        int from = b * opt.batchSize(), to = Math.min(order.length, from + opt.batchSize());
        int n = to - from;
        int[] shape = source.sampleShape();
        int per = 1;
        for (int s : shape) per *= s;
        float[] data = new float[n * per];
        long[] labels = new long[n];
        int[] idx = Arrays.copyOfRange(order, from, to);
        for (int i = 0; i < n; i++) {
            SplittableRandom r = new SplittableRandom(mix(opt.seed(), epoch, 1_000_003L + from + i));
            source.load(idx[i], r, data, i * per);
            labels[i] = source.label(idx[i]);
        }
        int[] full = new int[shape.length + 1];
        full[0] = n;
        System.arraycopy(shape, 0, full, 1, shape.length);
        return new Batch(Tensor.of(data, full), Tensor.ofLong(labels, n), idx, (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
