package org.uactn.core.ops;

/** How a loss reduces its per-element values: PyTorch's reduction='none' | 'mean' | 'sum'. */
public enum LossReduction {
    NONE, MEAN, SUM;

    public static LossReduction parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "none" -> NONE;
            case "mean" -> MEAN;
            case "sum" -> SUM;
            default -> throw new IllegalArgumentException("unknown reduction '" + s + "': expected none, mean or sum");
        };
    }
}
