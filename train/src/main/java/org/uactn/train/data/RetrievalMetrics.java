// Average precision and its mean over queries, as defined for SHREC (docs/datasets.md): the small version the data tools need.
package org.uactn.train.data;

import java.util.Arrays;

/** Ranking is by descending score; ties keep the target order (stable), as the SHREC definition asks. */
public final class RetrievalMetrics {
    private RetrievalMetrics() {}

    /**
     * AP of one ranked list: relevant[i] tells whether the target at rank i+1 is relevant; c is the
     * number of relevant targets (the query's class size in the target set). AP = (1/c) * sum over
     * the relevant targets of (their position among the relevant ones) / (their rank).
     */
    public static double averagePrecision(boolean[] relevant, int c) {
        if (c <= 0) throw new IllegalArgumentException("average precision: the query's class has no targets (C = " + c + ")");
        double sum = 0;
        int hits = 0;
        for (int i = 0; i < relevant.length; i++) {
            if (relevant[i]) {
                hits++;
                sum += (double) hits / (i + 1);
            }
        }
        return sum / c;
    }

    /** Target indices sorted by descending score, ties by index. */
    public static Integer[] rank(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        return order;
    }

    /** mAP over queries; queries whose class has no target are skipped (an error when all are). */
    public static double meanAveragePrecision(double[][] scores, int[] queryLabels, int[] targetLabels) {
        if (scores.length != queryLabels.length) throw new IllegalArgumentException("mAP: " + scores.length + " score rows but " + queryLabels.length + " query labels");
        double sum = 0;
        int used = 0;
        for (int q = 0; q < scores.length; q++) {
            if (scores[q].length != targetLabels.length)
                throw new IllegalArgumentException("mAP: query " + q + " has " + scores[q].length + " scores but there are " + targetLabels.length + " targets");
            int c = 0;
            for (int t : targetLabels) if (t == queryLabels[q]) c++;
            if (c == 0) continue;
            Integer[] order = rank(scores[q]);
            boolean[] rel = new boolean[order.length];
            for (int i = 0; i < order.length; i++) rel[i] = targetLabels[order[i]] == queryLabels[q];
            sum += averagePrecision(rel, c);
            used++;
        }
        if (used == 0) throw new IllegalArgumentException("mAP: no query has a relevant target");
        return sum / used;
    }
}
