// Adam with bias correction, optional AMSGrad and L2 weight decay folded into the gradient;
// AdamW reuses it with decoupled decay. Update order follows PyTorch's single-tensor path.
package org.uactn.core.optim;

import org.uactn.core.ops.Pointwise;
import org.uactn.core.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * <pre>
 *   t += 1;  g = grad (+ wd * p, Adam)  or  p *= 1 - lr * wd (AdamW)
 *   m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2;   vmax = max(vmax, v) (amsgrad)
 *   p -= lr / (1 - b1^t) * m / (sqrt(v or vmax) / sqrt(1 - b2^t) + eps)
 * </pre>
 */
public class Adam extends Optimizer {
    /** Default hyper-parameters (PyTorch's: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0, or 1e-2 for AdamW). */
    public static final class Options {
        private double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay;
        private boolean amsgrad, maximize;

        private Options(double weightDecay) { this.weightDecay = weightDecay; }

        public Options lr(double v) { lr = v; return this; }
        public Options betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        public Options eps(double v) { eps = v; return this; }
        public Options weightDecay(double v) { weightDecay = v; return this; }
        public Options amsgrad(boolean v) { amsgrad = v; return this; }
        public Options maximize(boolean v) { maximize = v; return this; }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lr", lr);
            m.put("betas", List.of(beta1, beta2));
            m.put("eps", eps);
            m.put("weight_decay", weightDecay);
            m.put("amsgrad", amsgrad);
            m.put("maximize", maximize);
            return m;
        }
    }

    public static Options options() { return new Options(0); }

    private final boolean decoupled;

    public Adam(List<Tensor> params, Options defaults) { this("Adam", false, List.of(new ParamGroup(params)), defaults); }

    public Adam(List<Tensor> params, double lr) { this(params, options().lr(lr)); }

    public Adam(Options defaults, ParamGroup... groups) { this("Adam", false, List.of(groups), defaults); }

    Adam(String name, boolean decoupled, List<ParamGroup> groups, Options defaults) {
        super(name, groups, defaults.toMap());
        this.decoupled = decoupled;
    }

    /** AdamW's defaults (weight decay 1e-2). */
    static Options adamWOptions() { return new Options(1e-2); }

    @Override
    protected void validate(ParamGroup g) {
        String n = getClass().getSimpleName();
        double lr = g.getDouble("lr"), eps = g.getDouble("eps"), wd = g.getDouble("weight_decay");
        List<Double> betas = g.getList("betas");
        if (!(lr >= 0)) throw new IllegalArgumentException(n + ": invalid learning rate: " + lr);
        if (!(eps >= 0)) throw new IllegalArgumentException(n + ": invalid epsilon value: " + eps);
        if (betas.size() != 2) throw new IllegalArgumentException(n + ": betas must hold two values, got " + betas);
        for (int i = 0; i < 2; i++) {
            if (!(betas.get(i) >= 0 && betas.get(i) < 1)) throw new IllegalArgumentException(n + ": invalid beta parameter at index " + i + ": " + betas.get(i));
        }
        if (!(wd >= 0)) throw new IllegalArgumentException(n + ": invalid weight_decay value: " + wd);
    }

    @Override
    protected boolean tracksStep() { return true; }

    @Override
    protected void update() {
        for (ParamGroup g : paramGroups()) {
            double lr = g.getDouble("lr"), eps = g.getDouble("eps"), wd = g.getDouble("weight_decay");
            List<Double> betas = g.getList("betas");
            double beta1 = betas.get(0), beta2 = betas.get(1);
            boolean amsgrad = g.getBoolean("amsgrad"), maximize = g.getBoolean("maximize");
            for (Tensor p : g.params()) {
                Tensor grad = p.grad();
                if (grad == null) continue;
                if (maximize) grad = grad.neg();
                ParamState s = state(p);
                Tensor expAvg = s.tensors.get("exp_avg");
                if (expAvg == null) {
                    expAvg = zerosLike(p);
                    s.tensors.put("exp_avg", expAvg);
                    s.tensors.put("exp_avg_sq", zerosLike(p));
                    if (amsgrad) s.tensors.put("max_exp_avg_sq", zerosLike(p));
                }
                Tensor expAvgSq = s.tensors.get("exp_avg_sq");
                s.step++;
                if (decoupled) {
                    p.mulInPlace(1 - lr * wd);
                } else if (wd != 0) {
                    grad = grad.add(p.detach().mul(wd));
                }
                expAvg.mulInPlace(beta1).addInPlace(grad, 1 - beta1);
                expAvgSq.mulInPlace(beta2).addInPlace(grad.mul(grad), 1 - beta2);
                double biasCorrection1 = 1 - Math.pow(beta1, s.step);
                double biasCorrection2 = 1 - Math.pow(beta2, s.step);
                double stepSize = lr / biasCorrection1;
                Tensor second = expAvgSq;
                if (amsgrad) {
                    Tensor max = s.tensors.computeIfAbsent("max_exp_avg_sq", k -> zerosLike(p));
                    max.copyFrom(Pointwise.maximum(max, expAvgSq));
                    second = max;
                }
                // A true division by the scalar (not a multiply by its reciprocal) keeps PyTorch's rounding.
                Tensor denom = Pointwise.div(second.sqrt(), Tensor.scalar(Math.sqrt(biasCorrection2), p.dtype(), p.device())).add(eps);
                p.addInPlace(Pointwise.div(expAvg, denom), -stepSize);
            }
        }
    }
}
