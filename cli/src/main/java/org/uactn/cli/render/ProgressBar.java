// A one-line progress bar on stderr: items done, rate and ETA; redrawn in place on a terminal, else logged every few seconds.
package org.uactn.cli.render;

import java.io.PrintWriter;
import java.util.Locale;

public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final String unit;
    private final int total;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int startDone = -1;
    private boolean drawn;

    public ProgressBar(PrintWriter err, String unit, int total, boolean terminal) {
        this.err = err;
        this.unit = unit;
        this.total = total;
        this.terminal = terminal;
    }

    /** Whether stderr looks like an interactive terminal (then the bar redraws in place). */
    public static boolean stderrIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Records that done of total items are finished (done counts skipped items too). */
    public synchronized void update(int done, int rendered) {
        if (startDone < 0) startDone = done - rendered;
        long now = System.nanoTime();
        boolean last = done >= total;
        if (!last && now - lastDraw < (terminal ? 100_000_000L : 5_000_000_000L)) return;
        lastDraw = now;
        String line = line(done, now);
        if (terminal) {
            err.print("\r" + line);
            if (last) err.println();
        } else {
            err.println(line);
        }
        drawn = true;
        err.flush();
    }

    String line(int done, long now) {
        double secs = (now - start) / 1e9;
        int worked = done - Math.max(startDone, 0);
        double rate = secs > 0 ? worked / secs : 0;
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String eta = rate > 0 && done < total ? clock((total - done) / rate) : done >= total ? "done" : "--:--";
        return String.format(Locale.ROOT, "[%s] %d/%d %s  %.1f %s/s  %s %s", bar, done, total, unit, rate, unit, done >= total ? "in" : "ETA",
                done >= total ? clock(secs) : eta);
    }

    private static String clock(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }

    /** Ends an in-place line before other output (warnings) is printed. */
    public synchronized void interrupt() {
        if (terminal && drawn) {
            err.println();
            drawn = false;
        }
    }
}
