// The OpenGL renderer: an EGL context per instance (per thread), all views of a mesh drawn into one framebuffer atlas.
package org.uactn.render;

import org.lwjgl.egl.EGL10;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.MemoryUtil;
import org.uactn.render.mesh.Mesh;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;

import static org.lwjgl.opengl.GL33C.*;

/**
 * OpenGL 3.3 core. All views of a mesh are tiles of one framebuffer atlas: the mesh is uploaded once,
 * each view is one draw with its own viewport, and the atlas is read back once (every read-back is a
 * full pipeline flush on llvmpipe). Shaded and depth modes with 4 samples are antialiased by 4x
 * multisampling on GPUs and by 2x2 supersampling on CPU rasterisers, where multisampling is several
 * times slower (see Antialiasing). Closed, consistently oriented meshes are drawn with back faces
 * culled, which changes no pixel (Geometry.cullableSide). Lines mode first draws the surface's depth
 * into a texture, then expands each contour or crease edge into a screen-space quad in a geometry
 * shader; the fragment shader computes the antialiased coverage and hides the line where the surface
 * near the line's centre is nearer (see SoftwareRenderer.drawLines for the same rule in Java). Not
 * thread-safe: the context is current on the creating thread, and calls from other threads are refused.
 */
public final class GlRenderer implements Renderer {
    // Shaded: flat shading is constant over a triangle, so the vertex shader lights the face from both
    // sides and the fragment shader only picks by facing (the fragment work is what costs on CPU rasterisers).
    private static final String SHADED_VS = """
            #version 330 core
            %s
            layout(location = 0) in vec3 pos;
            layout(location = 1) in vec3 nrm;
            uniform mat4 view;
            uniform mat4 proj;
            flat out vec2 shades; // x: the winding normal faces the eye, y: it faces away
            float shade(vec3 n) {
                float d = max(dot(n, L), 0.0);
                float s = max(dot(n, H), 0.0);
                return min(AMBIENT + DIFFUSE * d + SPECULAR * pow(s, SHININESS), 1.0);
            }
            void main() {
                gl_Position = proj * (view * vec4(pos, 1.0));
                vec3 n = mat3(view) * nrm;
                shades = vec2(shade(n), shade(-n));
            }
            """;
    private static final String SHADED_FS = """
            #version 330 core
            flat in vec2 shades;
            out vec4 color;
            void main() {
                color = vec4(gl_FrontFacing ? shades.x : shades.y, 0.0, 0.0, 1.0);
            }
            """;
    private static final String DEPTH_VS = """
            #version 330 core
            layout(location = 0) in vec3 pos;
            uniform mat4 view;
            uniform mat4 proj;
            out float vD;
            void main() {
                vec4 p = view * vec4(pos, 1.0);
                gl_Position = proj * p;
                vD = -p.z;
            }
            """;
    private static final String DEPTH_FS = """
            #version 330 core
            %s
            in float vD;
            out vec4 color;
            void main() {
                color = vec4(clamp((vD - DEPTH_NEAR) / (DEPTH_FAR - DEPTH_NEAR), 0.0, 1.0) * DEPTH_SCALE, 0.0, 0.0, 1.0);
            }
            """;
    // Lines mode's first pass writes the surface's depth only (no colour attachment).
    private static final String POSITION_VS = """
            #version 330 core
            layout(location = 0) in vec3 pos;
            uniform mat4 view;
            uniform mat4 proj;
            void main() {
                gl_Position = proj * (view * vec4(pos, 1.0));
            }
            """;
    private static final String EMPTY_FS = """
            #version 330 core
            void main() {}
            """;
    private static final String LINE_VS = """
            #version 330 core
            layout(location = 0) in vec4 pk; // xyz and the edge kind
            uniform mat4 view;
            out vec3 vV;
            out float vKind;
            void main() {
                vV = (view * vec4(pk.xyz, 1.0)).xyz;
                vKind = pk.w;
                gl_Position = vec4(0.0);
            }
            """;
    private static final String LINE_GS = """
            #version 330 core
            layout(lines_adjacency) in;
            layout(triangle_strip, max_vertices = 4) out;
            in vec3 vV[];
            in float vKind[];
            uniform mat4 proj;
            uniform vec4 viewport; // x, y, width, height of this view's tile in window pixels
            uniform float halfWidth;
            uniform int ortho;
            flat out vec2 s0;
            flat out vec2 s1;
            flat out float z0;
            flat out float z1;
            vec2 screen(vec3 p) {
                vec4 c = proj * vec4(p, 1.0);
                return viewport.xy + (c.xy / c.w * 0.5 + 0.5) * viewport.zw;
            }
            void corner(vec2 s) {
                s0 = screen(vV[0]); s1 = screen(vV[1]); z0 = -vV[0].z; z1 = -vV[1].z;
                gl_Position = vec4((s - viewport.xy) / viewport.zw * 2.0 - 1.0, 0.0, 1.0);
                EmitVertex();
            }
            void main() {
                vec3 p0 = vV[0], p1 = vV[1];
                if (vKind[0] < 0.5) {
                    // Contour test: both faces on the same side of the plane through the eye and the edge.
                    vec3 e = p1 - p0;
                    vec3 d = ortho == 1 ? vec3(0.0, 0.0, 1.0) : p0;
                    vec3 n = cross(d, e);
                    float sa = dot(n, vV[2] - p0), sb = dot(n, vV[3] - p0);
                    if (sa * sb <= 0.0) return;
                }
                vec2 a = screen(p0), b = screen(p1);
                vec2 dir = b - a;
                float len = length(dir);
                vec2 u = len > 1e-6 ? dir / len : vec2(1.0, 0.0);
                vec2 v = vec2(-u.y, u.x);
                float r = halfWidth + 1.0;
                corner(a - u * r - v * r);
                corner(a - u * r + v * r);
                corner(b + u * r - v * r);
                corner(b + u * r + v * r);
                EndPrimitive();
            }
            """;
    private static final String LINE_FS = """
            #version 330 core
            %s
            uniform sampler2D sceneDepth;
            uniform float halfWidth;
            uniform int ortho;
            uniform float near;
            uniform float far;
            flat in vec2 s0;
            flat in vec2 s1;
            flat in float z0;
            flat in float z1;
            out vec4 color;
            float distanceAt(ivec2 p) {
                float w = texelFetch(sceneDepth, p, 0).r;
                if (w >= 1.0) return 1e30;
                if (ortho == 1) return near + w * (far - near);
                float zn = w * 2.0 - 1.0;
                return 2.0 * near * far / (far + near - zn * (far - near));
            }
            void main() {
                vec2 p = gl_FragCoord.xy;
                vec2 e = s1 - s0;
                float l2 = dot(e, e);
                float t = l2 > 0.0 ? clamp(dot(p - s0, e) / l2, 0.0, 1.0) : 0.0;
                vec2 c = s0 + t * e;
                float cov = clamp(halfWidth + 0.5 - length(p - c), 0.0, 1.0);
                if (cov <= 0.0) discard;
                float lz = ortho == 1 ? z0 + t * (z1 - z0) : 1.0 / (1.0 / z0 + t * (1.0 / z1 - 1.0 / z0));
                ivec2 ic = ivec2(floor(c));
                ivec2 hi = textureSize(sceneDepth, 0) - 1;
                float scene = 0.0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                        scene = max(scene, distanceAt(clamp(ic + ivec2(dx, dy), ivec2(0), hi)));
                if (lz > scene + LINE_DEPTH_BIAS) discard;
                color = vec4(0.0, 0.0, 0.0, cov);
            }
            """;

    /** How 4-sample antialiasing (RenderSettings.samples() == 4) is done. */
    public enum Antialiasing {
        /** SUPERSAMPLE on CPU rasterisers (Mesa llvmpipe, softpipe, swrast), MULTISAMPLE otherwise. */
        AUTO,
        /** A 4x multisampled framebuffer, resolved by a blit. */
        MULTISAMPLE,
        /**
         * 2x2 supersampling: a single-sampled framebuffer of twice the size, read back and box-filtered
         * down (the same 4 samples per pixel; the software renderer's pattern).
         * llvmpipe rasterises multisampled triangles several times slower than single-sampled ones of
         * four times the pixels (docs/rendering.md, Speed).
         */
        SUPERSAMPLE;

        /** The system property uactn.gl.antialiasing (auto, multisample, supersample), AUTO when unset. */
        static Antialiasing fromProperty() {
            String v = System.getProperty("uactn.gl.antialiasing");
            if (v == null || v.isBlank()) return AUTO;
            try {
                return valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("uactn.gl.antialiasing must be auto, multisample or supersample, got '" + v + "'");
            }
        }
    }

    private final Thread owner;
    private final Egl.Display display;
    private final long context;
    private final GLCapabilities caps;
    private final String description;
    private final Antialiasing antialiasing;
    private final int maxSamples, maxDim;
    private final int shadedProgram, depthProgram, positionProgram, lineProgram;
    private final int shadedView, shadedProj, depthView, depthProj, positionView, positionProj;
    private final int lineView, lineProj, lineViewport, lineHalfWidth, lineOrtho, lineNear, lineFar, lineDepthTex;
    private final int triVao, triVbo, edgeVao, edgeVbo;
    // Surface targets (shaded, depth), remade when the atlas changes: drawFbo is drawn into (multisampled,
    // supersized or neither); resolveFbo receives the multisample resolve (0 when drawFbo is read directly).
    private int surfW, surfH, surfScale, surfSamples;
    private int drawFbo, drawColor, drawDepth, resolveFbo, resolveColor;
    // Lines targets: the surface depth as a texture and the line image.
    private int linesW, linesH;
    private int depthFbo, depthTex, lineFbo, lineColor;
    private ByteBuffer pixels;
    private boolean closed;
    /** Off only to show (tests, measurements) that culling closed meshes changes no pixel. */
    boolean cullClosedMeshes = true;

    /** Opens a context on the calling thread; throws IllegalStateException when OpenGL is not available. */
    public GlRenderer() {
        this(Antialiasing.fromProperty());
    }

    /** Opens a context on the calling thread with the given antialiasing method for 4-sample rendering. */
    public GlRenderer(Antialiasing antialiasing) {
        if (antialiasing == null) throw new IllegalArgumentException("GlRenderer: antialiasing is required");
        display = Egl.display();
        owner = Thread.currentThread();
        context = Egl.createCurrentContext(display);
        try {
            caps = GL.createCapabilities();
            if (!caps.OpenGL33) throw new IllegalStateException("OpenGL 3.3 is required, the context offers " + glGetString(GL_VERSION));
            String rendererName = glGetString(GL_RENDERER);
            this.antialiasing = antialiasing != Antialiasing.AUTO ? antialiasing
                    : isCpuRasteriser(rendererName) ? Antialiasing.SUPERSAMPLE : Antialiasing.MULTISAMPLE;
            description = rendererName + ", OpenGL " + glGetString(GL_VERSION) + ", " + display.platform()
                    + ", antialiasing " + this.antialiasing.name().toLowerCase(java.util.Locale.ROOT);
            maxSamples = glGetInteger(GL_MAX_SAMPLES);
            int[] vp = new int[2];
            glGetIntegerv(GL_MAX_VIEWPORT_DIMS, vp);
            maxDim = Math.min(8192, Math.min(Math.min(glGetInteger(GL_MAX_RENDERBUFFER_SIZE), glGetInteger(GL_MAX_TEXTURE_SIZE)), Math.min(vp[0], vp[1])));
            String consts = Shading.glslConstants();
            shadedProgram = program(SHADED_VS.formatted(consts), null, SHADED_FS);
            depthProgram = program(DEPTH_VS, null, DEPTH_FS.formatted(consts));
            positionProgram = program(POSITION_VS, null, EMPTY_FS);
            lineProgram = program(LINE_VS, LINE_GS, LINE_FS.formatted(consts));
            shadedView = glGetUniformLocation(shadedProgram, "view");
            shadedProj = glGetUniformLocation(shadedProgram, "proj");
            depthView = glGetUniformLocation(depthProgram, "view");
            depthProj = glGetUniformLocation(depthProgram, "proj");
            positionView = glGetUniformLocation(positionProgram, "view");
            positionProj = glGetUniformLocation(positionProgram, "proj");
            lineView = glGetUniformLocation(lineProgram, "view");
            lineProj = glGetUniformLocation(lineProgram, "proj");
            lineViewport = glGetUniformLocation(lineProgram, "viewport");
            lineHalfWidth = glGetUniformLocation(lineProgram, "halfWidth");
            lineOrtho = glGetUniformLocation(lineProgram, "ortho");
            lineNear = glGetUniformLocation(lineProgram, "near");
            lineFar = glGetUniformLocation(lineProgram, "far");
            lineDepthTex = glGetUniformLocation(lineProgram, "sceneDepth");
            triVao = glGenVertexArrays();
            triVbo = glGenBuffers();
            glBindVertexArray(triVao);
            glBindBuffer(GL_ARRAY_BUFFER, triVbo);
            glEnableVertexAttribArray(0);
            glVertexAttribPointer(0, 3, GL_FLOAT, false, 24, 0);
            glEnableVertexAttribArray(1);
            glVertexAttribPointer(1, 3, GL_FLOAT, false, 24, 12);
            edgeVao = glGenVertexArrays();
            edgeVbo = glGenBuffers();
            glBindVertexArray(edgeVao);
            glBindBuffer(GL_ARRAY_BUFFER, edgeVbo);
            glEnableVertexAttribArray(0);
            glVertexAttribPointer(0, 4, GL_FLOAT, false, 16, 0);
            glBindVertexArray(0);
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            glDepthFunc(GL_LESS);
            checkError("setup");
        } catch (RuntimeException | Error e) {
            GL.setCapabilities(null);
            Egl.destroyContext(display, context);
            throw e;
        }
    }

    /** Mesa's CPU rasterisers name themselves in GL_RENDERER ("llvmpipe (LLVM 15.0.6, 256 bits)", "softpipe", "Mesa X11 ... swrast"). */
    static boolean isCpuRasteriser(String glRenderer) {
        String r = glRenderer == null ? "" : glRenderer.toLowerCase(java.util.Locale.ROOT);
        return r.contains("llvmpipe") || r.contains("softpipe") || r.contains("swrast") || r.contains("software rasterizer");
    }

    @Override public String kind() { return "gl"; }
    @Override public String description() { return description; }

    /** The antialiasing method 4-sample rendering uses (AUTO resolved against the driver). */
    public Antialiasing antialiasing() { return antialiasing; }

    @Override
    public byte[][] render(Mesh mesh, List<View> views, RenderSettings s) {
        makeCurrent();
        int n = views.size(), size = s.size();
        if (size > maxDim) throw new IllegalArgumentException("image size " + size + " exceeds the GL limit " + maxDim);
        Geometry g = new Geometry(mesh);
        boolean lines = s.mode() == RenderMode.LINES;
        int cull = cullClosedMeshes ? Geometry.cullableSide(mesh) : 0;
        if (cull == 0) {
            glDisable(GL_CULL_FACE);
        } else {
            glEnable(GL_CULL_FACE);
            glCullFace(cull > 0 ? GL_BACK : GL_FRONT);
        }
        uploadTriangles(g);
        int edgeCount = 0;
        if (lines) {
            float[] edges = Geometry.edges(mesh, s.creaseAngleDeg());
            edgeCount = edges.length / Geometry.EDGE_FLOATS;
            upload(edgeVbo, edges);
        }
        // The views are tiles of one atlas (up to the size limit), drawn with one viewport each, then
        // resolved and read back once: every read-back is a full pipeline flush on llvmpipe.
        boolean aa = !lines && s.samples() > 1;
        // Supersampling needs a tile of twice the size; beyond the GL limit it falls back to multisampling.
        int scale = aa && antialiasing == Antialiasing.SUPERSAMPLE && 2 * size <= maxDim ? 2 : 1;
        int msaa = aa && scale == 1 ? Math.min(s.samples(), maxSamples) : 0;
        int tile = size * scale;
        int fit = maxDim / tile;
        int cols = Math.min(fit, (int) Math.ceil(Math.sqrt(n)));
        int rows = Math.min(fit, (n + cols - 1) / cols);
        int perPass = cols * rows;
        int w = cols * size, h = rows * size; // the atlas in image pixels
        if (lines) ensureLineTargets(w, h);
        else ensureSurfaceTargets(w, h, scale, msaa);
        int rw = w * scale, rh = h * scale; // what is read back: the supersampled atlas is filtered down here
        ensurePixels(rw * rh);
        float[] proj = Camera.projectionMatrix(s.projection());
        byte[][] out = new byte[n][];
        for (int start = 0; start < n; start += perPass) {
            int count = Math.min(perPass, n - start);
            int readFbo = lines ? drawLines(views, start, count, cols, size, proj, s, edgeCount, g.triangles)
                    : drawSurfaces(views, start, count, cols, size, proj, s.mode(), g.triangles);
            glBindFramebuffer(GL_READ_FRAMEBUFFER, readFbo);
            glReadPixels(0, 0, rw, rh, GL_RED, GL_UNSIGNED_BYTE, pixels);
            checkError("render");
            for (int i = 0; i < count; i++) {
                int x0 = (i % cols) * tile, y0 = (i / cols) * tile;
                out[start + i] = scale == 2 ? boxFilter2(pixels, rw, x0, y0, size) : copyTile(pixels, rw, x0, y0, size);
            }
        }
        return out;
    }

    /** One tile of the read-back atlas (rows bottom-up) as an image (rows top-down). */
    private static byte[] copyTile(ByteBuffer atlas, int atlasW, int x0, int y0, int size) {
        byte[] img = new byte[size * size];
        for (int r = 0; r < size; r++) atlas.get((y0 + size - 1 - r) * atlasW + x0, img, r * size, size);
        return img;
    }

    /**
     * One 2size x 2size tile of the supersampled atlas averaged over 2x2 blocks (rounded), flipped to
     * top-down rows. Done here rather than by a linear blit: on llvmpipe the blit costs more than this loop.
     */
    private static byte[] boxFilter2(ByteBuffer atlas, int atlasW, int x0, int y0, int size) {
        int tile = 2 * size;
        byte[] rows = new byte[2 * tile];
        byte[] img = new byte[size * size];
        for (int r = 0; r < size; r++) {
            // Output row r (from the top) averages atlas rows y0 + tile - 2 - 2r and the one above it.
            atlas.get((y0 + tile - 2 - 2 * r) * atlasW + x0, rows, 0, tile);
            atlas.get((y0 + tile - 1 - 2 * r) * atlasW + x0, rows, tile, tile);
            int o = r * size;
            for (int x = 0; x < size; x++) {
                int a = 2 * x, b = tile + 2 * x;
                img[o + x] = (byte) (((rows[a] & 255) + (rows[a + 1] & 255) + (rows[b] & 255) + (rows[b + 1] & 255) + 2) >> 2);
            }
        }
        return img;
    }

    private int drawSurfaces(List<View> views, int start, int count, int cols, int size, float[] proj, RenderMode mode, int triangles) {
        int tile = size * surfScale;
        glBindFramebuffer(GL_FRAMEBUFFER, drawFbo);
        glViewport(0, 0, surfW * surfScale, surfH * surfScale);
        glClearColor(1, 1, 1, 1);
        glClearDepth(1);
        glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
        glEnable(GL_DEPTH_TEST);
        boolean shaded = mode == RenderMode.SHADED;
        glUseProgram(shaded ? shadedProgram : depthProgram);
        glUniformMatrix4fv(shaded ? shadedProj : depthProj, false, proj);
        int viewLoc = shaded ? shadedView : depthView;
        glBindVertexArray(triVao);
        for (int i = 0; i < count; i++) {
            glViewport((i % cols) * tile, (i / cols) * tile, tile, tile);
            glUniformMatrix4fv(viewLoc, false, Camera.viewMatrix(views.get(start + i)));
            glDrawArrays(GL_TRIANGLES, 0, 3 * triangles);
        }
        if (resolveFbo == 0) return drawFbo;
        glBindFramebuffer(GL_READ_FRAMEBUFFER, drawFbo);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, resolveFbo);
        glBlitFramebuffer(0, 0, surfW, surfH, 0, 0, surfW, surfH, GL_COLOR_BUFFER_BIT, GL_NEAREST);
        return resolveFbo;
    }

    private int drawLines(List<View> views, int start, int count, int cols, int size, float[] proj, RenderSettings s, int edges, int triangles) {
        // Pass 1: the surface's depth, single-sampled, into a texture.
        glBindFramebuffer(GL_FRAMEBUFFER, depthFbo);
        glViewport(0, 0, linesW, linesH);
        glClearDepth(1);
        glClear(GL_DEPTH_BUFFER_BIT);
        glEnable(GL_DEPTH_TEST);
        glUseProgram(positionProgram);
        glUniformMatrix4fv(positionProj, false, proj);
        glBindVertexArray(triVao);
        for (int i = 0; i < count; i++) {
            glViewport((i % cols) * size, (i / cols) * size, size, size);
            glUniformMatrix4fv(positionView, false, Camera.viewMatrix(views.get(start + i)));
            glDrawArrays(GL_TRIANGLES, 0, 3 * triangles);
        }
        // Pass 2: the lines, black on white, multiplied in by their coverage.
        glBindFramebuffer(GL_FRAMEBUFFER, lineFbo);
        glViewport(0, 0, linesW, linesH);
        glClearColor(1, 1, 1, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        glDisable(GL_DEPTH_TEST);
        glDisable(GL_CULL_FACE);
        glEnable(GL_BLEND);
        glBlendFunc(GL_ZERO, GL_ONE_MINUS_SRC_ALPHA);
        glEnable(GL_SCISSOR_TEST);
        glUseProgram(lineProgram);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, depthTex);
        glUniform1i(lineDepthTex, 0);
        glUniformMatrix4fv(lineProj, false, proj);
        glUniform1f(lineHalfWidth, (float) (s.lineWidth() / 2));
        glUniform1i(lineOrtho, s.projection() == Projection.ORTHOGRAPHIC ? 1 : 0);
        glUniform1f(lineNear, (float) Camera.NEAR);
        glUniform1f(lineFar, (float) Camera.FAR);
        glBindVertexArray(edgeVao);
        for (int i = 0; i < count; i++) {
            int x = (i % cols) * size, y = (i / cols) * size;
            glViewport(x, y, size, size);
            glScissor(x, y, size, size);
            glUniform4f(lineViewport, x, y, size, size);
            glUniformMatrix4fv(lineView, false, Camera.viewMatrix(views.get(start + i)));
            glDrawArrays(GL_LINES_ADJACENCY, 0, 4 * edges);
        }
        glDisable(GL_SCISSOR_TEST);
        glDisable(GL_BLEND);
        glBindTexture(GL_TEXTURE_2D, 0);
        return lineFbo;
    }

    /** Writes position and face normal per corner straight into the mapped vertex buffer. */
    private void uploadTriangles(Geometry g) {
        long bytes = 72L * g.triangles;
        glBindBuffer(GL_ARRAY_BUFFER, triVbo);
        glBufferData(GL_ARRAY_BUFFER, Math.max(bytes, 4), GL_STREAM_DRAW);
        if (bytes == 0) return;
        ByteBuffer mapped = glMapBufferRange(GL_ARRAY_BUFFER, 0, bytes, GL_MAP_WRITE_BIT | GL_MAP_INVALIDATE_BUFFER_BIT);
        if (mapped == null) throw new IllegalStateException("glMapBufferRange failed for " + bytes + " bytes");
        FloatBuffer fb = mapped.order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        float[] c = g.corners, nrm = g.normals;
        float[] vertex = new float[18];
        for (int f = 0; f < g.triangles; f++) {
            for (int k = 0; k < 3; k++) {
                System.arraycopy(c, 9 * f + 3 * k, vertex, 6 * k, 3);
                System.arraycopy(nrm, 3 * f, vertex, 6 * k + 3, 3);
            }
            fb.put(vertex);
        }
        if (!glUnmapBuffer(GL_ARRAY_BUFFER)) throw new IllegalStateException("vertex buffer contents were lost while mapped");
    }

    private static void upload(int vbo, float[] data) {
        FloatBuffer fb = MemoryUtil.memAllocFloat(Math.max(1, data.length));
        try {
            fb.put(data).flip();
            glBindBuffer(GL_ARRAY_BUFFER, vbo);
            glBufferData(GL_ARRAY_BUFFER, fb, GL_STREAM_DRAW);
        } finally {
            MemoryUtil.memFree(fb);
        }
    }

    private void ensureSurfaceTargets(int w, int h, int scale, int msaa) {
        if (w == surfW && h == surfH && scale == surfScale && msaa == surfSamples) return;
        deleteSurfaceTargets();
        drawColor = renderbuffer(GL_R8, msaa, w * scale, h * scale);
        drawDepth = renderbuffer(GL_DEPTH_COMPONENT24, msaa, w * scale, h * scale);
        drawFbo = framebuffer(drawColor, drawDepth, 0);
        if (msaa > 0) { // the multisample resolve target
            resolveColor = renderbuffer(GL_R8, 0, w, h);
            resolveFbo = framebuffer(resolveColor, 0, 0);
        }
        checkError("framebuffer setup " + w * scale + "x" + h * scale);
        surfW = w;
        surfH = h;
        surfScale = scale;
        surfSamples = msaa;
    }

    private void ensureLineTargets(int w, int h) {
        if (w == linesW && h == linesH) return;
        deleteLineTargets();
        depthTex = glGenTextures();
        glBindTexture(GL_TEXTURE_2D, depthTex);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_DEPTH_COMPONENT24, w, h, 0, GL_DEPTH_COMPONENT, GL_UNSIGNED_INT, (ByteBuffer) null);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_COMPARE_MODE, GL_NONE);
        glBindTexture(GL_TEXTURE_2D, 0);
        depthFbo = framebuffer(0, 0, depthTex);
        lineColor = renderbuffer(GL_R8, 0, w, h);
        lineFbo = framebuffer(lineColor, 0, 0);
        checkError("framebuffer setup " + w + "x" + h);
        linesW = w;
        linesH = h;
    }

    private void ensurePixels(int bytes) {
        if (pixels != null && pixels.capacity() >= bytes) {
            pixels.clear();
            return;
        }
        if (pixels != null) MemoryUtil.memFree(pixels);
        pixels = MemoryUtil.memAlloc(bytes);
    }

    private static int renderbuffer(int format, int samples, int w, int h) {
        int rb = glGenRenderbuffers();
        glBindRenderbuffer(GL_RENDERBUFFER, rb);
        glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, format, w, h);
        return rb;
    }

    private static int framebuffer(int colorRb, int depthRb, int depthTexture) {
        int fbo = glGenFramebuffers();
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        if (colorRb != 0) {
            glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colorRb);
        } else {
            glDrawBuffer(GL_NONE);
            glReadBuffer(GL_NONE);
        }
        if (depthRb != 0) glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depthRb);
        if (depthTexture != 0) glFramebufferTexture2D(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_TEXTURE_2D, depthTexture, 0);
        int status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        if (status != GL_FRAMEBUFFER_COMPLETE) throw new IllegalStateException("framebuffer incomplete: 0x" + Integer.toHexString(status));
        return fbo;
    }

    private void deleteSurfaceTargets() {
        if (surfW == 0) return;
        glDeleteFramebuffers(new int[]{drawFbo, resolveFbo});
        glDeleteRenderbuffers(new int[]{drawColor, drawDepth, resolveColor});
        drawFbo = resolveFbo = drawColor = drawDepth = resolveColor = 0;
        surfW = surfH = surfScale = surfSamples = 0;
    }

    private void deleteLineTargets() {
        if (linesW == 0) return;
        glDeleteFramebuffers(new int[]{depthFbo, lineFbo});
        glDeleteRenderbuffers(lineColor);
        glDeleteTextures(depthTex);
        depthFbo = lineFbo = lineColor = depthTex = 0;
        linesW = linesH = 0;
    }

    private static int program(String vs, String gs, String fs) {
        int p = glCreateProgram();
        int v = shader(GL_VERTEX_SHADER, vs), f = shader(GL_FRAGMENT_SHADER, fs), g = gs == null ? 0 : shader(GL_GEOMETRY_SHADER, gs);
        glAttachShader(p, v);
        glAttachShader(p, f);
        if (g != 0) glAttachShader(p, g);
        glLinkProgram(p);
        if (glGetProgrami(p, GL_LINK_STATUS) == 0) throw new IllegalStateException("shader link failed: " + glGetProgramInfoLog(p));
        glDeleteShader(v);
        glDeleteShader(f);
        if (g != 0) glDeleteShader(g);
        return p;
    }

    private static int shader(int type, String src) {
        int s = glCreateShader(type);
        glShaderSource(s, src);
        glCompileShader(s);
        if (glGetShaderi(s, GL_COMPILE_STATUS) == 0) throw new IllegalStateException("shader compile failed: " + glGetShaderInfoLog(s));
        return s;
    }

    private static void checkError(String where) {
        int e = glGetError();
        if (e != GL_NO_ERROR) throw new IllegalStateException("OpenGL error 0x" + Integer.toHexString(e) + " in " + where);
    }

    private void makeCurrent() {
        if (closed) throw new IllegalStateException("GlRenderer is closed");
        if (Thread.currentThread() != owner)
            throw new IllegalStateException("GlRenderer belongs to thread '" + owner.getName() + "' and was called from '"
                    + Thread.currentThread().getName() + "': create one renderer per thread");
        if (org.lwjgl.egl.EGL14.eglGetCurrentContext() != context) {
            if (!EGL10.eglMakeCurrent(display.handle(), EGL10.EGL_NO_SURFACE, EGL10.EGL_NO_SURFACE, context))
                throw new IllegalStateException("eglMakeCurrent failed, error 0x" + Integer.toHexString(EGL10.eglGetError()));
        }
        GL.setCapabilities(caps);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (Thread.currentThread() == owner) {
            if (org.lwjgl.egl.EGL14.eglGetCurrentContext() != context)
                EGL10.eglMakeCurrent(display.handle(), EGL10.EGL_NO_SURFACE, EGL10.EGL_NO_SURFACE, context);
            GL.setCapabilities(caps);
            deleteSurfaceTargets();
            deleteLineTargets();
            glDeleteProgram(shadedProgram);
            glDeleteProgram(depthProgram);
            glDeleteProgram(positionProgram);
            glDeleteProgram(lineProgram);
            glDeleteBuffers(new int[]{triVbo, edgeVbo});
            glDeleteVertexArrays(new int[]{triVao, edgeVao});
            GL.setCapabilities(null);
            Egl.destroyContext(display, context);
        } else {
            // Another thread cannot make the context current; EGL frees it (and its objects) once the owner releases it.
            EGL10.eglDestroyContext(display.handle(), context);
        }
        if (pixels != null) { MemoryUtil.memFree(pixels); pixels = null; }
    }
}
