// Named ranges around layers and training phases for external profilers (NVTX rows in Nsight
// Systems): a backend-neutral push/pop that forwards to a hook a backend supplies; a no-op when off.
package org.uactn.core.backend;

import java.util.Locale;

/**
 * Off unless {@code -Duactn.profile=nvtx} or {@code UACTN_PROFILE=nvtx} is set (the older
 * {@code true} / {@code 1} mean the same), or a hook is {@link #install installed}. When on, the
 * first {@link BackendProvider} that implements {@link Source} and offers a hook receives every
 * range (the CUDA backend: NVTX through libnvToolsExt, else cuProfilerStart/Stop). While off,
 * {@link #push}/{@link #pop} cost one field read, and {@code Module.call} skips them entirely.
 *
 * <p>Ranges nest per thread: pop closes the innermost range opened by the same thread.
 */
public final class Profiler {
    /** What reports the ranges; push and pop nest per thread. */
    public interface Hook {
        void push(String name);

        void pop();

        /** How ranges are reported, for {@code uactn info} and selftest. */
        String describe();
    }

    /** Implemented by a {@link BackendProvider} that can report ranges. */
    public interface Source {
        /**
         * The hook for a mode ("nvtx"), or null when this provider cannot report ranges; then
         * {@code why} receives the reason.
         */
        Hook profilerHook(String mode, StringBuilder why);
    }

    /** An open range; closing it (try-with-resources) ends it. */
    public interface Range extends AutoCloseable {
        @Override void close();
    }

    private static final Range NOTHING = () -> {};
    private static volatile Hook hook;
    private static volatile String status = "off";

    static {
        String mode = System.getProperty("uactn.profile");
        if (mode == null) mode = System.getenv("UACTN_PROFILE");
        configure(mode);
    }

    private Profiler() {}

    private static void configure(String mode) {
        if (mode == null || mode.isBlank()) return;
        String m = mode.trim().toLowerCase(Locale.ROOT);
        switch (m) {
            case "off", "false", "0", "none" -> { }
            case "nvtx", "true", "1" -> {
                StringBuilder why = new StringBuilder();
                for (BackendProvider p : Backends.providers()) {
                    if (!(p instanceof Source s)) continue;
                    StringBuilder reason = new StringBuilder();
                    Hook h;
                    try {
                        h = s.profilerHook("nvtx", reason);
                    } catch (RuntimeException | LinkageError e) {
                        h = null;
                        reason.append(e);
                    }
                    if (h != null) {
                        install(h);
                        return;
                    }
                    why.append(why.isEmpty() ? "" : "; ").append(p.deviceType()).append(": ").append(reason);
                }
                status = "off (profiling ranges were requested, but no backend can report them"
                        + (why.isEmpty() ? ": no backend offers ranges" : ": " + why) + ")";
                System.err.println("uactn: " + status);
            }
            default -> {
                status = "off (unknown profiling mode '" + mode + "'; use nvtx)";
                System.err.println("uactn: " + status);
            }
        }
    }

    /** Routes ranges to h from now on (null turns them off). Install before work starts: open ranges close on the hook that opened them only through {@link #range}. */
    public static synchronized void install(Hook h) {
        hook = h;
        status = h == null ? "off" : h.describe();
    }

    /** Whether ranges are reported; callers may skip building range names when not. */
    public static boolean enabled() { return hook != null; }

    /** How ranges are reported: "off", "off (why)" or the hook's description. */
    public static String describe() { return status; }

    /** Opens a range on this thread. */
    public static void push(String name) {
        Hook h = hook;
        if (h != null) h.push(name);
    }

    /** Closes this thread's innermost range. */
    public static void pop() {
        Hook h = hook;
        if (h != null) h.pop();
    }

    /** A range for try-with-resources: {@code try (var r = Profiler.range("backward")) { ... }}. */
    public static Range range(String name) {
        Hook h = hook;
        if (h == null) return NOTHING;
        h.push(name);
        return h::pop;
    }
}
