// Chooses the library behind GEMM or convolution at backend start: the options are tried in order of
// preference, the first that starts wins, and the reason every earlier option was skipped is kept.
package org.uactn.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * Separate from the probing itself, so the choice (order, short-circuit, the recorded reasons, the
 * fallback) is testable without a GPU: an {@link Option} is only a label and an attempt.
 */
final class LibraryChoice {
    private LibraryChoice() {}

    /** Starts one library, or returns null after appending why it cannot to {@code why}. */
    @FunctionalInterface
    interface Attempt<T> {
        T start(StringBuilder why);
    }

    /** One candidate: a label for reports ("JCublas2", "FFM cuBLAS 13/12") and how to start it. */
    record Option<T>(String label, Attempt<T> attempt) {}

    /** What was chosen: the library (null: the fallback) with its label, and why earlier options were skipped. */
    record Choice<T>(T library, String label, List<String> skipped) {
        boolean usesFallback() { return library == null; }

        /** "label" or "label (skipped: A: why; B: why)". */
        String summary() {
            return skipped.isEmpty() ? label : label + " (skipped: " + String.join("; ", skipped) + ")";
        }
    }

    /**
     * Tries the options in order and stops at the first that starts; later options are never tried.
     * An attempt that throws counts as failed with the exception as its reason (the backend must still
     * come up on its own kernels), and an attempt that fails without a reason is reported as such.
     */
    static <T> Choice<T> choose(List<Option<T>> options, String fallbackLabel) {
        List<String> skipped = new ArrayList<>();
        for (Option<T> o : options) {
            StringBuilder why = new StringBuilder();
            T lib;
            try {
                lib = o.attempt().start(why);
            } catch (RuntimeException | LinkageError e) {
                lib = null;
                if (!why.isEmpty()) why.append("; ");
                why.append(e);
            }
            if (lib != null) return new Choice<>(lib, o.label(), List.copyOf(skipped));
            skipped.add(o.label() + ": " + (why.isEmpty() ? "failed without a reason" : trimSeparators(why)));
        }
        return new Choice<>(null, fallbackLabel, List.copyOf(skipped));
    }

    private static String trimSeparators(StringBuilder why) {
        String s = why.toString().strip();
        while (s.endsWith(";")) s = s.substring(0, s.length() - 1).strip();
        return s;
    }
}
