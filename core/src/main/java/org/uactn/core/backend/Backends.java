package org.uactn.core.backend;

import org.uactn.core.tensor.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds backends through {@link ServiceLoader} once, and hands out the backend of a device. */
public final class Backends {
    private static volatile List<BackendProvider> providers;

    private Backends() {}

    /** Every provider on the class path, CPU first. A provider that fails to load is skipped. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> p = providers;
        if (p == null) {
            synchronized (Backends.class) {
                if (providers == null) {
                    List<BackendProvider> found = new ArrayList<>();
                    ServiceLoader<BackendProvider> loader = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader());
                    for (var it = loader.stream().iterator(); it.hasNext(); ) {
                        try {
                            found.add(it.next().get());
                        } catch (Throwable t) {
                            System.err.println("uactn: skipping a backend that failed to load: " + t);
                        }
                    }
                    found.sort((a, b) -> Boolean.compare(!a.deviceType().equals("cpu"), !b.deviceType().equals("cpu")));
                    providers = List.copyOf(found);
                }
                p = providers;
            }
        }
        return p;
    }

    /** The provider of a device type, or null when none is on the class path. */
    public static BackendProvider provider(String deviceType) {
        for (BackendProvider p : providers()) if (p.deviceType().equals(deviceType)) return p;
        return null;
    }

    /** The backend of a device, or a {@link BackendUnavailableException} that says why there is none. */
    public static Backend get(Device device) {
        BackendProvider p = provider(device.type());
        if (p == null) throw new BackendUnavailableException("no backend for device type '" + device.type() + "' on the class path");
        if (!p.isAvailable()) throw new BackendUnavailableException(device + " is unavailable: " + p.unavailableReason());
        if (device.index() >= p.deviceCount()) {
            throw new BackendUnavailableException(device + " does not exist: " + p.deviceCount() + " " + device.type() + " device(s) present");
        }
        return p.backend(device.index());
    }

    /** Thrown when a device is asked for that this machine cannot provide; the message says why. */
    public static final class BackendUnavailableException extends IllegalStateException {
        public BackendUnavailableException(String message) { super(message); }
    }
}
