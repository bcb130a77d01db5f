// Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay, in
// PyTorch's exact update order (the first momentum buffer is the gradient itself).
package org.uactn.core.optim;

import org.uactn.core.backend.Profiler;
import org.uactn.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * <pre>
 *   d = grad (+ weight_decay * p)
 *   buf = first step ? d : momentum * buf + (1 - dampening) * d
 *   d = nesterov ? d + momentum * buf : buf        (when momentum != 0)
 *   p -= lr * d
 * </pre>
 */
public final class SGD extends Optimizer {
    /** Default hyper-parameters; lr has no default, as in PyTorch. */
    public static final class Options {
        private Double lr;
        private double momentum, dampening, weightDecay;
        private boolean nesterov, maximize;

        public Options lr(double v) { lr = v; return this; }
        public Options momentum(double v) { momentum = v; return this; }
        public Options dampening(double v) { dampening = v; return this; }
        public Options weightDecay(double v) { weightDecay = v; return this; }
        public Options nesterov(boolean v) { nesterov = v; return this; }
        public Options maximize(boolean v) { maximize = v; return this; }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lr", lr);
            m.put("momentum", momentum);
            m.put("dampening", dampening);
            m.put("weight_decay", weightDecay);
            m.put("nesterov", nesterov);
            m.put("maximize", maximize);
            return m;
        }
    }

    public static Options options() { return new Options(); }

    public SGD(List<Tensor> params, Options defaults) { super("SGD", List.of(new ParamGroup(params)), defaults.toMap()); }

    public SGD(List<Tensor> params, double lr) { this(params, options().lr(lr)); }

    /** Several groups; options a group does not set come from defaults. */
    public SGD(Options defaults, ParamGroup... groups) { super("SGD", List.of(groups), defaults.toMap()); }

    @Override
    protected void validate(ParamGroup g) {
        double lr = g.getDouble("lr"), momentum = g.getDouble("momentum"), wd = g.getDouble("weight_decay");
        if (!(lr >= 0)) throw new IllegalArgumentException("SGD: invalid learning rate: " + lr);
        if (!(momentum >= 0)) throw new IllegalArgumentException("SGD: invalid momentum value: " + momentum);
        if (!(wd >= 0)) throw new IllegalArgumentException("SGD: invalid weight_decay value: " + wd);
        if (g.getBoolean("nesterov") && (momentum <= 0 || g.getDouble("dampening") != 0)) {
            throw new IllegalArgumentException("SGD: nesterov momentum requires a momentum and zero dampening, got momentum="
                    + momentum + " dampening=" + g.getDouble("dampening"));
        }
    }

    @Override
    protected boolean tracksStep() { return false; }

    @Override
    protected void update() {
        try (var range = Profiler.range("SGD step")) {
            updateGroups();
        }
    }

    private void updateGroups() {
        for (ParamGroup g : paramGroups()) {
            double lr = g.getDouble("lr"), momentum = g.getDouble("momentum"), dampening = g.getDouble("dampening");
            double wd = g.getDouble("weight_decay");
            boolean nesterov = g.getBoolean("nesterov"), maximize = g.getBoolean("maximize");
            for (Tensor p : g.params()) {
                if (p.grad() == null) continue;
                Tensor grad = operand(p.grad(), p);
                Tensor buf = null;
                boolean first = false;
                if (momentum != 0) {
                    ParamState s = state(p);
                    buf = s.tensors.get("momentum_buffer");
                    if (buf == null) {
                        buf = zerosLike(p);
                        s.tensors.put("momentum_buffer", buf);
                        first = true;
                    }
                }
                // One fused kernel per parameter (Backend.sgdStep) computes the documented update.
                Tensor work = writable(p);
                p.backend().sgdStep(work, grad, buf, lr, momentum, dampening, wd, nesterov, maximize, first);
                writeBack(work, p);
            }
        }
    }

    // ---- operands of the fused kernels (shared with Adam) --------------------------------------

    /** The gradient as the kernels need it: contiguous, on p's device, of p's dtype. */
    static Tensor operand(Tensor grad, Tensor p) {
        Tensor g = grad.detach();
        if (!g.device().equals(p.device())) g = g.to(p.device());
        if (g.dtype() != p.dtype()) g = g.to(p.dtype());
        return g.isContiguous() ? g : g.contiguous();
    }

    /** p itself when contiguous (the kernel updates its storage directly), else a contiguous copy. */
    static Tensor writable(Tensor p) {
        Tensor d = p.detach();
        return d.isContiguous() ? d : d.contiguous();
    }

    /** Copies a contiguous stand-in back into a strided parameter. */
    static void writeBack(Tensor work, Tensor p) {
        if (work.storage() != p.storage()) p.copyFrom(work);
    }

    /** Momentum buffers in parameter order (null where none exists yet); for inspection and tests. */
    public List<Tensor> momentumBuffers() {
        List<Tensor> out = new ArrayList<>();
        for (ParamGroup g : paramGroups()) for (Tensor p : g.params()) out.add(state(p).tensors.get("momentum_buffer"));
        return out;
    }
}
