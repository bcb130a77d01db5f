// The process-wide EGL display (a GPU device, Mesa's surfaceless platform, or the default display) and per-thread contexts.
package org.uactn.render;

import org.lwjgl.PointerBuffer;
import org.lwjgl.egl.EGL;
import org.lwjgl.egl.EGL10;
import org.lwjgl.egl.EGL12;
import org.lwjgl.egl.EGLCapabilities;
import org.lwjgl.egl.EXTDeviceEnumeration;
import org.lwjgl.egl.EXTDeviceQuery;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.JNI;
import org.lwjgl.system.MemoryStack;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The display is opened once and never terminated: other threads' contexts may still use it.
 * No X server, GLFW or environment variable is needed.
 */
final class Egl {
    private static final int EGL_PLATFORM_DEVICE_EXT = 0x313F;
    private static final int EGL_PLATFORM_SURFACELESS_MESA = 0x31DD;
    private static final int EGL_CONTEXT_MAJOR_VERSION = 0x3098, EGL_CONTEXT_MINOR_VERSION = 0x30FB;
    private static final int EGL_CONTEXT_OPENGL_PROFILE_MASK = 0x30FD, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT = 1;
    private static final int EGL_OPENGL_API = 0x30A2, EGL_OPENGL_BIT = 0x0008;

    /** An initialised display and the config contexts are made with. */
    record Display(long handle, long config, String platform) {}

    private static Display display;
    private static String failure;

    private Egl() {}

    /** The shared display, opened on first use; throws IllegalStateException with the reason when there is none. */
    static synchronized Display display() {
        if (display != null) return display;
        if (failure != null) throw new IllegalStateException(failure);
        try {
            // Must be set before LWJGL's GL class initialises, or it goes looking for GLX first.
            Configuration.OPENGL_CONTEXT_API.set("EGL");
            display = open();
            return display;
        } catch (Throwable t) {
            failure = "no OpenGL context through EGL: " + describe(t)
                    + " (on Debian/Ubuntu install libegl1 and libgl1-mesa-dri)";
            throw new IllegalStateException(failure, t);
        }
    }

    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (sb.length() > 0) sb.append("; caused by ");
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) sb.append(": ").append(c.getMessage().lines().findFirst().orElse(""));
        }
        return sb.toString();
    }

    private static Display open() {
        EGLCapabilities caps = EGL.getCapabilities();
        String clientExt = EGL10.eglQueryString(EGL10.EGL_NO_DISPLAY, EGL10.EGL_EXTENSIONS);
        if (clientExt == null) clientExt = "";
        List<String> tried = new ArrayList<>();
        // LWJGL's capability flags can read false although the extension string lists the
        // extension, so the string decides; the checked wrapper of eglGetPlatformDisplayEXT also
        // rejects the null native display the surfaceless platform needs, hence the raw call.
        long getPlatformDisplay = caps.eglGetPlatformDisplayEXT != 0 ? caps.eglGetPlatformDisplayEXT : caps.eglGetPlatformDisplay;
        if (getPlatformDisplay != 0 && clientExt.contains("EGL_EXT_platform_device") && clientExt.contains("EGL_EXT_device_enumeration")
                && caps.eglQueryDevicesEXT != 0) {
            for (long dev : hardwareDevices(caps, clientExt)) {
                long dpy = JNI.invokePPP(EGL_PLATFORM_DEVICE_EXT, dev, 0L, getPlatformDisplay);
                Display d = tryInit(dpy, "EGL device", tried);
                if (d != null) return d;
            }
        }
        if (getPlatformDisplay != 0 && clientExt.contains("EGL_MESA_platform_surfaceless")) {
            long dpy = JNI.invokePPP(EGL_PLATFORM_SURFACELESS_MESA, 0L, 0L, getPlatformDisplay);
            Display d = tryInit(dpy, "Mesa surfaceless", tried);
            if (d != null) return d;
        }
        Display d = tryInit(EGL10.eglGetDisplay(0L /* EGL_DEFAULT_DISPLAY */), "default display", tried);
        if (d != null) return d;
        throw new IllegalStateException("no usable EGL display (" + String.join("; ", tried) + ")");
    }

    /** EGL devices that are not software renderers (a GPU's EGL is preferred over llvmpipe). */
    private static List<Long> hardwareDevices(EGLCapabilities caps, String clientExt) {
        List<Long> out = new ArrayList<>();
        try (MemoryStack st = MemoryStack.stackPush()) {
            IntBuffer n = st.mallocInt(1);
            PointerBuffer devs = st.mallocPointer(16);
            if (!EXTDeviceEnumeration.eglQueryDevicesEXT(devs, n)) return out;
            for (int i = 0; i < n.get(0); i++) {
                long dev = devs.get(i);
                String ext = caps.eglQueryDeviceStringEXT != 0 ? EXTDeviceQuery.eglQueryDeviceStringEXT(dev, EGL10.EGL_EXTENSIONS) : null;
                if (ext != null && ext.contains("EGL_MESA_device_software")) continue;
                out.add(dev);
            }
        } catch (RuntimeException e) {
            // Device enumeration is optional; the surfaceless platform is tried next.
        }
        return out;
    }

    private static Display tryInit(long dpy, String platform, List<String> tried) {
        if (dpy == 0) { tried.add(platform + ": no display"); return null; }
        try (MemoryStack st = MemoryStack.stackPush()) {
            IntBuffer major = st.mallocInt(1), minor = st.mallocInt(1);
            if (!EGL10.eglInitialize(dpy, major, minor)) { tried.add(platform + ": eglInitialize failed, error 0x" + Integer.toHexString(EGL10.eglGetError())); return null; }
            if (!EGL12.eglBindAPI(EGL_OPENGL_API)) { tried.add(platform + ": no desktop OpenGL API"); return null; }
            IntBuffer attrs = st.ints(
                    EGL10.EGL_RED_SIZE, 8, EGL10.EGL_GREEN_SIZE, 8, EGL10.EGL_BLUE_SIZE, 8,
                    EGL10.EGL_SURFACE_TYPE, 0, // no surface: rendering goes to framebuffer objects
                    EGL12.EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL10.EGL_NONE);
            PointerBuffer cfg = st.mallocPointer(1);
            IntBuffer num = st.mallocInt(1);
            if (!EGL10.eglChooseConfig(dpy, attrs, cfg, num) || num.get(0) < 1) {
                tried.add(platform + ": no RGB8 OpenGL config");
                return null;
            }
            return new Display(dpy, cfg.get(0), platform + " (EGL " + major.get(0) + "." + minor.get(0) + ")");
        }
    }

    /** A new OpenGL 3.3 core context, made current on the calling thread with no surface. */
    static long createCurrentContext(Display d) {
        long ctx;
        try (MemoryStack st = MemoryStack.stackPush()) {
            EGL12.eglBindAPI(EGL_OPENGL_API); // the bound API is per thread
            IntBuffer core = st.ints(EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
                    EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL10.EGL_NONE);
            ctx = EGL10.eglCreateContext(d.handle(), d.config(), EGL10.EGL_NO_CONTEXT, core);
            if (ctx == EGL10.EGL_NO_CONTEXT)
                throw new IllegalStateException("eglCreateContext (OpenGL 3.3 core) failed, error 0x" + Integer.toHexString(EGL10.eglGetError()));
        }
        if (!EGL10.eglMakeCurrent(d.handle(), EGL10.EGL_NO_SURFACE, EGL10.EGL_NO_SURFACE, ctx)) {
            int err = EGL10.eglGetError();
            EGL10.eglDestroyContext(d.handle(), ctx);
            throw new IllegalStateException("eglMakeCurrent without a surface failed, error 0x" + Integer.toHexString(err));
        }
        return ctx;
    }

    static void destroyContext(Display d, long ctx) {
        EGL10.eglMakeCurrent(d.handle(), EGL10.EGL_NO_SURFACE, EGL10.EGL_NO_SURFACE, EGL10.EGL_NO_CONTEXT);
        EGL10.eglDestroyContext(d.handle(), ctx);
    }
}
