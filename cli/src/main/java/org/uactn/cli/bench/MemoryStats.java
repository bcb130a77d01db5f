// Process and JVM memory figures for benchmark reports: peak and current resident set size from
// /proc/self/status, and the Java heap's used and committed bytes.
package org.uactn.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

public final class MemoryStats {
    private MemoryStats() {}

    /** A snapshot; RSS values are -1 where /proc is not available (not Linux). */
    public record Snapshot(long peakRssBytes, long rssBytes, long heapUsedBytes, long heapCommittedBytes) {}

    public static Snapshot now() {
        long hwm = -1, rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) hwm = kib(line);
                else if (line.startsWith("VmRSS:")) rss = kib(line);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: report -1
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Snapshot(hwm, rss, heap.getUsed(), heap.getCommitted());
    }

    /** Heap bytes in use after a full collection (for leak checks; System.gc is a full GC with G1's defaults). */
    public static long heapAfterGc() {
        for (int i = 0; i < 2; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** "VmHWM:    123456 kB" -> bytes. */
    private static long kib(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
    }
}
