// SGDR: cosine annealing restarted every T_i epochs, T_i growing by tMult
// (torch.optim.lr_scheduler.CosineAnnealingWarmRestarts), including fractional step(epoch).
package org.uactn.core.optim;

import java.util.Map;

/** Call {@link #step(double)} with a fractional epoch (epoch + batch / batches) to anneal within an epoch. */
public final class CosineAnnealingWarmRestarts extends LRScheduler {
    private final int t0, tMult;
    private final double etaMin;
    private double tI, tCur;

    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin) {
        super(optimizer);
        if (t0 < 1) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: expected positive integer T_0, but got " + t0);
        if (tMult < 1) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: expected integer T_mult >= 1, but got " + tMult);
        this.t0 = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        this.tI = t0;
        this.tCur = lastEpoch;
        initialStep();
    }

    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0) { this(optimizer, t0, 1, 0); }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
        return lrs;
    }

    @Override
    public void step() {
        if (lastEpoch < 0) {
            step(0.0);
            return;
        }
        stepCount++;
        tCur = tCur + 1;
        if (tCur >= tI) {
            tCur = tCur - tI;
            tI = tI * tMult;
        }
        lastEpoch++;
        apply(computeLr());
    }

    @Override
    public void step(int epoch) { step((double) epoch); }

    /** Sets the position to a (possibly fractional) epoch counted from the start of training. */
    public void step(double epoch) {
        if (!(epoch >= 0)) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: expected non-negative epoch, but got " + epoch);
        stepCount++;
        if (epoch >= t0) {
            if (tMult == 1) {
                tCur = epoch % t0;
            } else {
                int n = (int) (Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
                tCur = epoch - t0 * (Math.pow(tMult, n) - 1) / (tMult - 1);
                tI = t0 * Math.pow(tMult, n);
            }
        } else {
            tI = t0;
            tCur = epoch;
        }
        lastEpoch = (int) Math.floor(epoch);
        apply(computeLr());
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = super.stateDict();
        m.put("T_i", tI);
        m.put("T_cur", tCur);
        return m;
    }

    @Override
    public void loadStateDict(Map<String, Object> sd) {
        double i = doubleOf(sd, "T_i"), c = doubleOf(sd, "T_cur");
        super.loadStateDict(sd);
        tI = i;
        tCur = c;
    }
}
