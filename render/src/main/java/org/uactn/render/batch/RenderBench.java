// Throughput of multi-view rendering (meshes per second) for the GL and software renderers on procedural meshes.
package org.uactn.render.batch;

import org.uactn.render.RenderSettings;
import org.uactn.render.Renderer;
import org.uactn.render.Renderers;
import org.uactn.render.View;
import org.uactn.render.mesh.Mesh;
import org.uactn.render.mesh.Normalizer;
import org.uactn.render.mesh.ProceduralMeshes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each thread owns a renderer and renders the same mesh repeatedly (geometry preparation,
 * upload, drawing and read-back; no PNG encoding) for a fixed time after a warm-up.
 */
public final class RenderBench {
    public record Row(String renderer, String description, String mesh, int triangles, int threads, int meshes, double seconds) {
        public double meshesPerSecond() { return meshes / seconds; }
        public double msPerMesh() { return 1000 * seconds * threads / meshes; }
    }

    private RenderBench() {}

    /** The benchmark meshes: about 4k and 60k triangles (tori of 64x32 and 250x120 segments), normalised. */
    public static List<Mesh> meshes() {
        List<Mesh> m = new ArrayList<>();
        m.add(Normalizer.normalize(ProceduralMeshes.torus(64, 32), Normalizer.Center.BBOX, Normalizer.UpAxis.Y));
        m.add(Normalizer.normalize(ProceduralMeshes.torus(250, 120), Normalizer.Center.BBOX, Normalizer.UpAxis.Y));
        return m;
    }

    public static Row measure(Renderers.Kind kind, Mesh mesh, List<View> views, RenderSettings s, int threads, double seconds) {
        String[] desc = new String[2];
        AtomicLong count = new AtomicLong();
        long[] span = new long[2];
        CyclicBarrier start = new CyclicBarrier(threads, () -> span[0] = System.nanoTime());
        CyclicBarrier stop = new CyclicBarrier(threads, () -> span[1] = System.nanoTime());
        RuntimeException[] failure = new RuntimeException[1];
        Runnable body = () -> {
            try (Renderer r = Renderers.create(kind, null)) {
                synchronized (desc) { desc[0] = r.kind(); desc[1] = r.description(); }
                long warm = System.nanoTime() + (long) (0.3e9);
                while (System.nanoTime() < warm) r.render(mesh, views, s);
                start.await();
                long end = span[0] + (long) (seconds * 1e9);
                long n = 0;
                do { r.render(mesh, views, s); n++; } while (System.nanoTime() < end);
                count.addAndGet(n);
                stop.await();
            } catch (RuntimeException e) {
                synchronized (desc) { failure[0] = e; }
                start.reset();
                stop.reset();
            } catch (Exception e) {
                synchronized (desc) { if (failure[0] == null) failure[0] = new IllegalStateException(e); }
            }
        };
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) { Thread th = new Thread(body, "uactn-bench-" + t); ts.add(th); th.start(); }
        for (Thread th : ts) {
            try { th.join(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); throw new IllegalStateException(e); }
        }
        if (failure[0] != null) throw failure[0];
        return new Row(desc[0], desc[1], mesh.source(), mesh.triangleCount(), threads, (int) count.get(), (span[1] - span[0]) / 1e9);
    }
}
