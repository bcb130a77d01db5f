// Loads the native half of a JCuda binding (JCublas2, JCudnn) at most once per JVM, from a private
// folder so that no stale copy in the shared temp folder is picked up, and records a failure once.
package org.uactn.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JCuda's LibUtils loads "lib&lt;Binding&gt;-&lt;JCuda version&gt;-linux-x86_64.so" from java.library.path, else
 * from java.io.tmpdir, extracting the jar's copy there only when no file of that name exists (and
 * then reusing whatever is there, even from another JCuda build). Pointing java.io.tmpdir at a fresh
 * folder while the binding initialises makes it load exactly the copy in our class path; placing a
 * file there first lets JCudnn 11.7.0 (whose name LibUtils derives from the JCuda 12.6.0 core) find
 * its own native library under the name it asks for.
 */
final class JCudaNatives {
    private JCudaNatives() {}

    /** binding -> null when loaded, else the reason it failed (never retried: the class is dead). */
    private static final Map<String, String> OUTCOMES = new HashMap<>();
    /** Every binding whose native load was attempted in this JVM (tests assert none on a driverless machine). */
    private static final List<String> ATTEMPTED = new ArrayList<>();

    static synchronized List<String> attempted() { return List.copyOf(ATTEMPTED); }

    /**
     * Runs {@code initialize} (which must touch the binding's class and nothing else) with the native
     * library resolved from a private folder. {@code placeAs}, when not null, copies the class-path
     * resource {@code placeFrom} into that folder under the file name {@code placeAs} first.
     * Returns false with the reason appended to {@code why} when the library cannot be loaded.
     */
    static synchronized boolean load(String binding, String placeFrom, String placeAs, Runnable initialize, StringBuilder why) {
        if (OUTCOMES.containsKey(binding)) {
            String failure = OUTCOMES.get(binding);
            if (failure == null) return true;
            why.append(binding).append(" native library failed to load earlier in this JVM: ").append(failure);
            return false;
        }
        ATTEMPTED.add(binding);
        String failure = null;
        Path dir = null;
        String oldTmp = System.getProperty("java.io.tmpdir");
        try {
            dir = Files.createTempDirectory("uactn-jcuda-");
            if (placeAs != null) {
                try (InputStream in = JCudaNatives.class.getResourceAsStream(placeFrom)) {
                    if (in == null) throw new IOException("the class path has no " + placeFrom);
                    Files.copy(in, dir.resolve(placeAs));
                }
            }
            // A process-wide property, changed only for the instant of this load (under this class's lock).
            System.setProperty("java.io.tmpdir", dir.toString());
            try {
                initialize.run();
            } finally {
                System.setProperty("java.io.tmpdir", oldTmp);
            }
        } catch (IOException e) {
            failure = "cannot prepare its native library: " + e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            failure = concise(e);
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
        OUTCOMES.put(binding, failure);
        if (failure != null) why.append(binding).append(" native library did not load: ").append(failure);
        return failure == null;
    }

    /**
     * JCuda's UnsatisfiedLinkError carries both attempts' stack traces; the line that matters is the
     * dynamic linker's (missing dependency, missing symbol version). Causes are followed.
     */
    static String concise(Throwable t) {
        String best = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            String msg = c.getMessage();
            if (msg == null) continue;
            for (String line : msg.split("\n")) {
                String l = line.strip();
                if (l.contains("cannot open shared object file") || l.contains("version `") || l.contains("undefined symbol")
                        || l.contains("wrong ELF class")) {
                    best = l;
                }
            }
        }
        if (best != null) return best.replaceFirst("^(java\\.lang\\.)?UnsatisfiedLinkError: ", "");
        String first = t.getMessage() == null ? "" : t.getMessage().strip().split("\n")[0];
        return t.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
    }

    private static void deleteQuietly(Path dir) {
        // A loaded library stays mapped after its file is gone, so the folder can go right away.
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover empty temp folder is harmless
        }
    }
}
