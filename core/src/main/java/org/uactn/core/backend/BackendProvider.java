package org.uactn.core.backend;

/**
 * Service-provider interface through which the core finds backends at run time
 * ({@code META-INF/services/org.uactn.core.backend.BackendProvider}). The core never names an
 * implementation: the CUDA backend lives in another module and is found only this way.
 */
public interface BackendProvider {
    /** The device type this provider serves, e.g. "cpu" or "cuda". */
    String deviceType();

    /** Whether the backend can run on this machine. Must not throw, and must be cheap after the first call. */
    boolean isAvailable();

    /** Why the backend is unavailable (library missing, no device, ...); empty text when available. */
    String unavailableReason();

    /** Number of devices of this type; 0 when unavailable. */
    int deviceCount();

    /** The backend instance of device {@code index}. Only called when available. */
    Backend backend(int index);

    /** One line describing the backend for {@code uactn info} (library versions, device names). */
    default String describe() { return deviceType(); }
}
