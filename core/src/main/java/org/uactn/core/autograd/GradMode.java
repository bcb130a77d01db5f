package org.uactn.core.autograd;

/**
 * Whether ops record the graph, per thread. {@code try (var g = GradMode.noGrad()) { ... }} is
 * the equivalent of {@code torch.no_grad()}.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() { return ENABLED.get()[0]; }

    /** Disables recording until the returned scope is closed; scopes nest. */
    public static Scope noGrad() { return set(false); }

    /** Enables recording until the returned scope is closed (inside a no-grad region). */
    public static Scope enableGrad() { return set(true); }

    private static Scope set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = enabled;
        return () -> flag[0] = previous;
    }

    /** Restores the previous mode on close. */
    public interface Scope extends AutoCloseable {
        @Override void close();
    }
}
