package org.uactn.core.ops;

import java.util.List;

/**
 * Service-provider interface for ops defined outside the core
 * ({@code META-INF/services/org.uactn.core.ops.OpProvider}): their specs join the registry, so
 * {@code uactn gradcheck} and the parity tests cover them like built-in ops.
 */
public interface OpProvider {
    List<OpSpec> ops();
}
