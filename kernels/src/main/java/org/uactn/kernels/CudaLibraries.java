// Where CUDA libraries (libcuda, libcublas, libcudnn, libnvToolsExt) are looked for, and loading
// them through FFM with a check that every needed symbol exists before anything is called.
package org.uactn.kernels;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Search order: the folders in {@code UACTN_CUDA_LIBS} / {@code -Duactn.cuda.libs} (path-separated),
 * then the dynamic linker's own search (LD_LIBRARY_PATH, ldconfig), then {@code $CUDA_HOME/lib64},
 * {@code /usr/local/cuda/lib64} and the {@code site-packages/nvidia/<pkg>/lib} folders of Python
 * environments found on the machine (pip wheels of cuBLAS and cuDNN live there).
 */
public final class CudaLibraries {
    private CudaLibraries() {}

    /** A loaded library: where it came from and its symbols. */
    public record Loaded(String name, String origin, SymbolLookup lookup) {
        public MemorySegment symbol(String s) {
            return lookup.find(s).orElseThrow(() -> new IllegalStateException(name + " (" + origin + ") lacks symbol " + s));
        }
    }

    /** The configured folders, in search order (existing folders only). */
    public static List<Path> searchFolders() {
        Set<Path> out = new LinkedHashSet<>();
        String conf = System.getProperty("uactn.cuda.libs", System.getenv("UACTN_CUDA_LIBS"));
        if (conf != null) {
            for (String p : conf.split(java.io.File.pathSeparator)) if (!p.isBlank()) addDir(out, Path.of(p.trim()));
        }
        String cudaHome = System.getenv("CUDA_HOME");
        if (cudaHome != null) {
            addDir(out, Path.of(cudaHome, "lib64"));
            addDir(out, Path.of(cudaHome, "lib"));
        }
        addDir(out, Path.of("/usr/local/cuda/lib64"));
        for (Path sp : sitePackages()) {
            Path nv = sp.resolve("nvidia");
            if (!Files.isDirectory(nv)) continue;
            try (DirectoryStream<Path> pkgs = Files.newDirectoryStream(nv)) {
                List<Path> sorted = new ArrayList<>();
                for (Path p : pkgs) sorted.add(p);
                sorted.sort(null);
                for (Path p : sorted) {
                    addDir(out, p.resolve("lib"));
                    // cuda-toolkit 13 wheels nest per-architecture folders: nvidia/cu13/lib/x86_64-linux-gnu style.
                    addDir(out, p.resolve("lib64"));
                }
            } catch (IOException ignored) {
                // an unreadable environment is simply not searched
            }
        }
        return List.copyOf(out);
    }

    private static void addDir(Set<Path> out, Path p) {
        if (Files.isDirectory(p)) out.add(p.toAbsolutePath().normalize());
    }

    /** site-packages / dist-packages folders of Python installations and virtual environments in usual places. */
    static List<Path> sitePackages() {
        Set<Path> roots = new LinkedHashSet<>();
        for (String env : new String[] {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
            String v = System.getenv(env);
            if (v != null) roots.add(Path.of(v));
        }
        String home = System.getProperty("user.home");
        roots.add(Path.of("/usr"));
        roots.add(Path.of("/usr/local"));
        roots.add(Path.of("/opt/conda"));
        if (home != null) {
            roots.add(Path.of(home, ".local"));
            children(roots, Path.of(home));
        }
        children(roots, Path.of("/opt"));
        children(roots, Path.of("/workspace"));
        children(roots, Path.of("/work"));
        roots.add(Path.of("/venv"));
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            Path lib = root.resolve("lib");
            if (!Files.isDirectory(lib)) continue;
            try (DirectoryStream<Path> pys = Files.newDirectoryStream(lib, "python3*")) {
                for (Path py : pys) {
                    for (String sp : new String[] {"site-packages", "dist-packages"}) {
                        Path p = py.resolve(sp);
                        if (Files.isDirectory(p)) out.add(p);
                    }
                }
            } catch (IOException ignored) {
                // not a Python root
            }
        }
        return out;
    }

    /** Adds the immediate subfolders of dir (and their .venv / venv folders) as candidate environment roots. */
    private static void children(Set<Path> roots, Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!Files.isDirectory(p)) continue;
                roots.add(p);
                roots.add(p.resolve(".venv"));
                roots.add(p.resolve("venv"));
            }
        } catch (IOException ignored) {
            // unreadable: skip
        }
    }

    /**
     * Loads the first of the given file names that can be opened and that has every required
     * symbol. Returns empty and appends the reasons to {@code why} when none can be.
     */
    public static Optional<Loaded> load(List<String> names, List<String> requiredSymbols, StringBuilder why) {
        List<Path> folders = searchFolders();
        boolean configured = System.getProperty("uactn.cuda.libs", System.getenv("UACTN_CUDA_LIBS")) != null;
        for (String name : names) {
            List<String> candidates = new ArrayList<>();
            // Configured folders win over the system linker; the system linker over the fallbacks.
            if (configured) for (Path f : folders) if (Files.exists(f.resolve(name))) candidates.add(f.resolve(name).toString());
            candidates.add(name);
            for (Path f : folders) if (Files.exists(f.resolve(name))) candidates.add(f.resolve(name).toString());
            for (String c : new LinkedHashSet<>(candidates)) {
                SymbolLookup lookup;
                try {
                    lookup = c.startsWith("/") ? SymbolLookup.libraryLookup(Path.of(c), Arena.global())
                            : SymbolLookup.libraryLookup(c, Arena.global());
                } catch (IllegalArgumentException | IllegalCallerException e) {
                    if (!c.startsWith("/")) continue; // not on the linker path: the folders are tried next
                    why.append(c).append(": ").append(e.getMessage()).append("; ");
                    continue;
                }
                List<String> missing = new ArrayList<>();
                for (String s : requiredSymbols) if (lookup.find(s).isEmpty()) missing.add(s);
                if (!missing.isEmpty()) {
                    why.append(c).append(" lacks ").append(String.join(", ", missing)).append("; ");
                    continue;
                }
                return Optional.of(new Loaded(name, c.startsWith("/") ? c : "system linker path", lookup));
            }
        }
        if (why.isEmpty()) {
            why.append(String.join(" / ", names)).append(" not found on the linker path nor in ").append(folders.isEmpty() ? "(no search folders exist)" : folders);
        }
        return Optional.empty();
    }

    /**
     * Loads each named file found in {@code dir} (failures ignored: the library that needs it reports
     * the missing dependency itself). A library loaded by path satisfies later dependencies on its
     * soname, which is how libraries outside the linker path (pip wheels) find each other.
     */
    public static void preload(Path dir, String... names) {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (!Files.exists(p)) continue;
            try {
                SymbolLookup.libraryLookup(p, Arena.global());
            } catch (IllegalArgumentException | IllegalCallerException ignored) {
                // reported by whoever needs it
            }
        }
    }

    /** {@link #preload} of each name from the first search folder that has it. */
    public static void preloadFromFolders(String... names) {
        List<Path> folders = searchFolders();
        for (String n : names) {
            for (Path f : folders) {
                if (Files.exists(f.resolve(n))) {
                    preload(f, n);
                    break;
                }
            }
        }
    }

    /** The folder a library was loaded from, when it was loaded by path. */
    public static Optional<Path> folderOf(Loaded l) {
        return l.origin().startsWith("/") ? Optional.of(Path.of(l.origin()).getParent()) : Optional.empty();
    }
}
