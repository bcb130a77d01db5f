// Adam with bias correction, optional AMSGrad and L2 weight decay folded into the gradient;
// AdamW reuses it with decoupled decay. Update order follows PyTorch's single-tensor path.
package org.uactn.core.optim;

import org.uactn.core.backend.Profiler;
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
        try (var range = Profiler.range(decoupled ? "AdamW step" : "Adam step")) {
            updateGroups();
        }
    }

    private void updateGroups() {
        for (ParamGroup g : paramGroups()) {
            double lr = g.getDouble("lr"), eps = g.getDouble("eps"), wd = g.getDouble("weight_decay");
            List<Double> betas = g.getList("betas");
            double beta1 = betas.get(0), beta2 = betas.get(1);
            boolean amsgrad = g.getBoolean("amsgrad"), maximize = g.getBoolean("maximize");
            for (Tensor p : g.params()) {
                if (p.grad() == null) continue;
                Tensor grad = SGD.operand(p.grad(), p);
                ParamState s = state(p);
                Tensor expAvg = s.tensors.get("exp_avg");
                if (expAvg == null) {
                    expAvg = zerosLike(p);
                    s.tensors.put("exp_avg", expAvg);
                    s.tensors.put("exp_avg_sq", zerosLike(p));
                    if (amsgrad) s.tensors.put("max_exp_avg_sq", zerosLike(p));
                }
                Tensor expAvgSq = s.tensors.get("exp_avg_sq");
                Tensor max = amsgrad ? s.tensors.computeIfAbsent("max_exp_avg_sq", k -> zerosLike(p)) : null;
                s.step++;
                // One fused kernel per parameter (Backend.adamStep) computes the documented update.
                Tensor work = SGD.writable(p);
                p.backend().adamStep(work, grad, expAvg, expAvgSq, max, lr, beta1, beta2, eps, wd, decoupled, amsgrad, maximize, s.step);
                SGD.writeBack(work, p);
            }
        }
    }
}
