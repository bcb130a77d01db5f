package org.uactn.core.random;

/**
 * A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64). The same seed gives
 * the same stream on every machine. Not thread-safe: one generator per thread or guarded use.
 */
public final class Generator {
    private static final Generator DEFAULT = new Generator(0x5eedL);

    private long s0, s1, s2, s3;
    private double spareGaussian;
    private boolean hasSpare;
    private long seed;

    public Generator(long seed) { manualSeed(seed); }

    /** The process-wide default generator used when an op is not given one. */
    public static Generator global() { return DEFAULT; }

    /** Seeds the default generator, like {@code torch.manual_seed}. */
    public static void seedGlobal(long seed) {
        synchronized (DEFAULT) { DEFAULT.manualSeed(seed); }
    }

    public synchronized Generator manualSeed(long seed) {
        this.seed = seed;
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
        hasSpare = false;
        return this;
    }

    public long initialSeed() { return seed; }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public synchronized long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        return (int) Math.floorMod(nextLong() >>> 1, (long) bound);
    }

    /** Standard normal (Box-Muller, the second value kept for the next call). */
    public synchronized double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1;
        do { u1 = nextDouble(); } while (u1 <= 0);
        double u2 = nextDouble();
        double r = Math.sqrt(-2 * Math.log(u1));
        spareGaussian = r * Math.sin(2 * Math.PI * u2);
        hasSpare = true;
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** The generator's full state, to save with a checkpoint. */
    public synchronized long[] state() { return new long[] {s0, s1, s2, s3, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spareGaussian), seed}; }

    public synchronized void setState(long[] state) {
        if (state.length != 7) throw new IllegalArgumentException("generator state must have 7 words, got " + state.length);
        s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3];
        hasSpare = state[4] != 0;
        spareGaussian = Double.longBitsToDouble(state[5]);
        seed = state[6];
    }
}
