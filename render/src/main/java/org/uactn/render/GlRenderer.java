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
 * OpenGL 3.3 core. Shaded and depth modes draw into a multisampled (RenderSettings.samples) framebuffer that is resolved
 * and read back once per mesh (one read per view costs a pipeline flush each on llvmpipe). Lines
 * mode first draws the surface's depth into a texture, then expands each contour or crease edge
 * into a screen-space quad in a geometry shader; the fragment shader computes the antialiased
 * coverage and hides the line where the surface near the line's centre is nearer (see
 * SoftwareRenderer.drawLines for the same rule in Java). Not thread-safe: the context is current
 * on the creating thread, and calls from other threads are refused.
 */
public final class GlRenderer implements Renderer {
    private static final String TRI_VS = """
            #version 330 core
            layout(location = 0) in vec3 pos;
            layout(location = 1) in vec3 nrm;
            uniform mat4 view;
            uniform mat4 proj;
            flat out vec3 vN;
            out float vD;
            void main() {
                vec4 p = view * vec4(pos, 1.0);
                gl_Position = proj * p;
                vN = mat3(view) * nrm;
                vD = -p.z;
            }
            """;
    private static final String TRI_FS = """
            #version 330 core
            %s
            uniform int mode; // 0 shaded, 1 depth, 2 depth only
            flat in vec3 vN;
            in float vD;
            out vec4 color;
            void main() {
                if (mode == 0) {
                    vec3 n = gl_FrontFacing ? vN : -vN;
                    float d = max(dot(n, L), 0.0);
                    float s = max(dot(n, H), 0.0);
                    color = vec4(min(AMBIENT + DIFFUSE * d + SPECULAR * pow(s, SHININESS), 1.0), 0.0, 0.0, 1.0);
                } else if (mode == 1) {
                    color = vec4(clamp((vD - DEPTH_NEAR) / (DEPTH_FAR - DEPTH_NEAR), 0.0, 1.0) * DEPTH_SCALE, 0.0, 0.0, 1.0);
                } else {
                    color = vec4(1.0);
                }
            }
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

    private final Thread owner;
    private final Egl.Display display;
    private final long context;
    private final GLCapabilities caps;
    private final String description;
    private final int maxSamples, maxDim;
    private int samples = -1;
    private final int triProgram, lineProgram;
    private final int triVao, triVbo, edgeVao, edgeVbo;
    // Render targets, remade when the atlas size changes.
    private int atlasW, atlasH;
    private int msFbo, msColor, msDepth, resolveFbo, resolveColor, depthFbo, depthTex, lineFbo, lineColor;
    private ByteBuffer pixels;
    private boolean closed;

    /** Opens a context on the calling thread; throws IllegalStateException when OpenGL is not available. */
    public GlRenderer() {
        display = Egl.display();
        owner = Thread.currentThread();
        context = Egl.createCurrentContext(display);
        try {
            caps = GL.createCapabilities();
            if (!caps.OpenGL33) throw new IllegalStateException("OpenGL 3.3 is required, the context offers " + glGetString(GL_VERSION));
            description = glGetString(GL_RENDERER) + ", OpenGL " + glGetString(GL_VERSION) + ", " + display.platform();
            maxSamples = glGetInteger(GL_MAX_SAMPLES);
            int[] vp = new int[2];
            glGetIntegerv(GL_MAX_VIEWPORT_DIMS, vp);
            maxDim = Math.min(8192, Math.min(Math.min(glGetInteger(GL_MAX_RENDERBUFFER_SIZE), glGetInteger(GL_MAX_TEXTURE_SIZE)), Math.min(vp[0], vp[1])));
            String consts = Shading.glslConstants();
            triProgram = program(TRI_VS, null, TRI_FS.formatted(consts));
            lineProgram = program(LINE_VS, LINE_GS, LINE_FS.formatted(consts));
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
            checkError("setup");
        } catch (RuntimeException | Error e) {
            GL.setCapabilities(null);
            Egl.destroyContext(display, context);
            throw e;
        }
    }

    @Override public String kind() { return "gl"; }
    @Override public String description() { return description; }

    @Override
    public byte[][] render(Mesh mesh, List<View> views, RenderSettings s) {
        makeCurrent();
        Geometry g = new Geometry(mesh);
        boolean lines = s.mode() == RenderMode.LINES;
        uploadTriangles(g);
        int edgeCount = 0;
        if (lines) {
            float[] edges = Geometry.edges(mesh, s.creaseAngleDeg());
            edgeCount = edges.length / Geometry.EDGE_FLOATS;
            upload(edgeVbo, edges);
        }
        int n = views.size(), size = s.size();
        int fit = Math.max(1, maxDim / size);
        if (size > maxDim) throw new IllegalArgumentException("image size " + size + " exceeds the GL limit " + maxDim);
        int cols = Math.min(fit, (int) Math.ceil(Math.sqrt(n)));
        int rows = Math.min(fit, (n + cols - 1) / cols);
        int perPass = cols * rows;
        ensureTargets(cols * size, rows * size, s.samples() > 1 ? Math.min(s.samples(), maxSamples) : 0);
        float[] proj = Camera.projectionMatrix(s.projection());
        byte[][] out = new byte[n][];
        for (int start = 0; start < n; start += perPass) {
            int count = Math.min(perPass, n - start);
            int readFbo = lines ? drawLines(views, start, count, cols, size, proj, s, edgeCount, g.triangles)
                    : drawSurfaces(views, start, count, cols, size, proj, s.mode(), g.triangles);
            glBindFramebuffer(GL_READ_FRAMEBUFFER, readFbo);
            glReadPixels(0, 0, atlasW, atlasH, GL_RED, GL_UNSIGNED_BYTE, pixels);
            checkError("render");
            for (int i = 0; i < count; i++) {
                int x0 = (i % cols) * size, y0 = (i / cols) * size;
                byte[] img = new byte[size * size];
                for (int r = 0; r < size; r++) pixels.get((y0 + size - 1 - r) * atlasW + x0, img, r * size, size);
                out[start + i] = img;
            }
        }
        return out;
    }

    private int drawSurfaces(List<View> views, int start, int count, int cols, int size, float[] proj, RenderMode mode, int triangles) {
        glBindFramebuffer(GL_FRAMEBUFFER, msFbo);
        glViewport(0, 0, atlasW, atlasH);
        glClearColor(1, 1, 1, 1);
        glClearDepth(1);
        glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LESS);
        glUseProgram(triProgram);
        glUniform1i(glGetUniformLocation(triProgram, "mode"), mode == RenderMode.SHADED ? 0 : 1);
        glUniformMatrix4fv(glGetUniformLocation(triProgram, "proj"), false, proj);
        int viewLoc = glGetUniformLocation(triProgram, "view");
        glBindVertexArray(triVao);
        for (int i = 0; i < count; i++) {
            glViewport((i % cols) * size, (i / cols) * size, size, size);
            glUniformMatrix4fv(viewLoc, false, Camera.viewMatrix(views.get(start + i)));
            glDrawArrays(GL_TRIANGLES, 0, 3 * triangles);
        }
        glBindFramebuffer(GL_READ_FRAMEBUFFER, msFbo);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, resolveFbo);
        glBlitFramebuffer(0, 0, atlasW, atlasH, 0, 0, atlasW, atlasH, GL_COLOR_BUFFER_BIT, GL_NEAREST);
        return resolveFbo;
    }

    private int drawLines(List<View> views, int start, int count, int cols, int size, float[] proj, RenderSettings s, int edges, int triangles) {
        // Pass 1: the surface's depth, single-sampled, into a texture.
        glBindFramebuffer(GL_FRAMEBUFFER, depthFbo);
        glViewport(0, 0, atlasW, atlasH);
        glClearDepth(1);
        glClear(GL_DEPTH_BUFFER_BIT);
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LESS);
        glUseProgram(triProgram);
        glUniform1i(glGetUniformLocation(triProgram, "mode"), 2);
        glUniformMatrix4fv(glGetUniformLocation(triProgram, "proj"), false, proj);
        int viewLoc = glGetUniformLocation(triProgram, "view");
        glBindVertexArray(triVao);
        for (int i = 0; i < count; i++) {
            glViewport((i % cols) * size, (i / cols) * size, size, size);
            glUniformMatrix4fv(viewLoc, false, Camera.viewMatrix(views.get(start + i)));
            glDrawArrays(GL_TRIANGLES, 0, 3 * triangles);
        }
        // Pass 2: the lines, black on white, multiplied in by their coverage.
        glBindFramebuffer(GL_FRAMEBUFFER, lineFbo);
        glViewport(0, 0, atlasW, atlasH);
        glClearColor(1, 1, 1, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        glDisable(GL_DEPTH_TEST);
        glEnable(GL_BLEND);
        glBlendFunc(GL_ZERO, GL_ONE_MINUS_SRC_ALPHA);
        glEnable(GL_SCISSOR_TEST);
        glUseProgram(lineProgram);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, depthTex);
        glUniform1i(glGetUniformLocation(lineProgram, "sceneDepth"), 0);
        glUniformMatrix4fv(glGetUniformLocation(lineProgram, "proj"), false, proj);
        glUniform1f(glGetUniformLocation(lineProgram, "halfWidth"), (float) (s.lineWidth() / 2));
        glUniform1i(glGetUniformLocation(lineProgram, "ortho"), s.projection() == Projection.ORTHOGRAPHIC ? 1 : 0);
        glUniform1f(glGetUniformLocation(lineProgram, "near"), (float) Camera.NEAR);
        glUniform1f(glGetUniformLocation(lineProgram, "far"), (float) Camera.FAR);
        int lineView = glGetUniformLocation(lineProgram, "view"), vpLoc = glGetUniformLocation(lineProgram, "viewport");
        glBindVertexArray(edgeVao);
        for (int i = 0; i < count; i++) {
            int x = (i % cols) * size, y = (i / cols) * size;
            glViewport(x, y, size, size);
            glScissor(x, y, size, size);
            glUniform4f(vpLoc, x, y, size, size);
            glUniformMatrix4fv(lineView, false, Camera.viewMatrix(views.get(start + i)));
            glDrawArrays(GL_LINES_ADJACENCY, 0, 4 * edges);
        }
        glDisable(GL_SCISSOR_TEST);
        glDisable(GL_BLEND);
        glBindTexture(GL_TEXTURE_2D, 0);
        return lineFbo;
    }

    private void uploadTriangles(Geometry g) {
        FloatBuffer fb = MemoryUtil.memAllocFloat(18 * g.triangles);
        try {
            float[] c = g.corners, nrm = g.normals;
            for (int f = 0; f < g.triangles; f++) {
                for (int k = 0; k < 3; k++) {
                    fb.put(c, 9 * f + 3 * k, 3);
                    fb.put(nrm, 3 * f, 3);
                }
            }
            fb.flip();
            glBindBuffer(GL_ARRAY_BUFFER, triVbo);
            glBufferData(GL_ARRAY_BUFFER, fb, GL_STREAM_DRAW);
        } finally {
            MemoryUtil.memFree(fb);
        }
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

    private void ensureTargets(int w, int h, int sampleCount) {
        if (w == atlasW && h == atlasH && sampleCount == samples) return;
        deleteTargets();
        samples = sampleCount;
        atlasW = w;
        atlasH = h;
        msColor = renderbuffer(GL_R8, samples, w, h);
        msDepth = renderbuffer(GL_DEPTH_COMPONENT24, samples, w, h);
        msFbo = framebuffer(msColor, msDepth, 0);
        resolveColor = renderbuffer(GL_R8, 0, w, h);
        resolveFbo = framebuffer(resolveColor, 0, 0);
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
        pixels = MemoryUtil.memAlloc(w * h);
        checkError("framebuffer setup " + w + "x" + h);
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

    private void deleteTargets() {
        if (atlasW == 0) return;
        glDeleteFramebuffers(new int[]{msFbo, resolveFbo, depthFbo, lineFbo});
        glDeleteRenderbuffers(new int[]{msColor, msDepth, resolveColor, lineColor});
        glDeleteTextures(depthTex);
        MemoryUtil.memFree(pixels);
        pixels = null;
        atlasW = atlasH = 0;
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
            deleteTargets();
            glDeleteProgram(triProgram);
            glDeleteProgram(lineProgram);
            glDeleteBuffers(new int[]{triVbo, edgeVbo});
            glDeleteVertexArrays(new int[]{triVao, edgeVao});
            GL.setCapabilities(null);
            Egl.destroyContext(display, context);
        } else {
            // Another thread cannot make the context current; EGL frees it (and its objects) once the owner releases it.
            EGL10.eglDestroyContext(display.handle(), context);
            if (pixels != null) { MemoryUtil.memFree(pixels); pixels = null; }
        }
    }
}
