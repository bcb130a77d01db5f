package org.uactn.core.tensor;

import java.util.Locale;

/**
 * Where a tensor's storage lives: a backend type ("cpu", "cuda") and an index.
 * Parsing follows PyTorch: "cpu", "cuda", "cuda:1".
 */
public record Device(String type, int index) {
    public static final Device CPU = new Device("cpu", 0);

    public Device {
        if (type == null || type.isBlank()) throw new IllegalArgumentException("device type must not be empty");
        if (index < 0) throw new IllegalArgumentException("device index must be >= 0, got " + index);
        type = type.toLowerCase(Locale.ROOT);
    }

    public static Device cuda(int index) { return new Device("cuda", index); }

    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        if (colon < 0) return new Device(s, 0);
        try {
            return new Device(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad device '" + spec + "': expected e.g. cpu, cuda, cuda:1");
        }
    }

    public boolean isCpu() { return type.equals("cpu"); }

    @Override public String toString() { return isCpu() ? "cpu" : type + ":" + index; }
}
