package org.uactn.core.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private int before;

    @BeforeEach
    void threeThreads() {
        before = Parallel.threads();
        Parallel.setThreads(3);
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    @Test
    void everyIndexRunsExactlyOnceInFixedChunks() {
        for (int rep = 0; rep < 2000; rep++) {
            int n = 1 + rep % 97;
            int[] hits = new int[n];
            ConcurrentHashMap<Integer, Integer> starts = new ConcurrentHashMap<>();
            Parallel.forRange(n, 1 << 20, (s, e) -> {
                starts.put(s, e);
                for (int i = s; i < e; i++) hits[i]++;
            });
            int[] ones = new int[n];
            java.util.Arrays.fill(ones, 1);
            assertArrayEquals(ones, hits, "n=" + n);
            int expected = Math.min(3, n);
            assertEquals(expected, starts.size(), "chunks for n=" + n);
            for (int c = 0; c < expected; c++) assertEquals((int) ((long) n * (c + 1) / expected), starts.get((int) ((long) n * c / expected)));
        }
    }

    @Test
    void smallWorkRunsInline() {
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> ran = new AtomicReference<>();
        Parallel.forRange(10, 1, (s, e) -> ran.set(Thread.currentThread()));
        assertEquals(caller, ran.get());
    }

    @Test
    void exceptionsFromAnyChunkReachTheCaller() {
        for (int bad = 0; bad < 3; bad++) {
            int b = bad;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(3, 1 << 20, (s, en) -> {
                if (s == b) throw new IllegalArgumentException("chunk " + s);
            }));
            assertEquals("chunk " + bad, e.getMessage());
        }
        // the pool still works afterwards
        int[] hits = new int[30];
        Parallel.forRange(30, 1 << 20, (s, e) -> { for (int i = s; i < e; i++) hits[i]++; });
        assertEquals(30, java.util.Arrays.stream(hits).sum());
    }

    @Test
    void nestedCallsRunInline() {
        int[] hits = new int[9];
        Parallel.forRange(3, 1 << 20, (s, e) -> {
            for (int i = s; i < e; i++) {
                int base = 3 * i;
                Parallel.forRange(3, 1 << 20, (a, b) -> { for (int j = a; j < b; j++) hits[base + j]++; });
            }
        });
        for (int h : hits) assertEquals(1, h);
    }

    @Test
    void concurrentCallersBothFinish() throws Exception {
        int callers = 4, calls = 300;
        long[] sums = new long[callers];
        CountDownLatch go = new CountDownLatch(1);
        Thread[] ts = new Thread[callers];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < callers; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                try {
                    go.await();
                    for (int c = 0; c < calls; c++) {
                        long[] part = new long[64];
                        Parallel.forRange(64, 1 << 20, (s, e) -> { for (int i = s; i < e; i++) part[i] = i; });
                        for (long v : part) sums[id] += v;
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            ts[t].start();
        }
        go.countDown();
        for (Thread t : ts) t.join(60_000);
        assertEquals(null, failure.get());
        for (long s : sums) assertEquals(calls * (63L * 64 / 2), s);
    }

    @Test
    void changingTheThreadCountKeepsWorking() {
        for (int th = 1; th <= 4; th++) {
            Parallel.setThreads(th);
            int[] hits = new int[40];
            Parallel.forRange(40, 1 << 20, (s, e) -> { for (int i = s; i < e; i++) hits[i]++; });
            assertTrue(java.util.Arrays.stream(hits).allMatch(h -> h == 1), "threads=" + th);
        }
    }
}
