// Chooses a renderer: OpenGL when a context can be made, else the software rasteriser with one warning.
package org.uactn.render;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

public final class Renderers {
    public enum Kind {
        AUTO, GL, SOFTWARE;

        public static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("renderer must be auto, gl or software, got '" + s + "'");
            }
        }
    }

    private static volatile String glFailure;
    private static final AtomicBoolean warned = new AtomicBoolean();

    private Renderers() {}

    /**
     * A renderer for the calling thread. GL that cannot start throws IllegalStateException with the
     * reason; AUTO then falls back to software and reports the reason through warn once per process.
     */
    public static Renderer create(Kind kind, Consumer<String> warn) {
        return switch (kind) {
            case SOFTWARE -> new SoftwareRenderer();
            case GL -> gl();
            case AUTO -> {
                if (glFailure == null) {
                    try {
                        yield gl();
                    } catch (IllegalStateException | LinkageError e) {
                        // fall through to the software renderer
                    }
                }
                if (warned.compareAndSet(false, true) && warn != null)
                    warn.accept("OpenGL unavailable, using the (slower) software renderer: " + glFailure);
                yield new SoftwareRenderer();
            }
        };
    }

    private static Renderer gl() {
        String f = glFailure;
        if (f != null) throw new IllegalStateException(f);
        try {
            return new GlRenderer();
        } catch (IllegalStateException | LinkageError e) {
            glFailure = e.getMessage() == null ? e.toString() : e.getMessage();
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException(glFailure, e);
        }
    }

    /** Why GL could not start in this process, or null when it has not failed (so far). */
    public static String glFailure() { return glFailure; }
}
