package org.uactn.core.backend.cpu;

import org.uactn.core.backend.Backend;
import org.uactn.core.backend.BackendProvider;

/** Registers the CPU backend; always available. */
public final class CpuBackendProvider implements BackendProvider {
    @Override public String deviceType() { return "cpu"; }

    @Override public boolean isAvailable() { return true; }

    @Override public String unavailableReason() { return ""; }

    @Override public int deviceCount() { return 1; }

    @Override public Backend backend(int index) { return CpuBackend.INSTANCE; }

    @Override public String describe() {
        return "cpu: " + Parallel.threads() + " threads, vector species " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
    }
}
